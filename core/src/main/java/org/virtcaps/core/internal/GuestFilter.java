package org.virtcaps.core.internal;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.function.Predicate;

import org.virtcaps.core.api.GuestQuery;
import org.virtcaps.core.api.GuestQueryResult;
import org.virtcaps.core.model.GuestArchitecture;

/**
 * Evaluates a {@link GuestQuery} with facet counts. Each facet is counted over the entries that match
 * every other criterion, so a user interface can show what ticking a box would give.
 */
final class GuestFilter {
    static final String VIRTUALIZATION = "virtualization";
    static final String FAMILY = "family";
    static final String WORDSIZE = "wordsize";
    static final String DOMAIN = "domain";

    private GuestFilter() {
    }

    static GuestQueryResult query(List<GuestArchitecture> entries, GuestQuery query) {
        Predicate<GuestArchitecture> virt = e -> query.fullVirt() == null
                || (query.fullVirt() ? e.fullVirt() : e.paraVirt());
        Predicate<GuestArchitecture> family = e -> query.family() == null || query.family().equals(e.family());
        Predicate<GuestArchitecture> wordsize = e -> query.wordsize() == null || query.wordsize() == e.wordsize();
        Predicate<GuestArchitecture> domain = e -> query.domainType() == null
                || query.domainType().equals(e.domainType());
        Predicate<GuestArchitecture> arch = e -> query.arch() == null || query.arch().equals(e.arch());

        List<GuestArchitecture> matches = entries.stream()
                .filter(virt.and(family).and(wordsize).and(domain).and(arch)).toList();
        Map<String, Map<String, Integer>> facets = Map.of(
                VIRTUALIZATION, count(entries, family.and(wordsize).and(domain).and(arch), GuestFilter::virtualization),
                FAMILY, count(entries, virt.and(wordsize).and(domain).and(arch), GuestArchitecture::family),
                WORDSIZE, count(entries, virt.and(family).and(domain).and(arch), e -> Integer.toString(e.wordsize())),
                DOMAIN, count(entries, virt.and(family).and(wordsize).and(arch), GuestArchitecture::domainType));
        return new GuestQueryResult(matches, facets);
    }

    static String virtualization(GuestArchitecture e) {
        return e.fullVirt() ? "full" : e.paraVirt() ? "para" : "other";
    }

    private static Map<String, Integer> count(List<GuestArchitecture> entries, Predicate<GuestArchitecture> filter,
            Function<GuestArchitecture, String> key) {
        Map<String, Integer> counts = new TreeMap<>();
        for (GuestArchitecture e : entries) {
            if (filter.test(e)) {
                counts.merge(Objects.toString(key.apply(e)), 1, Integer::sum);
            }
        }
        return counts;
    }

    /** Parses a family name as users type it; accepts "pc" for x86. */
    static String normalizeFamily(String family) {
        if (family == null) {
            return null;
        }
        String f = family.trim().toLowerCase(java.util.Locale.ROOT);
        return f.equals("pc") ? "x86" : f;
    }
}
