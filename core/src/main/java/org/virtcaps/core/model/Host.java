package org.virtcaps.core.model;

import java.util.List;

/**
 * The host part of a capabilities document. Every part except the CPU is optional: a part the host
 * does not show (a missing or malformed file) is null or empty, and {@link #diagnostics()} says why.
 *
 * @param uuid host UUID, or null
 * @param cpu the host CPU (architecture at least)
 * @param power suspend support, or null when unknown
 * @param iommu whether an IOMMU is enabled; null when unknown
 * @param migration migration features, or null
 * @param cells NUMA cells, empty when unknown
 * @param cache cache banks
 * @param securityModels security models with their base labels
 * @param memoryKiB total memory in KiB, or null
 * @param virtualization hardware virtualization status, or null when unknown
 * @param diagnostics why parts are missing
 */
public record Host(String uuid, HostCpu cpu, PowerManagement power, Boolean iommu, MigrationFeatures migration,
        List<NumaCell> cells, List<CacheBank> cache, List<SecurityModel> securityModels, Long memoryKiB,
        HardwareVirtualization virtualization, List<Diagnostic> diagnostics) {

    public Host {
        if (cpu == null) {
            throw new IllegalArgumentException("host cpu is required");
        }
        cells = Values.list(cells);
        cache = Values.list(cache);
        securityModels = Values.list(securityModels);
        diagnostics = Values.list(diagnostics);
    }

    /** A host of which only the CPU architecture is known. */
    public static Host ofArch(String arch) {
        return new Host(null, HostCpu.ofArch(arch), null, null, null, null, null, null, null, null, null);
    }
}
