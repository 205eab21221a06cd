package org.virtcaps.driver.xen.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The hypervisor's capability string ({@code xen-3.0-x86_64 hvm-3.0-x86_32p ...}) as guest kinds, merged
 * per os type and arch the way libvirt merges them. Tokens it cannot read are kept as diagnostics.
 */
final class XenCapabilities {
    private static final Pattern TOKEN = Pattern
            .compile("(xen|hvm)-(\\d+)\\.(\\d+)-(x86_32|x86_64|ia64|powerpc64|aarch64|armv7l)(p|be)?");
    /** A capability string longer than this is not one; the rest is not read. */
    static final int MAX_TOKENS = 256;

    /** One os type + arch the hypervisor runs, with what its tokens said. */
    record Kind(String osType, String arch, int wordsize, boolean pae, boolean nonpae, boolean bigEndian,
            String abi) {
    }

    record Parsed(List<Kind> kinds, List<String> rejected, List<String> duplicates) {
    }

    static Parsed parse(String capabilities) {
        Map<String, Kind> kinds = new LinkedHashMap<>();
        List<String> rejected = new ArrayList<>();
        List<String> duplicates = new ArrayList<>();
        Set<String> seen = new LinkedHashSet<>();
        String[] tokens = capabilities.trim().isEmpty() ? new String[0] : capabilities.trim().split("\\s+");
        for (int i = 0; i < tokens.length && i < MAX_TOKENS; i++) {
            String token = tokens[i];
            Matcher m = TOKEN.matcher(token);
            if (!m.matches()) {
                rejected.add(token);
                continue;
            }
            if (!seen.add(token)) {
                duplicates.add(token);
                continue;
            }
            String osType = m.group(1).equals("xen") ? "xen" : "hvm";
            String arch = switch (m.group(4)) {
                case "x86_32" -> "i686";
                case "powerpc64" -> "ppc64";
                default -> m.group(4);
            };
            int wordsize = arch.equals("i686") || arch.equals("armv7l") ? 32 : 64;
            String suffix = m.group(5);
            boolean pae = "p".equals(suffix);
            boolean nonpae = arch.equals("i686") && suffix == null;
            boolean be = "be".equals(suffix);
            String abi = m.group(1) + "-" + m.group(2) + "." + m.group(3);
            kinds.merge(osType + "/" + arch, new Kind(osType, arch, wordsize, pae, nonpae, be, abi),
                    (a, b) -> new Kind(a.osType(), a.arch(), a.wordsize(), a.pae() || b.pae(), a.nonpae() || b.nonpae(),
                            a.bigEndian() || b.bigEndian(), a.abi()));
        }
        if (tokens.length > MAX_TOKENS) {
            rejected.add("(" + (tokens.length - MAX_TOKENS) + " more tokens not read)");
        }
        return new Parsed(List.copyOf(kinds.values()), rejected, duplicates);
    }

    private XenCapabilities() {
    }
}
