package org.virtcaps.driver.kqemu.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.virtcaps.core.internal.HostEnvironments;
import org.virtcaps.core.model.GuestArchitecture;
import org.virtcaps.core.model.Host;
import org.virtcaps.core.spi.ProbeResult;
import org.virtcaps.driver.qemu.internal.FakeEmulators;
import org.virtcaps.driver.qemu.internal.QemuEmulatorCatalog;

/** kqemu from captured host trees with old-style fake emulators (QEMU 0.9 printed these texts). */
class KqemuDriverTest {
    private static final String OLD_HELP = """
            echo 'QEMU PC emulator version 0.9.1, Copyright (c) 2003-2008 Fabrice Bellard'
            echo 'usage: qemu [options] [disk_image]'
            echo '-M machine      select emulated machine (-M ? for list)'
            echo '-no-kqemu       disable KQEMU kernel module usage'
            echo '-kernel-kqemu   enable KQEMU full virtualization (default is user mode only)'
            """;
    private static final String OLD_SCRIPT = """
            case "$1" in
              -help) %s ;;
              -M) echo 'Supported machines are:'; echo 'isapc      ISA-only PC'; echo 'pc         Standard PC (default)' ;;
              *) echo 'qemu: unknown option' >&2; exit 1 ;;
            esac
            """.formatted(OLD_HELP);

    @TempDir
    Path dir;
    private QemuEmulatorCatalog catalog;

    @AfterEach
    void stop() {
        if (catalog != null) {
            catalog.deactivate();
        }
    }

    private ProbeResult probe(FakeEmulators tree) throws Exception {
        catalog = new QemuEmulatorCatalog(org.virtcaps.driver.qemu.internal.QemuDriverTestSupport.config(5));
        return new KqemuDriver(catalog).probe(HostEnvironments.forRoot(tree.root, dir.resolve("cache/kqemu"),
                Host.ofArch("i686")));
    }

    @Test
    void oldEmulatorWithKqemuDevice() throws Exception {
        FakeEmulators tree = new FakeEmulators(dir.resolve("root")).file("/dev/kqemu", "");
        tree.script("qemu", OLD_SCRIPT);
        ProbeResult result = probe(tree);
        assertEquals(1, result.guests().size(), result.diagnostics().toString());
        GuestArchitecture g = result.guests().get(0);
        assertEquals("i686", g.arch());
        assertEquals("kqemu", g.domainType());
        assertEquals("/usr/bin/qemu", g.emulator());
        assertEquals(List.of("pc", "isapc"), g.machines().stream().map(m -> m.name()).toList());
        assertEquals("kqemu", g.driverFlags().get("uses"));
        assertEquals("0.9.1", g.driverFlags().get("qemu-version"));
        assertTrue(g.hasFeature("pae") && g.hasFeature("nonpae"));
    }

    @Test
    void withoutTheDeviceItSaysWhy() throws Exception {
        FakeEmulators tree = new FakeEmulators(dir.resolve("root"));
        tree.script("qemu", OLD_SCRIPT);
        ProbeResult result = probe(tree);
        assertTrue(result.guests().isEmpty());
        assertTrue(result.diagnostics().get(0).message().contains("kqemu module is not loaded"));
    }

    @Test
    void todaysQemuDoesNotOfferKqemu() throws Exception {
        FakeEmulators tree = new FakeEmulators(dir.resolve("root")).file("/dev/kqemu", "").real("qemu-system-x86_64");
        ProbeResult result = probe(tree);
        assertTrue(result.guests().isEmpty());
        assertTrue(result.diagnostics().stream().anyMatch(d -> d.message().contains("does not offer kqemu")),
                result.diagnostics().toString());
    }
}
