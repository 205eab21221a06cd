package org.virtcaps.core.internal;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.virtcaps.core.internal.libvirt.LibvirtVocabulary;
import org.virtcaps.core.model.Diagnostic;
import org.virtcaps.core.model.GuestArchitecture;

/**
 * Checks what a driver returned. Invalid entries are dropped with a diagnostic; entries libvirt 9.0's
 * schema cannot name are kept (JSON and seed carry them) and reported.
 */
final class EntryValidator {
    /** libvirt's wordsizes plus those of small embedded targets (avr: 8) that JSON and seed can carry. */
    private static final Set<Integer> VALID_WORDSIZES = Set.of(8, 16, 31, 32, 64);
    private static final java.util.regex.Pattern NAME = java.util.regex.Pattern.compile("[A-Za-z0-9_.+-]{1,64}");

    private EntryValidator() {
    }

    static List<GuestArchitecture> validate(String driver, List<GuestArchitecture> entries, List<Diagnostic> diags) {
        List<GuestArchitecture> valid = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (GuestArchitecture e : entries) {
            if (e == null) {
                diags.add(Diagnostic.warning(driver, "returned a null guest architecture: ignored"));
                continue;
            }
            String key = e.osType() + "/" + e.arch() + "/" + e.domainType();
            if (!NAME.matcher(e.osType()).matches() || !NAME.matcher(e.arch()).matches()
                    || !NAME.matcher(e.domainType()).matches()) {
                diags.add(Diagnostic.warning(driver, "malformed names in " + LinuxHostProber.abbreviate(key)
                        + ": ignored"));
                continue;
            }
            if (!VALID_WORDSIZES.contains(e.wordsize())) {
                diags.add(Diagnostic.warning(driver, key + ": wordsize " + e.wordsize() + " is not 8, 16, 31, 32 or 64: ignored"));
                continue;
            }
            if ((e.emulator() != null && !e.emulator().startsWith("/"))
                    || (e.loader() != null && !e.loader().startsWith("/"))) {
                diags.add(Diagnostic.warning(driver, key + ": emulator and loader must be absolute paths: ignored"));
                continue;
            }
            // one driver may list several emulators for an arch and domain type (variant binaries)
            if (!seen.add(key + "/" + e.emulator())) {
                diags.add(Diagnostic.warning(driver, key + " returned twice: the first one is kept"));
                continue;
            }
            if (!LibvirtVocabulary.canCarry(e.osType(), e.arch(), e.domainType()) || e.wordsize() < 31) {
                diags.add(Diagnostic.info(driver, key
                        + " is not named by libvirt 9.0's schema: listed in the JSON and seed formats only"));
            }
            valid.add(e.withDriver(driver));
        }
        return valid;
    }
}
