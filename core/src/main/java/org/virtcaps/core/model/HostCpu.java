package org.virtcaps.core.model;

import java.util.List;

/**
 * The host CPU.
 *
 * @param arch architecture as libvirt names it (x86_64, i686, aarch64, ppc64le, s390x, ...)
 * @param model libvirt CPU model name (e.g. Skylake-Client), or null when not known
 * @param vendor vendor (Intel, AMD, ARM, ...), or null
 * @param modelName the processor's own name ("Intel(R) Core(TM)2 CPU T7600"), or null
 * @param signature family/model/stepping, or null
 * @param microcode microcode revision, or null
 * @param counter timestamp counter, or null
 * @param topology sockets/dies/clusters/cores/threads, or null
 * @param legacyFeatures the old libvirt feature block (pae, nonpae, vmx, svm)
 * @param flags every CPU flag the host reports, in the order it reports them
 * @param pageSizesKiB page sizes the host supports, smallest first
 */
public record HostCpu(String arch, String model, String vendor, String modelName, CpuSignature signature,
        Long microcode, CpuCounter counter, CpuTopology topology, List<String> legacyFeatures, List<String> flags,
        List<Long> pageSizesKiB) {

    public HostCpu {
        Values.require(arch, "cpu arch");
        legacyFeatures = Values.list(legacyFeatures);
        flags = Values.list(flags);
        pageSizesKiB = Values.list(pageSizesKiB);
    }

    public static HostCpu ofArch(String arch) {
        return new HostCpu(arch, null, null, null, null, null, null, null, null, null, null);
    }

    /** Whether the CPU reports the flag (case-sensitive, as /proc/cpuinfo spells it). */
    public boolean hasFlag(String flag) {
        return flags.contains(flag) || legacyFeatures.contains(flag);
    }
}
