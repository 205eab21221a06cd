package org.virtcaps.driver.qemu;

import java.util.List;

/**
 * A probed QEMU emulator binary.
 *
 * @param path host path as found on the search path (e.g. /usr/bin/qemu-system-x86_64)
 * @param binaryTarget the target in the binary's name ({@code x86_64}, {@code i386}, {@code ppc64le});
 *                     null for {@code qemu-kvm} and {@code kvm}
 * @param variant what follows the target in a variant binary's name ({@code microvm}), else null
 * @param targetArch what the emulator reports (QMP query-target)
 * @param version QEMU version (major.minor.micro)
 * @param packageVersion the package string QEMU reports, may be empty
 * @param machines machine types in the order QEMU lists them
 * @param kvmSupport whether QEMU has KVM support built in (QMP query-kvm "present")
 */
public record Emulator(String path, String binaryTarget, String variant, String targetArch, String version,
        String packageVersion, List<EmulatorMachine> machines, boolean kvmSupport) {

    public Emulator {
        machines = List.copyOf(machines);
    }

    /** Whether this is a dedicated KVM binary (qemu-kvm, kvm). */
    public boolean dedicatedKvm() {
        return binaryTarget == null;
    }
}
