package org.virtcaps.driver.xen.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.virtcaps.core.api.DocumentFormat;
import org.virtcaps.core.internal.DocumentsComponent;
import org.virtcaps.core.internal.HostEnvironments;
import org.virtcaps.core.internal.LocalCapabilitiesService;
import org.virtcaps.core.internal.SchemaValidator;
import org.virtcaps.core.internal.Settings;
import org.virtcaps.core.model.Capabilities;
import org.virtcaps.core.model.Diagnostic;
import org.virtcaps.core.model.Guest;
import org.virtcaps.core.model.GuestArchitecture;
import org.virtcaps.core.spi.ProbeResult;

/** The Xen driver on host trees built from libvirt's Xen fixtures and from other real capability strings. */
class XenDriverTest {
    @TempDir
    Path dir;
    private LocalCapabilitiesService service;
    private final DocumentsComponent documents = new DocumentsComponent();

    @AfterEach
    void stop() {
        if (service != null) {
            service.deactivate();
        }
    }

    static String resource(String name) throws Exception {
        try (InputStream in = XenDriverTest.class.getResourceAsStream(name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private Path file(Path root, String hostPath, String content) throws Exception {
        Path f = root.resolve(hostPath.substring(1));
        Files.createDirectories(f.getParent());
        Files.writeString(f, content);
        return f;
    }

    /** A dom0 tree: the fixture's cpuinfo and capability string, Xen's sysfs and xenfs files. */
    private Path dom0(String name, String caps, String cpuinfo, String arch) throws Exception {
        Path root = dir.resolve(name);
        file(root, "/proc/cpuinfo", cpuinfo);
        file(root, "/proc/sys/kernel/arch", arch + "\n");
        file(root, "/sys/hypervisor/type", "xen\n");
        file(root, "/proc/xen/capabilities", "control_d\n");
        if (caps != null) {
            file(root, "/sys/hypervisor/properties/capabilities", caps);
        }
        return root;
    }

    private Capabilities capabilities(Path root) {
        service = new LocalCapabilitiesService(Settings.forRoot(root));
        service.addDriver(new XenDriver(), Map.of(org.osgi.framework.Constants.SERVICE_ID, 1L));
        return service.settled();
    }

    private ProbeResult probe(Path root) throws Exception {
        return new XenDriver().probe(HostEnvironments.forRoot(root, null));
    }

    @ParameterizedTest
    @ValueSource(strings = { "xen-i686", "xen-i686-pae", "xen-ia64", "xen-x86_64", "xen-x86_64-hvm" })
    void fixtureTriplesGiveTheExpectedGuests(String name) throws Exception {
        String caps = resource("/fixtures/xen/" + name + ".caps");
        String arch = name.contains("ia64") ? "ia64" : caps.contains("xen-3.0-x86_32") ? "i686" : "x86_64";
        Capabilities ours = capabilities(dom0(name, caps, resource("/fixtures/xen/" + name + ".cpuinfo"), arch));
        Capabilities expected = documents.read(XenDriverTest.class.getResourceAsStream("/fixtures/xen/" + name + ".xml"),
                name);
        assertEquals(expected.guests().size(), ours.guests().size(), ours.guests().toString());
        for (Guest want : expected.guests()) {
            Guest got = ours.guests().stream()
                    .filter(g -> g.osType().equals(want.osType()) && g.arch().equals(want.arch())).findFirst()
                    .orElseThrow(() -> new AssertionError("missing " + want.osType() + "/" + want.arch()));
            assertEquals(want.wordsize(), got.wordsize(), want.arch());
            assertEquals(want.machines(), got.machines(), want.arch());
            assertEquals(want.loader(), got.loader(), want.arch());
            assertEquals(want.emulator(), got.emulator(), want.arch());
            assertEquals(want.features(), got.features(), want.arch());
            assertEquals(List.of("xen"), got.domains().stream().map(d -> d.type()).toList());
        }
        assertEquals(expected.host().cpu().legacyFeatures(), ours.host().cpu().legacyFeatures());
        assertEquals(expected.host().cpu().arch(), ours.host().cpu().arch());
        SchemaValidator.assertValid(documents.format(ours, DocumentFormat.LIBVIRT));
    }

    @Test
    void debianLibxlHostFindsItsPathsAndNewerFeatures() throws Exception {
        Path root = dom0("debian", "xen-3.0-x86_64 hvm-3.0-x86_32 hvm-3.0-x86_32p hvm-3.0-x86_64\n",
                "processor\t: 0\nvendor_id\t: GenuineIntel\nflags\t\t: fpu pae lm vmx\n", "x86_64");
        file(root, "/sys/hypervisor/version/major", "4\n");
        file(root, "/sys/hypervisor/version/minor", "17\n");
        file(root, "/sys/hypervisor/version/extra", ".3\n");
        file(root, "/usr/lib/xen-4.17/bin/qemu-system-i386", "");
        file(root, "/usr/lib/xen-4.17/boot/hvmloader", "");
        Capabilities caps = capabilities(root);
        GuestArchitecture hvm = caps.architectures().stream().filter(g -> g.osType().equals("hvm") && g.arch().equals("x86_64"))
                .findFirst().orElseThrow();
        assertEquals("/usr/lib/xen-4.17/bin/qemu-system-i386", hvm.emulator());
        assertEquals("/usr/lib/xen-4.17/boot/hvmloader", hvm.loader());
        assertTrue(hvm.hasFeature("hap"));
        assertEquals(Boolean.FALSE, hvm.features().stream().filter(f -> f.name().equals("apic")).findFirst().orElseThrow()
                .toggle(), "apic toggles only before Xen 3.1");
        assertTrue(caps.architectures().stream().anyMatch(g -> g.osType().equals("xenpvh")), "PVH from Xen 4.10");
        String xml = documents.format(caps, DocumentFormat.LIBVIRT);
        SchemaValidator.assertValid(xml);
        assertFalse(xml.contains("xenpvh"), "libvirt 9.0's schema has no PVH os type");
        assertTrue(documents.format(caps, DocumentFormat.JSON).contains("\"xenpvh\""));
        assertEquals("xen", caps.architectures().stream().filter(g -> g.osType().equals("xen")).findFirst()
                .orElseThrow().driverFlags().get("paravirt-interface"));
    }

    @Test
    void xlInfoIsTheSourceOnArmHosts() throws Exception {
        Path root = dom0("arm", null, "processor\t: 0\nCPU implementer\t: 0x41\nCPU architecture: 8\n", "aarch64");
        Path xl = file(root, "/usr/sbin/xl", """
                #!/bin/sh
                echo 'host                   : arm-dom0'
                echo 'xen_version            : 4.17.3'
                echo 'xen_caps               : xen-3.0-aarch64 xen-3.0-armv7l '
                """);
        Files.setPosixFilePermissions(xl, PosixFilePermissions.fromString("rwxr-xr-x"));
        ProbeResult result = probe(root);
        assertEquals(List.of("aarch64", "armv7l"), result.guests().stream().map(GuestArchitecture::arch).toList());
        assertTrue(result.guests().stream().allMatch(g -> g.osType().equals("xen") && g.wordsize() == (g.arch()
                .equals("aarch64") ? 64 : 32)));
    }

    @Test
    void notXenOrNotDom0SaysWhy() throws Exception {
        Path plain = dir.resolve("plain");
        Files.createDirectories(plain);
        assertTrue(probe(plain).diagnostics().get(0).message().contains("does not run on a Xen hypervisor"));
        Path domU = dom0("domu", "xen-3.0-x86_64", "flags\t: fpu\n", "x86_64");
        file(domU, "/proc/xen/capabilities", "\n");
        ProbeResult result = probe(domU);
        assertTrue(result.guests().isEmpty());
        assertTrue(result.diagnostics().get(0).message().contains("domU"));
    }

    @Test
    void malformedCapabilityStringsAreReportedAndNeverBreakTheDocument() throws Exception {
        String megabyte = "x".repeat((1 << 20) + 10);
        Map<String, String> cases = Map.of(
                "empty", "",
                "truncated", "xen-3.0-x86_64 hvm-3.0-x86_",
                "unknown-arch", "xen-3.0-sparc64 hvm-3.0-x86_64",
                "duplicates", "hvm-3.0-x86_64 hvm-3.0-x86_64 xen-3.0-x86_64",
                "junk", "\u0000\u00ff\u0001 xen-3.0-x86_64 \u0007garbage",
                "huge", megabyte);
        for (Map.Entry<String, String> c : cases.entrySet()) {
            Path root = dom0("bad-" + c.getKey(), c.getValue(), "flags\t: fpu pae lm\n", "x86_64");
            Capabilities caps = capabilities(root);
            service.deactivate();
            service = null;
            List<Diagnostic> diags = caps.driver("xen").diagnostics();
            assertFalse(diags.isEmpty(), c.getKey());
            SchemaValidator.assertValid(documents.format(caps, DocumentFormat.LIBVIRT));
            switch (c.getKey()) {
                case "truncated", "unknown-arch" -> {
                    assertEquals(1, caps.architectures().size(), c.getKey());
                    assertTrue(diags.stream().anyMatch(d -> d.message().contains("unknown capability")), diags.toString());
                }
                case "duplicates" -> {
                    assertEquals(2, caps.architectures().size());
                    assertTrue(diags.stream().anyMatch(d -> d.message().contains("listed twice")));
                }
                case "junk" -> assertEquals(1, caps.architectures().size(), diags.toString());
                case "huge" -> assertTrue(diags.stream().anyMatch(d -> d.message().contains("unreadable")), diags.toString());
                default -> assertTrue(caps.architectures().isEmpty());
            }
        }
    }
}
