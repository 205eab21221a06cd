package org.virtcaps.i18n.internal;

import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * English descriptions for machines whose emulator is not on this host, from the base list
 * ({@code descriptions/machines.properties}). Keys are machine names, {@code name@arch} where one name
 * means different boards on different arches, or a family {@code prefix-*} whose description may carry
 * {@code {version}} (taken from the machine name).
 */
final class EnglishBase {
    private static final Pattern TRAILING_VERSION = Pattern.compile("-(\\d+\\.\\d+(\\.\\d+)?)$");
    private final Map<String, String> entries;

    EnglishBase(Map<String, String> entries) {
        this.entries = entries;
    }

    Optional<String> describe(String machine, String arch) {
        if (arch != null && entries.containsKey(machine + "@" + arch)) {
            return Optional.of(entries.get(machine + "@" + arch));
        }
        if (entries.containsKey(machine)) {
            return Optional.of(entries.get(machine));
        }
        if (arch == null) {
            for (String a : org.virtcaps.driver.qemu.QemuArchitectures.ARCH_ORDER) {
                if (entries.containsKey(machine + "@" + a)) {
                    return Optional.of(entries.get(machine + "@" + a));
                }
            }
        }
        Matcher m = TRAILING_VERSION.matcher(machine);
        if (m.find()) {
            String family = machine.substring(0, m.start()) + "-*";
            String text = arch != null && entries.containsKey(family + "@" + arch) ? entries.get(family + "@" + arch)
                    : entries.get(family);
            if (text != null) {
                return Optional.of(text.replace(Translations.VERSION, m.group(1)));
            }
        }
        return Optional.empty();
    }
}
