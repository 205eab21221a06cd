package org.virtcaps.driver.kvm.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.virtcaps.core.internal.HostEnvironments;
import org.virtcaps.core.model.GuestArchitecture;
import org.virtcaps.core.spi.ProbeResult;
import org.virtcaps.driver.qemu.internal.FakeEmulators;
import org.virtcaps.driver.qemu.internal.QemuDriverTestSupport;
import org.virtcaps.driver.qemu.internal.QemuEmulatorCatalog;

/** KVM over captured host trees (a dev/kvm node made here) and this machine's real QEMU binaries. */
class KvmDriverTest {
    private static final String CPUINFO = "processor\t: 0\nvendor_id\t: GenuineIntel\ncpu family\t: 6\n"
            + "model\t\t: 158\nstepping\t: 10\nflags\t\t: fpu tsc pae lm vmx sse2\n";

    @TempDir
    Path dir;
    private QemuEmulatorCatalog catalog;

    @AfterEach
    void stop() {
        if (catalog != null) {
            catalog.deactivate();
        }
    }

    private FakeEmulators tree(String kvmMode) throws Exception {
        FakeEmulators tree = new FakeEmulators(dir.resolve("root")).file("/proc/cpuinfo", CPUINFO)
                .file("/proc/sys/kernel/arch", "x86_64\n").real("qemu-system-x86_64").real("qemu-system-i386")
                .real("qemu-system-arm");
        if (kvmMode != null) {
            tree.file("/dev/kvm", "");
            Files.setPosixFilePermissions(tree.root.resolve("dev/kvm"), PosixFilePermissions.fromString(kvmMode));
        }
        return tree;
    }

    private ProbeResult probe(FakeEmulators tree) {
        catalog = new QemuEmulatorCatalog(QemuDriverTestSupport.config(10));
        return new KvmDriver(catalog).probe(HostEnvironments.forRoot(tree.root, dir.resolve("cache/kvm")));
    }

    @Test
    void usableKvmGivesNativeArchesOnly() throws Exception {
        ProbeResult result = probe(tree("rw-rw-rw-"));
        assertEquals(List.of("x86_64", "i686"), result.guests().stream().map(GuestArchitecture::arch).toList(),
                result.diagnostics().toString());
        GuestArchitecture x86 = result.guests().get(0);
        assertEquals("kvm", x86.domainType());
        assertEquals("/usr/bin/qemu-system-x86_64", x86.emulator());
        assertEquals("kvm", x86.driverFlags().get("uses"));
        assertEquals("pc-i440fx-7.2", x86.defaultMachine().name());
        assertEquals("/usr/bin/qemu-system-i386", result.guests().get(1).emulator());
    }

    @Test
    void kvmWithoutPermissionSaysWhy() throws Exception {
        ProbeResult result = probe(tree("---------"));
        assertTrue(result.guests().isEmpty());
        assertTrue(result.diagnostics().get(0).message().contains("may not read or write"),
                result.diagnostics().toString());
    }

    @Test
    void missingKvmSaysWhy() throws Exception {
        ProbeResult result = probe(tree(null));
        assertTrue(result.guests().isEmpty());
        assertTrue(result.diagnostics().get(0).message().contains("kvm kernel module is not loaded"),
                result.diagnostics().toString());
    }

    @Test
    void dedicatedKvmBinaryOverridesTheEmulator() throws Exception {
        FakeEmulators tree = tree("rw-rw-rw-");
        // a file of its own that is a real QEMU: a copy of the binary would not find QEMU's modules (Debian
        // loads TCG as one) next to it, so without /dev/kvm it could not start at all
        Path qemuKvm = tree.dir("/usr/libexec").resolve("qemu-kvm");
        Files.writeString(qemuKvm, "#!/bin/bash\nexec -a qemu-kvm /usr/bin/qemu-system-x86_64 \"$@\"\n");
        Files.setPosixFilePermissions(qemuKvm, PosixFilePermissions.fromString("rwxr-xr-x"));
        ProbeResult result = probe(tree);
        GuestArchitecture x86 = result.guests().get(0);
        assertEquals("/usr/libexec/qemu-kvm", x86.emulator(), result.diagnostics().toString());
    }

    @Test
    void aLinkNamedKvmIsNotADedicatedBinary() throws Exception {
        FakeEmulators tree = tree("rw-rw-rw-");
        Files.createSymbolicLink(tree.bin().resolve("kvm"), Path.of("qemu-system-x86_64"));
        assertEquals("/usr/bin/qemu-system-x86_64", probe(tree).guests().get(0).emulator());
    }
}
