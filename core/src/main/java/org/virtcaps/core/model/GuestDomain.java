package org.virtcaps.core.model;

import java.util.List;

/**
 * A domain type (qemu, kvm, kqemu, xen, lxc, ...) of a guest; emulator and machines override the guest's
 * when set.
 */
public record GuestDomain(String type, String emulator, List<Machine> machines) {

    public GuestDomain {
        Values.require(type, "domain type");
        machines = Values.list(machines);
    }
}
