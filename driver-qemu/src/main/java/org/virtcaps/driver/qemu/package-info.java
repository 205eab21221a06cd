/**
 * The catalog of QEMU emulators probed on the host, which the QEMU, KVM and kqemu drivers share: one
 * discovery and one QMP probe per emulator binary, cached, whichever driver asks first.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.0.0")
package org.virtcaps.driver.qemu;
