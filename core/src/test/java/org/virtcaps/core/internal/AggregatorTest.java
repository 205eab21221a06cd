package org.virtcaps.core.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.virtcaps.core.api.CapabilitiesChange;
import org.virtcaps.core.api.DocumentFormat;
import org.virtcaps.core.api.GuestQuery;
import org.virtcaps.core.api.GuestQueryResult;
import org.virtcaps.core.model.Capabilities;
import org.virtcaps.core.model.DriverReport;
import org.virtcaps.core.model.DriverState;
import org.virtcaps.core.model.GuestArchitecture;
import org.virtcaps.core.model.GuestFeature;
import org.virtcaps.core.model.Machine;
import org.virtcaps.core.spi.HypervisorDriver;
import org.virtcaps.core.spi.ProbeResult;

/** The aggregator with drivers that behave and drivers that do not. */
class AggregatorTest {
    @TempDir
    Path dir;
    private LocalCapabilitiesService aggregator;
    private long nextServiceId = 100;

    private LocalCapabilitiesService start(Duration timeout) {
        aggregator = new LocalCapabilitiesService(Settings.forRoot(XenFixtureTrees.build(dir, "xen-x86_64-hvm").root)
                .withProbeTimeout(timeout));
        return aggregator;
    }

    @AfterEach
    void stop() {
        if (aggregator != null) {
            aggregator.deactivate();
        }
    }

    static GuestArchitecture guest(String osType, String arch, int wordsize, String domain, String emulator) {
        return new GuestArchitecture(osType, arch, wordsize, domain, emulator, null,
                List.of(new Machine("pc", "pc-i440fx-7.2", 255, false), Machine.named("pc-i440fx-7.2")),
                List.of(GuestFeature.toggled("acpi", true, true), GuestFeature.bare("cpuselection")), Map.of("uses", domain),
                null);
    }

