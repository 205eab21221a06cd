package org.virtcaps.core.api;

import java.util.List;
import java.util.Map;

import org.virtcaps.core.model.GuestArchitecture;

/**
 * Guest architectures matching a query, with facet counts for every choice a user interface offers.
 * A facet's counts apply every criterion of the query except that facet's own, so a checkbox shows how
 * many entries ticking it would give.
 *
 * @param matches the matching entries, in document order
 * @param facets facet name ({@code virtualization}, {@code family}, {@code wordsize}, {@code domain}) →
 *               choice → count
 */
public record GuestQueryResult(List<GuestArchitecture> matches, Map<String, Map<String, Integer>> facets) {
    /** Facet: full, para or other virtualization. */
    public static final String VIRTUALIZATION = "virtualization";
    /** Facet: arch family. */
    public static final String FAMILY = "family";
    /** Facet: wordsize. */
    public static final String WORDSIZE = "wordsize";
    /** Facet: domain type. */
    public static final String DOMAIN = "domain";

    public GuestQueryResult {
        matches = List.copyOf(matches);
        facets = Map.copyOf(facets);
    }
}
