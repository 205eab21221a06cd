package org.virtcaps.core.api;

/**
 * A filter over guest architectures, the way a user interface asks: "only full-virt", "only PC",
 * "64-bit". A null criterion matches everything.
 *
 * @param fullVirt true: only full virtualization (hvm); false: only para-virtualization; null: both
 * @param family arch family (x86, arm, ppc, s390, sparc, mips, riscv, ...)
 * @param wordsize 32 or 64 (31 for s390)
 * @param domainType qemu, kvm, kqemu, xen, ...
 * @param arch exact arch name
 */
public record GuestQuery(Boolean fullVirt, String family, Integer wordsize, String domainType, String arch) {

    /** Matches every guest architecture. */
    public static final GuestQuery ALL = new GuestQuery(null, null, null, null, null);

    /** The entries matching this query, with facet counts (see {@link GuestQueryResult}). */
    public GuestQueryResult evaluate(java.util.List<org.virtcaps.core.model.GuestArchitecture> entries) {
        return GuestFacets.evaluate(entries, this);
    }

    public GuestQuery withFullVirt(Boolean value) {
        return new GuestQuery(value, family, wordsize, domainType, arch);
    }

    /** Accepts the names users type: "pc" is x86; case does not matter. */
    public GuestQuery withFamily(String value) {
        return new GuestQuery(fullVirt, value == null ? null : org.virtcaps.core.model.ArchFamily.parse(value), wordsize,
                domainType, arch);
    }

    public GuestQuery withWordsize(Integer value) {
        return new GuestQuery(fullVirt, family, value, domainType, arch);
    }

    public GuestQuery withDomainType(String value) {
        return new GuestQuery(fullVirt, family, wordsize, value, arch);
    }

    public GuestQuery withArch(String value) {
        return new GuestQuery(fullVirt, family, wordsize, domainType, value);
    }
}
