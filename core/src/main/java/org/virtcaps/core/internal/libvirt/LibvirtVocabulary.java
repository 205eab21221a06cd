package org.virtcaps.core.internal.libvirt;

import java.util.Set;

/**
 * The names libvirt 9.0's capability.rng accepts. A probed document is written within them so that it
 * validates; documents read from newer libvirt hosts are written back as they came.
 */
public final class LibvirtVocabulary {
    public static final Set<String> ARCHES = Set.of("aarch64", "alpha", "armv6l", "armv7l", "cris", "i686", "ia64",
            "lm32", "m68k", "microblaze", "microblazeel", "mips", "mipsel", "mips64", "mips64el", "openrisc",
            "parisc", "parisc64", "ppc", "ppc64", "ppc64le", "ppcemb", "riscv32", "riscv64", "s390", "s390x", "sh4",
            "sh4eb", "sparc", "sparc64", "unicore32", "x86_64", "xtensa", "xtensaeb");
    public static final Set<String> OS_TYPES = Set.of("xen", "linux", "hvm", "exe", "uml");
    public static final Set<String> DOMAIN_TYPES = Set.of("qemu", "kqemu", "kvm", "xen", "uml", "lxc", "openvz",
            "test");
    /** Guest features without default/toggle attributes. */
    public static final Set<String> BARE_FEATURES = Set.of("pae", "nonpae", "ia64_be", "cpuselection", "deviceboot");
    /** Guest features with default/toggle attributes. */
    public static final Set<String> TOGGLE_FEATURES = Set.of("acpi", "apic", "disksnapshot", "hap");
    public static final Set<String> HOST_LEGACY_FEATURES = Set.of("pae", "nonpae", "vmx", "svm");
    public static final Set<String> MIGRATION_TRANSPORTS = Set.of("vpxmigr", "tcp", "rdma", "vzmigr");

    private LibvirtVocabulary() {
    }

    /** Whether libvirt 9.0's schema can carry a guest of this os type, arch and domain type. */
    public static boolean canCarry(String osType, String arch, String domainType) {
        return OS_TYPES.contains(osType) && ARCHES.contains(arch) && DOMAIN_TYPES.contains(domainType);
    }
}
