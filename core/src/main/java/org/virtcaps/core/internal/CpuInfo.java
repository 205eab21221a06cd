package org.virtcaps.core.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * /proc/cpuinfo parsed into one key/value map per processor block. Keys are lower-cased and trimmed;
 * lines without a colon are ignored, so a truncated or garbled file yields what it still holds.
 */
record CpuInfo(List<Map<String, String>> processors, Map<String, String> global) {

    static CpuInfo parse(String text) {
        List<Map<String, String>> blocks = new ArrayList<>();
        Map<String, String> global = new LinkedHashMap<>();
        Map<String, String> current = new LinkedHashMap<>();
        for (String line : text.split("\n", -1)) {
            if (line.isBlank()) {
                if (!current.isEmpty()) {
                    blocks.add(current);
                    current = new LinkedHashMap<>();
                }
                continue;
            }
            int colon = line.indexOf(':');
            if (colon <= 0) {
                continue;
            }
            String key = line.substring(0, colon).trim().toLowerCase(java.util.Locale.ROOT);
            String value = line.substring(colon + 1).trim();
            current.putIfAbsent(key, value);
            global.putIfAbsent(key, value);
        }
        if (!current.isEmpty()) {
            blocks.add(current);
        }
        return new CpuInfo(blocks, global);
    }

    String first(String... keys) {
        for (String key : keys) {
            String value = global.get(key);
            if (value != null && !value.isEmpty()) {
                return value;
            }
        }
        return null;
    }

    /** CPU flags in the order the first processor lists them (x86 "flags", arm/s390 "features"). */
    List<String> flags() {
        String line = first("flags", "features");
        if (line == null) {
            return List.of();
        }
        List<String> flags = new ArrayList<>();
        for (String flag : line.split("\\s+")) {
            if (!flag.isEmpty() && !flags.contains(flag)) {
                flags.add(flag);
            }
        }
        return flags;
    }
}
