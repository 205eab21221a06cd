package org.virtcaps.core.model;

import java.util.List;

/**
 * One guest in libvirt's nested view: an os type and arch with the domain types that run it.
 *
 * @param osType hvm (full virtualization), xen (para-virtualization), exe, ...
 * @param arch arch name as libvirt spells it
 * @param wordsize 31, 32 or 64
 * @param emulator default emulator path, or null
 * @param loader loader path, or null
 * @param machines machine types; the first is the default
 * @param domains domain types, each with optional emulator and machine overrides
 * @param features guest features
 */
public record Guest(String osType, String arch, int wordsize, String emulator, String loader, List<Machine> machines,
        List<GuestDomain> domains, List<GuestFeature> features) {

    public Guest {
        Values.require(osType, "os type");
        Values.require(arch, "arch");
        machines = Values.list(machines);
        domains = Values.list(domains);
        features = Values.list(features);
    }
}
