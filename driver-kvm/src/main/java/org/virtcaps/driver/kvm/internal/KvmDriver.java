package org.virtcaps.driver.kvm.internal;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.virtcaps.core.model.Diagnostic;
import org.virtcaps.core.model.GuestArchitecture;
import org.virtcaps.core.model.HardwareVirtualization;
import org.virtcaps.core.spi.HostEnvironment;
import org.virtcaps.core.spi.HypervisorDriver;
import org.virtcaps.core.spi.ProbeResult;
import org.virtcaps.driver.qemu.Emulator;
import org.virtcaps.driver.qemu.EmulatorCatalog;
import org.virtcaps.driver.qemu.QemuArchitectures;

/**
 * Domain type {@code kvm}: the emulators that can run guests natively on the host CPU, where /dev/kvm is
 * usable and the emulator has KVM support. Builds on the QEMU driver's emulator catalog: when that bundle
 * goes, this component goes with it, and so do its guests.
 */
@Component(property = HypervisorDriver.NAME_PROPERTY + "=kvm")
public class KvmDriver implements HypervisorDriver {
    /** Guest arches a host arch runs natively under KVM (as libvirt lists them). */
    static final Map<String, List<String>> NATIVE = Map.of("x86_64", List.of("x86_64", "i686"), "i686",
            List.of("i686"), "aarch64", List.of("aarch64", "armv7l"), "armv7l", List.of("armv7l"), "ppc64",
            List.of("ppc64", "ppc64le"), "ppc64le", List.of("ppc64", "ppc64le"), "s390x", List.of("s390x"));

    private final EmulatorCatalog catalog;

    @Activate
    public KvmDriver(@Reference EmulatorCatalog catalog) {
        this.catalog = catalog;
    }

    @Override
    public String name() {
        return "kvm";
    }

    @Override
    public ProbeResult probe(HostEnvironment host) {
        ProbeResult.Builder result = ProbeResult.builder();
        // the emulators first: the scan needs no host, and asked now it is the very scan the QEMU driver is
        // running (shared, not repeated) instead of a second one after core's host probe
        EmulatorCatalog.EmulatorScan scan = catalog.scan(host);
        String hostArch = host.host().cpu().arch();
        List<String> native_ = NATIVE.get(hostArch);
        if (native_ == null) {
            return ProbeResult.empty(Diagnostic.info("kvm", "KVM does not run guests natively on " + hostArch + " hosts"));
        }
        HardwareVirtualization hv = host.host().virtualization();
        if (hv == null || !hv.kvmDevice() || !hv.kvmUsable()) {
            return ProbeResult.empty(Diagnostic.info("/dev/kvm",
                    hv == null || hv.reason() == null ? "/dev/kvm is not usable" : hv.reason()));
        }
        Map<String, Emulator> byArch = QemuArchitectures.emulatorsByArch(scan.emulators(), hostArch);
        boolean liveHost = host.root().getParent() == null;
        for (String arch : native_) {
            Emulator emulator = byArch.get(arch);
            if (emulator == null) {
                result.diagnostic(Diagnostic.info("kvm", arch + ": no emulator for this arch"));
                continue;
            }
            if (!emulator.kvmSupport()) {
                result.diagnostic(Diagnostic.info(emulator.path(), arch + ": built without KVM support"));
                continue;
            }
            Emulator dedicated = dedicatedKvmBinary(scan.emulators(), emulator, host);
            Emulator runs = dedicated != null ? dedicated : emulator;
            if (liveHost) {
                // the device node alone does not prove KVM works (nested or restricted hosts): ask QEMU
                Optional<String> problem = catalog.acceleratorProblem(runs, "kvm", host);
                if (problem.isPresent()) {
                    result.diagnostic(Diagnostic.warning(runs.path(), arch + ": KVM does not initialize: "
                            + problem.get()));
                    continue;
                }
            } else {
                result.diagnostic(Diagnostic.info("kvm", arch + ": KVM assumed usable from the captured /dev/kvm "
                        + "(QEMU is only started against the live host)"));
            }
            Map<String, String> flags = new LinkedHashMap<>();
            flags.put("uses", "kvm");
            flags.put("qemu-version", runs.version());
            result.guest(new GuestArchitecture("hvm", arch, QemuArchitectures.wordsize(arch), "kvm", runs.path(), null,
                    QemuArchitectures.machines(runs, arch), QemuArchitectures.features(arch), flags, null));
        }
        return result.build();
    }

    /**
     * A dedicated KVM binary (qemu-kvm, kvm) for the arch's target, when it is a file of its own. Debian's
     * /usr/bin/kvm is a link to qemu-system-x86_64 and changes nothing; RHEL's /usr/libexec/qemu-kvm is
     * the only binary there is.
     */
    private static Emulator dedicatedKvmBinary(List<Emulator> emulators, Emulator regular, HostEnvironment host) {
        for (Emulator e : emulators) {
            if (e.dedicatedKvm() && e.targetArch().equals(regular.targetArch())
                    && !sameFile(host.resolve(e.path()), host.resolve(regular.path()))) {
                return e;
            }
        }
        return null;
    }

    private static boolean sameFile(Path a, Path b) {
        try {
            return a.toRealPath().equals(b.toRealPath());
        } catch (IOException e) {
            return false;
        }
    }
}
