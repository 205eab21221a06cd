package org.virtcaps.core.api;

import java.util.Locale;
import java.util.Optional;
import java.util.Set;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Human descriptions of machine types ("pc" → "Standard PC (i440FX + PIIX, 1996)"), localized.
 * Lookup falls back from the locale to its language, then to English, then to none.
 */
@ProviderType
public interface MachineDescriptions {

    /**
     * Describes a machine type (canonical name or alias).
     *
     * @param machine machine name
     * @param locale wanted locale; null means the platform's current locale
     * @return the description, or empty when there is none in any fallback
     */
    default Optional<String> describe(String machine, Locale locale) {
        return lookup(machine, null, locale).map(MachineDescription::text);
    }

    /**
     * Describes a machine type of one arch ({@code virt} is an ARM board on arm and aarch64 and a RISC-V one
     * on riscv64); with a null arch, the first arch that has the machine answers.
     *
     * @return the description and the locale it is written in (English when no translation exists)
     */
    Optional<MachineDescription> lookup(String machine, String arch, Locale locale);

    /** The locales descriptions are available in, English included. */
    Set<Locale> locales();

    /** What was reported and ignored while loading descriptions (a malformed locale file, say). */
    default java.util.List<String> problems() {
        return java.util.List.of();
    }

    /**
     * A machine description.
     *
     * @param machine the machine asked about
     * @param text the description
     * @param locale the locale the text is written in
     */
    record MachineDescription(String machine, String text, Locale locale) {
    }
}
