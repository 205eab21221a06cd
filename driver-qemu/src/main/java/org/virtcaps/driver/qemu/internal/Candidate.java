package org.virtcaps.driver.qemu.internal;

import java.nio.file.Path;

/**
 * A discovered emulator binary.
 *
 * @param hostPath path on the host (/usr/bin/qemu-system-arm)
 * @param file the file under the root
 * @param binaryTarget target named by the binary (arm), or null for qemu-kvm / kvm
 * @param variant the part after a known target (microvm), or null
 */
record Candidate(String hostPath, Path file, String binaryTarget, String variant) {
}
