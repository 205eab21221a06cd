package org.virtcaps.core.internal;

import java.util.ArrayList;
import java.util.List;

/** Linux cpu lists ("0-3,8,10-11") as sorted CPU numbers. */
final class CpuSets {
    private static final int MAX_CPUS = 1 << 16;

    private CpuSets() {
    }

    static List<Integer> parse(String list) {
        List<Integer> cpus = new ArrayList<>();
        String trimmed = list.trim();
        if (trimmed.isEmpty()) {
            return cpus;
        }
        for (String part : trimmed.split(",")) {
            String[] range = part.split("-", -1);
            try {
                int from = Integer.parseInt(range[0].trim());
                int to = range.length == 2 ? Integer.parseInt(range[1].trim()) : from;
                if (range.length > 2 || from < 0 || to < from || to >= MAX_CPUS) {
                    throw new IllegalArgumentException("malformed cpu list '" + LinuxHostProber.abbreviate(list) + "'");
                }
                for (int cpu = from; cpu <= to; cpu++) {
                    cpus.add(cpu);
                }
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("malformed cpu list '" + LinuxHostProber.abbreviate(list) + "'");
            }
        }
        cpus.sort(null);
        return cpus;
    }
}
