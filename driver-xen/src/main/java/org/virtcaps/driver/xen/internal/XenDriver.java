package org.virtcaps.driver.xen.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.osgi.service.component.annotations.Component;
import org.virtcaps.core.model.Diagnostic;
import org.virtcaps.core.model.GuestArchitecture;
import org.virtcaps.core.model.GuestFeature;
import org.virtcaps.core.model.Machine;
import org.virtcaps.core.spi.HostEnvironment;
import org.virtcaps.core.spi.HypervisorDriver;
import org.virtcaps.core.spi.ProbeResult;
import org.virtcaps.core.spi.ProcessResult;

/**
 * Domain type {@code xen}: para-virtual ({@code xen}) and full-virtual ({@code hvm}) guests from the
 * hypervisor's own capability string, on a Xen dom0. Everything is read under the host root, and from
 * {@code xl info} when xl is installed there.
 */
@Component(property = HypervisorDriver.NAME_PROPERTY + "=xen")
public class XenDriver implements HypervisorDriver {
    private static final Duration XL_TIMEOUT = Duration.ofSeconds(10);
    private static final List<String> XL_PATHS = List.of("/usr/sbin/xl", "/usr/bin/xl", "/sbin/xl");

    @Override
    public String name() {
        return "xen";
    }

    @Override
    public ProbeResult probe(HostEnvironment host) throws IOException {
        ProbeResult.Builder result = ProbeResult.builder();
        String type = line(host, "/sys/hypervisor/type").orElse(null);
        if (!"xen".equals(type)) {
            return ProbeResult.empty(Diagnostic.info("/sys/hypervisor/type", type == null
                    ? "missing: this host does not run on a Xen hypervisor"
                    : "says '" + type + "': not a Xen hypervisor"));
        }
        Optional<String> control = line(host, "/proc/xen/capabilities");
        if (control.isPresent() && !control.get().contains("control_d")) {
            return ProbeResult.empty(Diagnostic.info("/proc/xen/capabilities",
                    "this is a Xen guest (domU), not dom0: guests are created from dom0"));
        }
        if (control.isEmpty()) {
            result.diagnostic(Diagnostic.info("/proc/xen/capabilities",
                    "missing (xenfs not mounted?): assuming this is dom0"));
        }

        String source = "/sys/hypervisor/properties/capabilities";
        Optional<String> caps;
        try {
            caps = host.readFile(source);
        } catch (IOException e) {
            return ProbeResult.empty(Diagnostic.error(source, "unreadable: " + e.getMessage()));
        }
        if (caps.isEmpty()) {
            source = "xl info";
            caps = xlCaps(host, result);
        }
        if (caps.isEmpty()) {
            return result.diagnostic(Diagnostic.warning("xen",
                    "neither /sys/hypervisor/properties/capabilities nor xl info tells the guest kinds")).build();
        }
        XenCapabilities.Parsed parsed = XenCapabilities.parse(caps.get().replaceAll("[^\\x20-\\x7e]+", " "));
        for (String bad : parsed.rejected()) {
            result.diagnostic(Diagnostic.warning(source, "unknown capability '" + abbreviate(bad) + "': skipped"));
        }
        for (String dup : parsed.duplicates()) {
            result.diagnostic(Diagnostic.info(source, "capability '" + dup + "' listed twice"));
        }
        if (parsed.kinds().isEmpty()) {
            return result.diagnostic(Diagnostic.warning(source, "names no guest kind")).build();
        }

        int[] version = version(host, parsed);
        String versionText = version[0] + "." + version[1];
        String hostArch = host.host().cpu().arch();
        String emulator = emulator(host, hostArch, result);
        String loader = loader(host, result);
        for (XenCapabilities.Kind kind : parsed.kinds()) {
            Map<String, String> flags = new LinkedHashMap<>();
            flags.put("xen-version", versionText);
            flags.put("abi", kind.abi());
            List<GuestFeature> features = new ArrayList<>();
            if (kind.pae()) {
                features.add(GuestFeature.bare("pae"));
            }
            if (kind.nonpae()) {
                features.add(GuestFeature.bare("nonpae"));
            }
            if (kind.bigEndian()) {
                features.add(GuestFeature.bare("ia64_be"));
            }
            if (kind.osType().equals("xen")) {
                flags.put("paravirt-interface", "xen");
                result.guest(new GuestArchitecture("xen", kind.arch(), kind.wordsize(), "xen", emulator, null,
                        List.of(Machine.named("xenpv")), features, flags, null));
            } else {
                features.add(GuestFeature.toggled("acpi", true, true));
                // apic could be switched off only before Xen 3.1; hap exists from 3.3
                features.add(GuestFeature.toggled("apic", true, before(version, 3, 1)));
                if (!before(version, 3, 3)) {
                    features.add(GuestFeature.toggled("hap", true, true));
                }
                result.guest(new GuestArchitecture("hvm", kind.arch(), kind.wordsize(), "xen", emulator, loader,
                        List.of(Machine.named("xenfv")), features, flags, null));
            }
        }
        // PVH guests (Xen 4.10+ on x86_64): a kind libvirt 9.0's schema cannot name; JSON and seed carry it
        boolean pv64 = parsed.kinds().stream().anyMatch(k -> k.osType().equals("xen") && k.arch().equals("x86_64"));
        if (pv64 && !before(version, 4, 10)) {
            result.guest(new GuestArchitecture("xenpvh", "x86_64", 64, "xen", emulator, null,
                    List.of(Machine.named("xenpvh")), List.of(), Map.of("xen-version", versionText), null));
        }
        return result.build();
    }

