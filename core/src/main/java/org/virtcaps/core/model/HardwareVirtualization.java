package org.virtcaps.core.model;

/**
 * Hardware virtualization status of the host.
 *
 * @param cpuFlag the flag the CPU reports (vmx, svm), or null when it reports none
 * @param kvmDevice whether /dev/kvm exists
 * @param kvmUsable whether /dev/kvm can be opened for reading and writing
 * @param reason when the CPU has the flag but KVM is not usable: why, as far as the host shows it;
 *               null otherwise
 */
public record HardwareVirtualization(String cpuFlag, boolean kvmDevice, boolean kvmUsable, String reason) {

    /** Whether the CPU supports hardware virtualization at all. */
    public boolean present() {
        return cpuFlag != null;
    }
}
