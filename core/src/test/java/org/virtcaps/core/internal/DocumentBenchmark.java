package org.virtcaps.core.internal;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.virtcaps.core.api.DocumentFormat;
import org.virtcaps.core.model.Capabilities;
import org.virtcaps.core.model.GuestArchitecture;
import org.virtcaps.core.model.GuestFeature;
import org.virtcaps.core.model.Machine;
import org.virtcaps.core.spi.HypervisorDriver;
import org.virtcaps.core.spi.ProbeResult;

/**
 * In-process costs, printed as numbers: reading a snapshot from the service and writing each format,
 * for this host with a driver contributing 28 guests of 40 machines each (the size of a host with
 * Debian's QEMU packages). Run by bench/cli.sh; not a test.
 */
public final class DocumentBenchmark {
    private DocumentBenchmark() {
    }

    public static void main(String[] args) {
        LocalCapabilitiesService aggregator = new LocalCapabilitiesService(Settings.forRoot(Path.of("/")));
        List<GuestArchitecture> guests = new ArrayList<>();
        String[] arches = { "x86_64", "i686", "aarch64", "armv7l", "ppc64", "ppc", "s390x", "sparc", "sparc64",
                "mips", "mipsel", "mips64", "mips64el", "riscv32", "riscv64", "m68k", "sh4", "sh4eb", "xtensa",
                "xtensaeb", "alpha", "cris", "microblaze", "microblazeel", "openrisc", "parisc", "ppc64le", "armv6l" };
        for (String arch : arches) {
            List<Machine> machines = new ArrayList<>();
            for (int m = 0; m < 40; m++) {
                machines.add(new Machine("machine-" + m, m == 0 ? "machine-1" : null, 255, m % 7 == 0));
            }
            guests.add(new GuestArchitecture("hvm", arch, arch.contains("64") ? 64 : 32, "qemu",
                    "/usr/bin/qemu-system-" + arch, null, machines,
                    List.of(GuestFeature.toggled("acpi", true, true), GuestFeature.bare("cpuselection")), Map.of(), null));
        }
        aggregator.addDriver(new HypervisorDriver() {
            @Override
            public String name() {
                return "qemu";
            }

            @Override
            public ProbeResult probe(org.virtcaps.core.spi.HostEnvironment host) {
                return new ProbeResult(guests, List.of());
            }
        }, Map.of(org.osgi.framework.Constants.SERVICE_ID, 1L));
        Capabilities caps = aggregator.settled();
        DocumentsComponent documents = new DocumentsComponent();

        long sink = 0;
        int reads = 10_000_000;
        for (int warm = 0; warm < 2; warm++) {
            long start = System.nanoTime();
            for (int i = 0; i < reads; i++) {
                sink += aggregator.snapshot().generation();
            }
            if (warm == 1) {
                System.out.printf("snapshot(): %.1f ns per read%n", (System.nanoTime() - start) / (double) reads);
            }
        }
        for (DocumentFormat format : DocumentFormat.values()) {
            int n = 300;
            int size = 0;
            for (int warm = 0; warm < 2; warm++) {
                long start = System.nanoTime();
                for (int i = 0; i < n; i++) {
                    size = documents.format(caps, format).length();
                }
                if (warm == 1) {
                    System.out.printf("write %-7s: %.3f ms per document (%d guests, %d chars)%n", format.name().toLowerCase(),
                            (System.nanoTime() - start) / 1e6 / n, caps.architectures().size(), size);
                }
            }
        }
        aggregator.deactivate();
        if (sink == 42) {
            System.out.println();
        }
    }
}