    /** The hypervisor's version from sysfs; else the capability ABI version (old hosts). */
    private static int[] version(HostEnvironment host, XenCapabilities.Parsed parsed) {
        Optional<Integer> major = line(host, "/sys/hypervisor/version/major").flatMap(XenDriver::integer);
        Optional<Integer> minor = line(host, "/sys/hypervisor/version/minor").flatMap(XenDriver::integer);
        if (major.isPresent() && minor.isPresent()) {
            return new int[] { major.get(), minor.get() };
        }
        String abi = parsed.kinds().get(0).abi();
        String[] parts = abi.substring(abi.indexOf('-') + 1).split("\\.");
        return new int[] { Integer.parseInt(parts[0]), Integer.parseInt(parts[1]) };
    }

    private static boolean before(int[] version, int major, int minor) {
        return version[0] < major || (version[0] == major && version[1] < minor);
    }

    private static Optional<String> xlCaps(HostEnvironment host, ProbeResult.Builder result) {
        for (String xl : XL_PATHS) {
            Path binary = host.resolve(xl);
            if (!Files.isExecutable(binary)) {
                continue;
            }
            try {
                ProcessResult info = host.run(List.of(binary.toString(), "info"), null, XL_TIMEOUT, 1 << 20);
                if (!info.succeeded()) {
                    result.diagnostic(Diagnostic.warning(xl, "xl info failed: " + abbreviate(info.stderr().strip())));
                    return Optional.empty();
                }
                for (String line : info.stdout().split("\n")) {
                    int colon = line.indexOf(':');
                    if (colon > 0 && line.substring(0, colon).trim().equals("xen_caps")) {
                        return Optional.of(line.substring(colon + 1).trim());
                    }
                }
                result.diagnostic(Diagnostic.warning(xl, "xl info has no xen_caps line"));
            } catch (IOException e) {
                result.diagnostic(Diagnostic.warning(xl, "could not run: " + e.getMessage()));
            }
            return Optional.empty();
        }
        return Optional.empty();
    }

    /** The device model: traditional qemu-dm or libxl's qemu-system-i386, wherever this host keeps it. */
    private static String emulator(HostEnvironment host, String hostArch, ProbeResult.Builder result) {
        List<String> candidates = new ArrayList<>(List.of("/usr/lib64/xen/bin/qemu-dm", "/usr/lib/xen/bin/qemu-dm",
                "/usr/lib/xen/bin/qemu-system-i386", "/usr/libexec/xen/bin/qemu-system-i386"));
        candidates.addAll(versioned(host, "/bin/qemu-system-i386"));
        candidates.addAll(versioned(host, "/bin/qemu-dm"));
        for (String path : candidates) {
            if (Files.isRegularFile(host.resolve(path))) {
                return path;
            }
        }
        String conventional = hostArch.equals("x86_64") ? "/usr/lib64/xen/bin/qemu-dm" : "/usr/lib/xen/bin/qemu-dm";
        result.diagnostic(Diagnostic.info("xen", "no device model found (qemu-dm, qemu-system-i386): listing "
                + conventional + ", where this layout keeps it"));
        return conventional;
    }

    private static String loader(HostEnvironment host, ProbeResult.Builder result) {
        List<String> candidates = new ArrayList<>(List.of("/usr/lib/xen/boot/hvmloader",
                "/usr/lib64/xen/boot/hvmloader", "/usr/libexec/xen/boot/hvmloader", "/usr/share/xen/boot/hvmloader"));
        candidates.addAll(versioned(host, "/boot/hvmloader"));
        for (String path : candidates) {
            if (Files.isRegularFile(host.resolve(path))) {
                return path;
            }
        }
        result.diagnostic(Diagnostic.info("xen", "no hvmloader found: listing /usr/lib/xen/boot/hvmloader"));
        return "/usr/lib/xen/boot/hvmloader";
    }

    /** Debian's versioned layout: /usr/lib/xen-4.17/… */
    private static List<String> versioned(HostEnvironment host, String suffix) {
        List<String> paths = new ArrayList<>();
        try {
            for (String name : host.list("/usr/lib")) {
                if (name.matches("xen-\\d+\\.\\d+")) {
                    paths.add("/usr/lib/" + name + suffix);
                }
            }
        } catch (IOException e) {
            // no /usr/lib listing: nothing versioned to offer
        }
        paths.sort(java.util.Comparator.reverseOrder());
        return paths;
    }

    private static Optional<String> line(HostEnvironment host, String path) {
        try {
            return host.readFile(path).map(s -> s.strip().lines().findFirst().orElse("").trim());
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    private static Optional<Integer> integer(String s) {
        try {
            return Optional.of(Integer.parseInt(s.trim()));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }

    private static String abbreviate(String s) {
        return s.length() > 60 ? s.substring(0, 57) + "..." : s;
    }
}
