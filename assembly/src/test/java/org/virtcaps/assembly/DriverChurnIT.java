package org.virtcaps.assembly;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.virtcaps.assembly.TestDrivers.driver;

import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.Bundle;
import org.osgi.framework.ServiceRegistration;
import org.virtcaps.core.api.CapabilitiesService;
import org.virtcaps.core.api.GuestQuery;
import org.virtcaps.core.model.Capabilities;
import org.virtcaps.core.model.DriverReport;
import org.virtcaps.core.model.DriverState;
import org.virtcaps.core.model.GuestArchitecture;
import org.virtcaps.core.model.Machine;
import org.virtcaps.core.spi.HostEnvironment;
import org.virtcaps.core.spi.HypervisorDriver;
import org.virtcaps.core.spi.ProbeResult;

/** Third-party drivers that churn or misbehave, in the running container. */
class DriverChurnIT {
    @TempDir
    Path dir;

    /** Every view of one snapshot agrees: flat entries, nested domains, the drivers' counts. */
    static boolean consistent(Capabilities c) {
        int flat = c.architectures().size();
        int nested = c.guests().stream().mapToInt(g -> g.domains().size()).sum();
        int reported = c.drivers().stream().mapToInt(DriverReport::guestCount).sum();
        return flat == nested && flat == reported;
    }

