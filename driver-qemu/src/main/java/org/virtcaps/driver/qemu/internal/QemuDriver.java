package org.virtcaps.driver.qemu.internal;

import java.util.LinkedHashMap;
import java.util.Map;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.virtcaps.core.model.Diagnostic;
import org.virtcaps.core.model.GuestArchitecture;
import org.virtcaps.core.spi.HostEnvironment;
import org.virtcaps.core.spi.HypervisorDriver;
import org.virtcaps.core.spi.ProbeResult;
import org.virtcaps.driver.qemu.Emulator;
import org.virtcaps.driver.qemu.EmulatorCatalog;
import org.virtcaps.driver.qemu.QemuArchitectures;

/**
 * Domain type {@code qemu}: one full-virtualization guest per arch an emulator serves, plus variant
 * emulators (qemu-system-x86_64-microvm) as extra emulators of their arch.
 */
@Component(property = HypervisorDriver.NAME_PROPERTY + "=qemu")
public class QemuDriver implements HypervisorDriver {
    private final EmulatorCatalog catalog;

    @Activate
    public QemuDriver(@Reference EmulatorCatalog catalog) {
        this.catalog = catalog;
    }

    @Override
    public String name() {
        return "qemu";
    }

    @Override
    public ProbeResult probe(HostEnvironment host) {
        EmulatorCatalog.EmulatorScan scan = catalog.scan(host);
        ProbeResult.Builder result = ProbeResult.builder();
        if (catalog instanceof QemuEmulatorCatalog c) {
            // the catalog has no report of its own: a value it could not use is told with the driver it serves
            c.configProblems().forEach(result::diagnostic);
        }
        for (EmulatorCatalog.Failure f : scan.failures()) {
            result.diagnostic(Diagnostic.warning(f.path(), "skipped: " + f.reason()));
        }
        if (scan.emulators().isEmpty()) {
            return result.diagnostic(Diagnostic.info("qemu", scan.failures().isEmpty()
                    ? "no qemu-system-* emulator on the search path " + host.searchPath()
                    : "no working QEMU emulator")).build();
        }
        Map<String, Emulator> byArch = QemuArchitectures.emulatorsByArch(scan.emulators(), host.host().cpu().arch());
        for (Map.Entry<String, Emulator> e : byArch.entrySet()) {
            result.guest(guest(e.getKey(), e.getValue(), null));
            for (Emulator variant : scan.emulators()) {
                if (variant.variant() != null && QemuArchitectures.archesOf(variant.binaryTarget()).contains(e.getKey())) {
                    result.guest(guest(e.getKey(), variant, variant.variant()));
                }
            }
        }
        if (catalog instanceof QemuEmulatorCatalog c) {
            QemuEmulatorCatalog.ScanStats s = c.lastStats();
            result.diagnostic(Diagnostic.info("qemu", scan.emulators().size() + " emulators: " + s.probed()
                    + " probed now, " + (s.fromDisk() + s.fromMemory()) + " from cache"));
        }
        return result.build();
    }

    private static GuestArchitecture guest(String arch, Emulator emulator, String variant) {
        Map<String, String> flags = new LinkedHashMap<>();
        flags.put("qemu-version", emulator.version());
        flags.put("qemu-target", emulator.targetArch());
        if (variant != null) {
            flags.put("variant", variant);
        }
        return new GuestArchitecture("hvm", arch, QemuArchitectures.wordsize(arch), "qemu", emulator.path(), null,
                QemuArchitectures.machines(emulator, arch), QemuArchitectures.features(arch), flags, null);
    }
}
