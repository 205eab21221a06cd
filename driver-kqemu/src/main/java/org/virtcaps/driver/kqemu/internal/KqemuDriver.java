package org.virtcaps.driver.kqemu.internal;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.virtcaps.core.model.Diagnostic;
import org.virtcaps.core.model.GuestArchitecture;
import org.virtcaps.core.model.Machine;
import org.virtcaps.core.spi.HostEnvironment;
import org.virtcaps.core.spi.HypervisorDriver;
import org.virtcaps.core.spi.ProbeResult;
import org.virtcaps.core.spi.ProcessResult;
import org.virtcaps.driver.qemu.Emulator;
import org.virtcaps.driver.qemu.EmulatorCatalog;
import org.virtcaps.driver.qemu.QemuArchitectures;

/**
 * Domain type {@code kqemu}: QEMU up to 0.11 could run i686 and x86_64 guests faster with the kqemu
 * kernel module. Where /dev/kqemu exists and an i386/x86_64 emulator advertises kqemu in its
 * {@code -help} (-enable-kqemu, -kernel-kqemu, -no-kqemu), those guests get domain type kqemu. Such
 * emulators predate QMP, so they are asked the old way: {@code -help} and {@code -M ?}.
 */
@Component(property = HypervisorDriver.NAME_PROPERTY + "=kqemu")
public class KqemuDriver implements HypervisorDriver {
    private static final Duration TIMEOUT = Duration.ofSeconds(5);
    private static final int MAX_OUTPUT = 1 << 20;
    private static final Pattern KQEMU_OPTION = Pattern.compile("-(enable|kernel|no)-kqemu\\b");
    private static final Pattern VERSION = Pattern.compile("version (\\d+\\.\\d+(\\.\\d+)?)");
    private static final Pattern MACHINE_LINE = Pattern.compile("^(\\S+)\\s+(.*)$");

    private final EmulatorCatalog catalog;

    @Activate
    public KqemuDriver(@Reference EmulatorCatalog catalog) {
        this.catalog = catalog;
    }

    @Override
    public String name() {
        return "kqemu";
    }

    @Override
    public ProbeResult probe(HostEnvironment host) throws IOException {
        String hostArch = host.host().cpu().arch();
        if (!hostArch.equals("x86_64") && !hostArch.equals("i686")) {
            return ProbeResult.empty(Diagnostic.info("kqemu", "kqemu only ever existed for x86 hosts"));
        }
        if (!host.exists("/dev/kqemu")) {
            return ProbeResult.empty(Diagnostic.info("/dev/kqemu",
                    "missing: the kqemu module is not loaded (it left QEMU in 0.12 and was never in mainline Linux)"));
        }
        EmulatorCatalog.EmulatorScan scan = catalog.scan(host);
        List<String> paths = new ArrayList<>();
        scan.emulators().stream().map(Emulator::path).forEach(paths::add);
        scan.failures().stream().map(EmulatorCatalog.Failure::path).forEach(paths::add);
        ProbeResult.Builder result = ProbeResult.builder();
        Map<String, Boolean> seenArch = new LinkedHashMap<>();
        for (String path : paths) {
            String target = targetOf(path);
            if (target == null) {
                continue;
            }
            String arch = target.equals("x86_64") ? "x86_64" : "i686";
            if (seenArch.containsKey(arch)) {
                continue;
            }
            ProcessResult help = host.run(List.of(host.resolve(path).toString(), "-help"), null, TIMEOUT, MAX_OUTPUT);
            String text = help.stdout() + help.stderr();
            if (!KQEMU_OPTION.matcher(text).find()) {
                result.diagnostic(Diagnostic.info(path, "does not offer kqemu (no -enable-kqemu, -kernel-kqemu or "
                        + "-no-kqemu in -help)"));
                continue;
            }
            List<Machine> machines = machines(host, path);
            Matcher version = VERSION.matcher(text);
            Map<String, String> flags = new LinkedHashMap<>();
            flags.put("uses", "kqemu");
            if (version.find()) {
                flags.put("qemu-version", version.group(1));
            }
            seenArch.put(arch, true);
            result.guest(new GuestArchitecture("hvm", arch, QemuArchitectures.wordsize(arch), "kqemu", path, null,
                    machines, QemuArchitectures.features(arch), flags, null));
        }
        if (seenArch.isEmpty() && paths.isEmpty()) {
            result.diagnostic(Diagnostic.info("kqemu", "/dev/kqemu exists but no i386/x86_64 emulator was found"));
        }
        return result.build();
    }

    /** i386 or x86_64 from the binary's name; null for other targets. */
    static String targetOf(String path) {
        String name = path.substring(path.lastIndexOf('/') + 1);
        return switch (name) {
            case "qemu", "qemu-system-i386" -> "i386";
            case "qemu-system-x86_64" -> "x86_64";
            default -> null;
        };
    }

    /** Machines from the old {@code -M ?} listing, default first as QEMU marks it. */
    private static List<Machine> machines(HostEnvironment host, String path) throws IOException {
        ProcessResult r = host.run(List.of(host.resolve(path).toString(), "-M", "?"), null, TIMEOUT, MAX_OUTPUT);
        List<Machine> machines = new ArrayList<>();
        for (String line : r.stdout().split("\n")) {
            Matcher m = MACHINE_LINE.matcher(line.trim());
            if (!m.matches() || line.startsWith("Supported machines")) {
                continue;
            }
            Machine machine = Machine.named(m.group(1));
            if (m.group(2).contains("(default)")) {
                machines.add(0, machine);
            } else {
                machines.add(machine);
            }
        }
        return machines;
    }
}