    static long usedHeap() {
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    /**
     * With and without Config Admin (SCR gets and ungets Config Admin on behalf of every component bundle,
     * which made Felix keep every uninstalled bundle reachable until {@code UninstalledBundleUsages}): the
     * heap stays within a few MiB over 500 cycles either way.
     */
    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(booleans = { true, false })
    void fiveHundredInstallUninstallCyclesWhileReadersQuery(boolean withConfigAdmin) throws Exception {
        long allowedGrowth = 3L << 20;
        try (TestContainer c = new TestContainer(dir, Map.of("virtcaps.probe.timeout", "30"),
                name -> !withConfigAdmin && name.startsWith("org.apache.felix.configadmin"))) {
            CapabilitiesService service = c.capabilities();
            service.settled();
            Path driver = TestContainer.exampleDriver();
            // one cycle first, so that classes loaded once are not counted as growth
            Bundle warm = c.context.installBundle("reference:" + driver.toUri());
            warm.start();
            warm.uninstall();
            c.refreshRemoved();
            long heapBefore = usedHeap();
            int threadsBefore = Thread.activeCount();

            AtomicBoolean stop = new AtomicBoolean();
            AtomicInteger inconsistent = new AtomicInteger();
            AtomicLong reads = new AtomicLong();
            Thread[] readers = new Thread[2];
            for (int r = 0; r < readers.length; r++) {
                readers[r] = new Thread(() -> {
                    while (!stop.get()) {
                        Capabilities s = service.snapshot();
                        if (!consistent(s)) {
                            inconsistent.incrementAndGet();
                        }
                        service.query(GuestQuery.ALL.withFullVirt(true));
                        reads.incrementAndGet();
                    }
                });
                readers[r].start();
            }
            long start = System.nanoTime();
            for (int i = 0; i < 500; i++) {
                Bundle b = c.context.installBundle("reference:" + driver.toUri());
                b.start();
                b.uninstall();
                if (i % 50 == 49) {
                    c.refreshRemoved();
                }
            }
            c.refreshRemoved();
            stop.set(true);
            for (Thread t : readers) {
                t.join();
            }
            long seconds = (System.nanoTime() - start) / 1_000_000_000;
            Capabilities end = c.await(service, s -> s.driver("test") == null, Duration.ofSeconds(10));
            assertTrue(consistent(end));
            assertEquals(0, inconsistent.get(), "no reader saw an inconsistent document");

            Thread.sleep(500);
            long heapAfter = usedHeap();
            int threadsAfter = Thread.activeCount();
            System.out.printf("churn (%s Config Admin): 500 install/start/uninstall cycles in %d s with %d reads; "
                    + "heap %d → %d KiB, threads %d → %d%n", withConfigAdmin ? "with" : "without", seconds, reads.get(),
                    heapBefore / 1024, heapAfter / 1024, threadsBefore, threadsAfter);
            assertTrue(threadsAfter <= threadsBefore + 2, "threads " + threadsBefore + " → " + threadsAfter);
            assertTrue(heapAfter - heapBefore < allowedGrowth, "heap grew by " + (heapAfter - heapBefore) / 1024 + " KiB");
        }
    }

    private static GuestArchitecture entry(String arch, String domain) {
        return new GuestArchitecture("hvm", arch, 64, domain, "/usr/bin/x", null, List.of(Machine.named("m")),
                List.of(), Map.of(), null);
    }

    @Test
    void misbehavingDriversCannotHurtThePlatform() throws Exception {
        // long enough for the real QEMU driver to probe every emulator cold on a busy machine (the test
        // relies on its x86_64 entry), short enough for the hanging driver to be cut off
        try (TestContainer c = new TestContainer(dir, Map.of("virtcaps.probe.timeout", "8"))) {
            CapabilitiesService service = c.capabilities();
            Capabilities base = service.settled();
            assertEquals(DriverState.ACTIVE, base.driver("qemu").state(), base.drivers().toString());
            int qemuGuests = base.driver("qemu").guestCount();
            Hashtable<String, Object> none = new Hashtable<>();
            c.context.registerService(HypervisorDriver.class, driver("nulls", host -> null), none);
            c.context.registerService(HypervisorDriver.class, driver("throws", host -> {
                throw new IllegalStateException("broken");
            }), none);
            c.context.registerService(HypervisorDriver.class, driver("hangs", host -> {
                Thread.sleep(600_000);
                return null;
            }), none);
            c.context.registerService(HypervisorDriver.class, driver("duplicates", host -> new ProbeResult(
                    List.of(entry("x86_64", "dup"), entry("x86_64", "dup"), entry("x86_64", "qemu")), List.of())), none);
            c.context.registerService(HypervisorDriver.class, driver("contradicts", host -> new ProbeResult(List.of(
                    new GuestArchitecture("hvm", "x86_64", 32, "contra", "/usr/bin/x", null, List.of(), List.of(),
                            Map.of(), null)), List.of())), none);
            c.context.registerService(HypervisorDriver.class, driver("unknown-arch", host -> new ProbeResult(
                    List.of(entry("quantum64", "qemu-like")), List.of())), none);

            // uninstalled in the middle of its probe: its late answer must not enter the document
            CountDownLatch probing = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            ServiceRegistration<HypervisorDriver> leaving = c.context.registerService(HypervisorDriver.class,
                    driver("leaving", host -> {
                        probing.countDown();
                        release.await();
                        return new ProbeResult(List.of(entry("x86_64", "leaving")), List.of());
                    }), none);
            probing.await();
            leaving.unregister();
            release.countDown();

            // registers and unregisters in a tight loop
            for (int i = 0; i < 300; i++) {
                c.context.registerService(HypervisorDriver.class, driver("flapping", host -> new ProbeResult(List.of(entry("x86_64", "flap")), List.of())), none).unregister();
            }

            Capabilities caps = service.settled();
            Thread.sleep(300);
            caps = service.settled();
            assertTrue(consistent(caps));
            assertEquals(DriverState.FAILED, caps.driver("nulls").state());
            assertEquals(DriverState.FAILED, caps.driver("throws").state());
            assertEquals(DriverState.TIMED_OUT, caps.driver("hangs").state());
            assertEquals(1, caps.driver("duplicates").guestCount(), "one dup kept; qemu's x86_64 is qemu's");
            assertEquals(0, caps.driver("contradicts").guestCount(), "wordsize 32 contradicts qemu's x86_64");
            assertEquals(1, caps.driver("unknown-arch").guestCount(), "kept for JSON and seed");
            assertEquals(null, caps.driver("leaving"));
            assertEquals(null, caps.driver("flapping"));
            assertTrue(caps.architectures().stream().noneMatch(g -> g.domainType().equals("leaving")
                    || g.domainType().equals("flap")));
            assertEquals(qemuGuests, caps.driver("qemu").guestCount(), "the well-behaved drivers are untouched");
            org.virtcaps.core.internal.SchemaValidator.assertValid(
                    new org.virtcaps.core.internal.DocumentsComponent().format(caps, org.virtcaps.core.api.DocumentFormat.LIBVIRT));
        }
    }
}