    static HypervisorDriver driver(String name, GuestArchitecture... guests) {
        return new HypervisorDriver() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public ProbeResult probe(org.virtcaps.core.spi.HostEnvironment host) {
                return new ProbeResult(Arrays.asList(guests), List.of());
            }
        };
    }

    private Map<String, Object> add(HypervisorDriver driver) {
        Map<String, Object> props = Map.of(org.osgi.framework.Constants.SERVICE_ID, nextServiceId++);
        aggregator.addDriver(driver, props);
        return props;
    }

    @Test
    void hostOnlyDocumentWithoutDrivers() {
        Capabilities caps = start(Duration.ofSeconds(5)).settled();
        assertEquals("x86_64", caps.host().cpu().arch());
        assertTrue(caps.guests().isEmpty());
        assertTrue(caps.drivers().isEmpty());
        SchemaValidator.assertValid(new DocumentsComponent().format(caps, DocumentFormat.LIBVIRT));
    }

    @Test
    void driversJoinAndLeaveAndAreGroupedTheLibvirtWay() throws Exception {
        start(Duration.ofSeconds(5));
        BlockingQueue<CapabilitiesChange> changes = new LinkedBlockingQueue<>();
        aggregator.addListener(changes::add);
        Map<String, Object> kvm = add(driver("kvm", guest("hvm", "x86_64", 64, "kvm", "/usr/bin/qemu-system-x86_64")));
        Map<String, Object> qemu = add(driver("qemu", guest("hvm", "x86_64", 64, "qemu", "/usr/bin/qemu-system-x86_64"),
                guest("hvm", "i686", 32, "qemu", "/usr/bin/qemu-system-i386")));
        Capabilities caps = aggregator.settled();
        assertEquals(3, caps.architectures().size());
        assertEquals(2, caps.guests().size());
        assertEquals(List.of("qemu", "kvm"), caps.guests().get(0).domains().stream().map(d -> d.type()).toList(),
                "within a guest, qemu comes before kvm as libvirt lists them");
        assertEquals("/usr/bin/qemu-system-x86_64", caps.guests().get(0).emulator());
        SchemaValidator.assertValid(new DocumentsComponent().format(caps, DocumentFormat.LIBVIRT));

        CapabilitiesChange added = poll(changes, c -> c.driversAdded().contains("qemu"));
        assertNotNull(added);
        aggregator.removeDriver(null, qemu);
        caps = aggregator.snapshot();
        assertEquals(1, caps.architectures().size());
        assertEquals("kvm", caps.architectures().get(0).domainType());
        CapabilitiesChange removed = poll(changes, c -> c.driversRemoved().contains("qemu"));
        assertEquals(2, removed.guestsRemoved().size());
        aggregator.removeDriver(null, kvm);
        assertTrue(aggregator.snapshot().architectures().isEmpty());
    }

    private static CapabilitiesChange poll(BlockingQueue<CapabilitiesChange> changes,
            java.util.function.Predicate<CapabilitiesChange> wanted) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (System.nanoTime() < deadline) {
            CapabilitiesChange c = changes.poll(100, TimeUnit.MILLISECONDS);
            if (c != null && wanted.test(c)) {
                return c;
            }
        }
        throw new AssertionError("no such change event");
    }

    @Test
    void throwingHangingAndInvalidDriversAreIsolated() {
        start(Duration.ofMillis(500));
        add(driver("qemu", guest("hvm", "x86_64", 64, "qemu", "/usr/bin/qemu-system-x86_64")));
        add(new HypervisorDriver() {
            @Override
            public String name() {
                return "throws";
            }

            @Override
            public ProbeResult probe(org.virtcaps.core.spi.HostEnvironment host) {
                throw new IllegalStateException("hypervisor exploded");
            }
        });
        CountDownLatch interrupted = new CountDownLatch(1);
        add(new HypervisorDriver() {
            @Override
            public String name() {
                return "hangs";
            }

            @Override
            public ProbeResult probe(org.virtcaps.core.spi.HostEnvironment host) throws Exception {
                try {
                    new CountDownLatch(1).await();
                } catch (InterruptedException e) {
                    interrupted.countDown();
                    throw e;
                }
                return null;
            }
        });
        add(new HypervisorDriver() {
            @Override
            public String name() {
                return "nulls";
            }

            @Override
            public ProbeResult probe(org.virtcaps.core.spi.HostEnvironment host) {
                return null;
            }
        });
        List<GuestArchitecture> bad = new ArrayList<>();
        bad.add(null);
        bad.add(guest("hvm", "x86_64", 48, "bogus", null));
        bad.add(guest("hvm", "x86 64<", 64, "bogus", null));
        bad.add(guest("hvm", "x86_64", 64, "qemu", "/other/qemu"));
        bad.add(guest("hvm", "avr", 32, "bogus", "relative/path"));
        bad.add(guest("hvm", "avr", 32, "bogus", "/usr/bin/qemu-system-avr"));
        bad.add(guest("hvm", "avr", 32, "bogus", "/usr/bin/qemu-system-avr"));
        add(new HypervisorDriver() {
            @Override
            public String name() {
                return "bogus";
            }

            @Override
            public ProbeResult probe(org.virtcaps.core.spi.HostEnvironment host) {
                return new ProbeResult(bad, List.of());
            }
        });
        long start = System.nanoTime();
        Capabilities caps = aggregator.settled();
        assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(5), "the hanging driver does not block");
        // the interrupt is delivered at the timeout; the probe's thread notices it in its own time
        assertTrue(await(interrupted), "the hanging probe was interrupted at its timeout");

        assertEquals(DriverState.ACTIVE, caps.driver("qemu").state());
        assertEquals(DriverState.FAILED, caps.driver("throws").state());
        assertTrue(caps.driver("throws").diagnostics().get(0).message().contains("hypervisor exploded"));
        assertEquals(DriverState.TIMED_OUT, caps.driver("hangs").state());
        assertEquals(DriverState.FAILED, caps.driver("nulls").state());
        DriverReport bogus = caps.driver("bogus");
        assertEquals(1, bogus.guestCount(), "only the avr entry survives; the x86_64 duplicate of qemu's is refused");
        assertTrue(bogus.diagnostics().size() >= 6, bogus.diagnostics().toString());
        assertEquals(java.util.Set.of("qemu", "bogus"),
                caps.architectures().stream().map(GuestArchitecture::domainType).collect(java.util.stream.Collectors.toSet()));
        assertEquals("/usr/bin/qemu-system-x86_64", caps.architectures().stream()
                .filter(g -> g.arch().equals("x86_64")).findFirst().orElseThrow().emulator(),
                "the driver named after the domain type wins the conflict");
        // the libvirt document leaves out what libvirt 9.0 cannot name and stays valid
        String xml = new DocumentsComponent().format(caps, DocumentFormat.LIBVIRT);
        SchemaValidator.assertValid(xml);
        assertFalse(xml.contains("avr"));
        assertTrue(new DocumentsComponent().format(caps, DocumentFormat.JSON).contains("\"avr\""));
    }

    @Test
    void readersNeverSeeAHalfBuiltDocument() throws Exception {
        start(Duration.ofSeconds(5));
        AtomicBoolean stop = new AtomicBoolean();
        AtomicInteger inconsistent = new AtomicInteger();
        Thread reader = new Thread(() -> {
            while (!stop.get()) {
                Capabilities c = aggregator.snapshot();
                int flat = c.architectures().size();
                int nested = c.guests().stream().mapToInt(g -> g.domains().size()).sum();
                int reported = c.drivers().stream().mapToInt(DriverReport::guestCount).sum();
                if (flat != nested || flat != reported) {
                    inconsistent.incrementAndGet();
                }
            }
        });
        reader.start();
        for (int i = 0; i < 200; i++) {
            Map<String, Object> props = add(driver("churn", guest("hvm", "x86_64", 64, "qemu", "/usr/bin/q"),
                    guest("hvm", "i686", 32, "qemu", "/usr/bin/q")));
            aggregator.settled();
            aggregator.removeDriver(null, props);
        }
        stop.set(true);
        reader.join();
        assertEquals(0, inconsistent.get());
        assertTrue(aggregator.snapshot().architectures().isEmpty());
    }

    @Test
    void unchangedRefreshKeepsGenerationAndSendsNoEvent() throws Exception {
        start(Duration.ofSeconds(5));
        add(driver("qemu", guest("hvm", "x86_64", 64, "qemu", "/usr/bin/qemu-system-x86_64")));
        long generation = aggregator.settled().generation();
        BlockingQueue<CapabilitiesChange> changes = new LinkedBlockingQueue<>();
        aggregator.addListener(changes::add);
        assertEquals(generation, aggregator.refresh().generation());
        assertEquals(null, changes.poll(300, TimeUnit.MILLISECONDS));
    }

    @Test
    void queriesFilterAndCountFacets() {
        start(Duration.ofSeconds(5));
        add(driver("qemu", guest("hvm", "x86_64", 64, "qemu", "/q"), guest("hvm", "i686", 32, "qemu", "/q"),
                guest("hvm", "aarch64", 64, "qemu", "/q"), guest("hvm", "ppc", 32, "qemu", "/q")));
        add(driver("xen", guest("xen", "x86_64", 64, "xen", "/x"), guest("hvm", "x86_64", 64, "xen", "/x")));
        aggregator.settled();
        GuestQueryResult pc64 = aggregator.query(GuestQuery.ALL.withFamily("PC").withWordsize(64).withFullVirt(true));
        assertEquals(List.of("qemu", "xen"), pc64.matches().stream().map(GuestArchitecture::domainType).toList());
        assertEquals(Map.of("32", 1, "64", 2), pc64.facets().get(GuestQueryResult.WORDSIZE),
                "the wordsize facet ignores the wordsize criterion");
        assertEquals(Map.of("full", 2, "para", 1), pc64.facets().get(GuestQueryResult.VIRTUALIZATION));
        GuestQueryResult para = aggregator.query(GuestQuery.ALL.withFullVirt(false));
        assertEquals(1, para.matches().size());
        assertTrue(para.matches().get(0).paraVirt());
    }

    private static boolean await(CountDownLatch latch) {
        try {
            return latch.await(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
