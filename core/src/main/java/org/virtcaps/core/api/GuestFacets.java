package org.virtcaps.core.api;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.function.Predicate;

import org.virtcaps.core.model.GuestArchitecture;

/** Evaluates a {@link GuestQuery}: matches plus facet counts, each facet ignoring its own criterion. */
final class GuestFacets {
    private GuestFacets() {
    }

    static GuestQueryResult evaluate(List<GuestArchitecture> entries, GuestQuery query) {
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
                GuestQueryResult.VIRTUALIZATION,
                count(entries, family.and(wordsize).and(domain).and(arch), GuestArchitecture::virtualization),
                GuestQueryResult.FAMILY, count(entries, virt.and(wordsize).and(domain).and(arch), GuestArchitecture::family),
                GuestQueryResult.WORDSIZE,
                count(entries, virt.and(family).and(domain).and(arch), e -> Integer.toString(e.wordsize())),
                GuestQueryResult.DOMAIN,
                count(entries, virt.and(family).and(wordsize).and(arch), GuestArchitecture::domainType));
        return new GuestQueryResult(matches, facets);
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
}
