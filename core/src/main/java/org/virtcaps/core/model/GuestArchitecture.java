package org.virtcaps.core.model;

import java.util.List;
import java.util.Map;

/**
 * One guest architecture as the original proposal lists them: one entry per arch + os type + domain type.
 * This is what a driver contributes and what user interfaces filter.
 *
 * @param osType hvm, xen, exe, ...
 * @param arch arch name
 * @param wordsize 31, 32 or 64 (8 or 16 for small embedded targets, which libvirt's format cannot carry)
 * @param domainType qemu, kvm, kqemu, xen, ...
 * @param emulator emulator path, or null
 * @param loader loader path, or null
 * @param machines machine types, default first
 * @param features guest features
 * @param driverFlags driver-specific flags that clients may use but need not understand
 *                    (e.g. {@code uses=kvm}, {@code paravirt-interface=xen})
 * @param driver name of the driver that contributed it, or null for documents read from elsewhere
 */
public record GuestArchitecture(String osType, String arch, int wordsize, String domainType, String emulator,
        String loader, List<Machine> machines, List<GuestFeature> features, Map<String, String> driverFlags,
        String driver) {

    public GuestArchitecture {
        Values.require(osType, "os type");
        Values.require(arch, "arch");
        Values.require(domainType, "domain type");
        machines = Values.list(machines);
        features = Values.list(features);
        driverFlags = Values.orderedMap(driverFlags);
    }

    /** Full virtualization: the guest runs unmodified (os type hvm). */
    public boolean fullVirt() {
        return "hvm".equals(osType);
    }

    /** Para-virtualization: the guest knows it runs on a hypervisor (os types xen, linux, xenpvh). */
    public boolean paraVirt() {
        return "xen".equals(osType) || "linux".equals(osType) || "xenpvh".equals(osType);
    }

    /** "full", "para" or "other" (containers and the like). */
    public String virtualization() {
        return fullVirt() ? "full" : paraVirt() ? "para" : "other";
    }

    /** The arch family user interfaces group by (x86, arm, ppc, ...). */
    public String family() {
        return ArchFamily.of(arch);
    }

    /** The default machine, or null when there are none. */
    public Machine defaultMachine() {
        return machines.isEmpty() ? null : machines.get(0);
    }

    public boolean hasFeature(String name) {
        return features.stream().anyMatch(f -> f.name().equals(name));
    }

    /** The same entry contributed by another driver. */
    public GuestArchitecture withDriver(String driverName) {
        return new GuestArchitecture(osType, arch, wordsize, domainType, emulator, loader, machines, features,
                driverFlags, driverName);
    }
}
