package org.virtcaps.core.api;

import java.util.Locale;
import java.util.Optional;
import java.util.Set;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Human descriptions of machine types ("pc" → "Standard PC (i440FX + PIIX, 1996)"), localized.
 */
@ProviderType
public interface MachineDescriptions {

    /**
     * Describes a machine type (canonical name or alias).
     *
     * @param machine machine name
     * @param locale wanted locale; null means the platform's current locale. Lookup falls back from the
     *               locale to its language, then to English.
     * @return the description, or empty when there is none in any fallback
     */
    Optional<String> describe(String machine, Locale locale);

    /** The locales descriptions are available in. */
    Set<Locale> locales();
}
