package org.virtcaps.core.internal;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * /proc/cpuinfo parsed into one key/value map per processor block. Keys are lower-cased and trimmed;
 * lines without a colon are ignored, so a truncated or garbled file yields what it still holds.
 */
record CpuInfo(List<Map<String, String>> processors, Map<String, String> global) {

    static CpuInfo parse(String text) {
        Parser parser = new Parser();
        for (String line : text.split("\n", -1)) {
            parser.line(line);
        }
        return parser.result();
    }

    /**
     * Line by line, so that the file is streamed rather than held: thousands of processors repeat the same
     * values (the flags line, ~1.5 KB, on each), which are kept once and shared by every block.
     */
    static final class Parser {
        /**
         * Most key/value pairs kept over all blocks: 8192 x86 CPUs have ~250,000; a hostile file of 64 MiB
         * of tiny blocks would otherwise hold millions of maps.
         */
        static final int MAX_ENTRIES = 1 << 20;
        /** Most distinct strings shared between blocks. */
        private static final int MAX_SHARED = 1 << 16;

        private final List<Map<String, String>> blocks = new ArrayList<>();
        private int entries;
        private final Map<String, String> global = new LinkedHashMap<>();
        private final Map<String, String> distinct = new HashMap<>();
        private Map<String, String> current = new LinkedHashMap<>();

        void line(String line) {
            if (line.isBlank()) {
                if (!current.isEmpty()) {
                    blocks.add(current);
                    current = new LinkedHashMap<>();
                }
                return;
            }
            int colon = line.indexOf(':');
            if (colon <= 0) {
                return;
            }
            String key = line.substring(0, colon).trim().toLowerCase(java.util.Locale.ROOT);
            String value = line.substring(colon + 1).trim();
            if (entries >= MAX_ENTRIES) {
                return;
            }
            if (distinct.size() < MAX_SHARED) {
                key = distinct.computeIfAbsent(key, k -> k);
                value = distinct.computeIfAbsent(value, v -> v);
            }
            if (current.putIfAbsent(key, value) == null) {
                entries++;
            }
            global.putIfAbsent(key, value);
        }

        CpuInfo result() {
            List<Map<String, String>> all = new ArrayList<>(blocks);
            if (!current.isEmpty()) {
                all.add(current);
            }
            return new CpuInfo(all, global);
        }
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
        java.util.Set<String> seen = new java.util.HashSet<>();
        for (String flag : line.split("\\s+")) {
            if (!flag.isEmpty() && seen.add(flag)) {
                flags.add(flag);
            }
        }
        return flags;
    }
}
