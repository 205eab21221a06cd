package org.virtcaps.assembly;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.Bundle;
import org.osgi.framework.Constants;
import org.virtcaps.core.api.CapabilitiesChange;
import org.virtcaps.core.api.CapabilitiesService;
import org.virtcaps.core.model.Capabilities;
import org.virtcaps.core.model.GuestArchitecture;
import org.virtcaps.core.spi.HypervisorDriver;

/** Drivers coming, changing and going through the container's drivers directory. */
class ContainerIT {
    @TempDir
    Path dir;

    private static boolean hasTest(Capabilities c, String arch) {
        return c.architectures().stream().anyMatch(g -> g.domainType().equals("test") && g.arch().equals(arch));
    }

    private static Map<Long, Integer> bundleStates(TestContainer c) {
        Map<Long, Integer> states = new HashMap<>();
        for (Bundle b : c.context.getBundles()) {
            if (!"org.virtcaps.example-test-driver".equals(b.getSymbolicName())) {
                states.put(b.getBundleId(), b.getState());
            }
        }
        return states;
    }

    private static CapabilitiesChange next(BlockingQueue<CapabilitiesChange> events,
            java.util.function.Predicate<CapabilitiesChange> wanted) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (System.nanoTime() < deadline) {
            CapabilitiesChange e = events.poll(100, TimeUnit.MILLISECONDS);
            if (e != null && wanted.test(e)) {
                return e;
            }
        }
        throw new AssertionError("no such change event");
    }

    @Test
    void driverBundlesFollowTheDriversDirectory() throws Exception {
        try (TestContainer c = new TestContainer(dir, Map.of())) {
            CapabilitiesService service = c.capabilities();
            service.settled();
            Map<Long, Integer> before = bundleStates(c);
            long serviceId = (Long) c.context.getServiceReference(CapabilitiesService.class).getProperty(Constants.SERVICE_ID);
            BlockingQueue<CapabilitiesChange> events = new LinkedBlockingQueue<>();
            service.addListener(events::add);

            // dropped in: installed, started, its guests appear, listeners hear of it
            Path jar = c.drivers.resolve("example-test-driver.jar");
            Files.copy(TestContainer.exampleDriver(), jar);
            Capabilities added = c.await(service, s -> hasTest(s, "x86_64") && hasTest(s, "i686"), Duration.ofSeconds(15));
            assertEquals("yes", added.architectures().stream().filter(g -> g.domainType().equals("test")).findFirst()
                    .orElseThrow().driverFlags().get("simulated"));
            CapabilitiesChange arrival = next(events, e -> e.guestsAdded().stream().anyMatch(g -> g.domainType().equals("test")));
            assertEquals(2, arrival.guestsAdded().stream().filter(g -> g.domainType().equals("test")).count());

            // replaced: the new version's guests replace the old ones
            Path tmp = c.drivers.resolve("update.tmp");
            Files.write(tmp, TestContainer.exampleDriverDeclaring("hvm aarch64 64 test /usr/bin/test-hv virt\n"));
            Files.move(tmp, jar, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            Capabilities updated = c.await(service, s -> hasTest(s, "aarch64") && !hasTest(s, "x86_64"), Duration.ofSeconds(15));
            assertEquals(1, updated.architectures().stream().filter(g -> g.domainType().equals("test")).count());
            CapabilitiesChange update = next(events, e -> e.guestsAdded().stream().anyMatch(g -> g.arch().equals("aarch64")));
            assertTrue(update.current().architectures().stream().noneMatch(g -> g.domainType().equals("test")
                    && g.arch().equals("x86_64")));

            // deleted: stopped, uninstalled, its guests go
            Files.delete(jar);
            c.await(service, s -> s.architectures().stream().noneMatch(g -> g.domainType().equals("test")),
                    Duration.ofSeconds(15));
            next(events, e -> e.guestsRemoved().stream().anyMatch(g -> g.domainType().equals("test")));

            // nothing else was touched: same bundles in the same states, same capabilities service
            assertEquals(before, bundleStates(c));
            assertEquals(serviceId, (Long) c.context.getServiceReference(CapabilitiesService.class)
                    .getProperty(Constants.SERVICE_ID));
        }
    }

    /**
     * Configuration values Declarative Services cannot convert ({@code emulatorTimeoutSeconds = abc} for a
     * double) used to fail the catalog's activation, taking qemu, kvm and kqemu away; a remote host without
     * url failed with an NPE. Now each bad key gives its default and is named (PID, key, why) in the drivers
     * report, and the url-less host is registered stale with its reason.
     */
    @Test
    void badConfigurationValuesAreNamedAndCostOnlyTheirKey() throws Exception {
        Path root = dir.resolve("host");
        Path bin = Files.createDirectories(root.resolve("usr/bin"));
        Files.createDirectories(root.resolve("proc/sys/kernel"));
        Files.writeString(root.resolve("proc/cpuinfo"), CommandLineIT.fixture("xen/xen-i686.cpuinfo"));
        Files.writeString(root.resolve("proc/sys/kernel/arch"), "x86_64\n");
        Files.createSymbolicLink(bin.resolve("qemu-system-x86_64"), Path.of("/usr/bin/qemu-system-x86_64"));
        Path configs = Files.createDirectories(dir.resolve("config"));
        Files.writeString(configs.resolve("org.virtcaps.driver.qemu.cfg"), "emulatorTimeoutSeconds = abc\n");
        Files.writeString(configs.resolve("org.virtcaps.core.cfg"), "refreshIntervalSeconds = often\n");
        Files.writeString(configs.resolve("org.virtcaps.remote-lab.cfg"), "mode = poll\n");
        Files.writeString(configs.resolve("org.virtcaps.http.cfg"), "maxEventStreams = many\n");
        try (TestContainer c = new TestContainer(dir, Map.of("virtcaps.root", root.toString()))) {
            CapabilitiesService service = c.capabilities();
            String timeoutProblem = "PID org.virtcaps.driver.qemu key emulatorTimeoutSeconds: 'abc' is not a number; "
                    + "using the default 10";
            Capabilities caps = c.await(service, s -> s.driver("qemu") != null && s.driver("qemu").diagnostics().stream()
                    .anyMatch(d -> d.message().equals(timeoutProblem)), Duration.ofSeconds(60));
            assertTrue(caps.architectures().stream().anyMatch(g -> g.arch().equals("x86_64") && g.domainType().equals("qemu")),
                    "the QEMU family stays: " + caps.drivers());
            caps = c.await(service, s -> s.host().diagnostics().stream().anyMatch(d -> d.message().equals(
                    "PID org.virtcaps.core key refreshIntervalSeconds: 'often' is not a number; using the default 0")),
                    Duration.ofSeconds(60));
            // the endpoint is no driver: its keys are told with the host's diagnostics, shown on /drivers
            c.await(service, s -> s.host().diagnostics().stream().anyMatch(d -> d.message().equals(
                    "PID org.virtcaps.http key maxEventStreams: 'many' is not a number; using the default 64")),
                    Duration.ofSeconds(60));
            HttpEndpointAwait.up(c.endpoint());
            java.net.http.HttpResponse<String> drivers = java.net.http.HttpClient.newHttpClient().send(
                    java.net.http.HttpRequest.newBuilder(c.endpoint().resolve("drivers")).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString());
            assertTrue(drivers.body().contains("key emulatorTimeoutSeconds: 'abc' is not a number")
                    && drivers.body().contains("key maxEventStreams: 'many' is not a number"), drivers.body());
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            String problem = null;
            while (problem == null && System.nanoTime() < deadline) {
                var refs = c.context.getServiceReferences(org.virtcaps.remote.RemoteHost.class, null);
                problem = refs.isEmpty() ? null
                        : (String) refs.iterator().next().getProperty(org.virtcaps.remote.RemoteHost.PROBLEM_PROPERTY);
                Thread.sleep(100);
            }
            assertEquals("not configured: PID org.virtcaps.remote key url: missing", problem);
            c.await(service, s -> s.host().diagnostics().stream().anyMatch(d -> d.message().equals(
                    "PID org.virtcaps.remote key url: missing")), Duration.ofSeconds(30));
        }
    }

    @Test
    void watchedSearchDirectoriesBringAnInstalledEmulatorInWithAChangeEvent() throws Exception {
        // a host tree whose /usr/bin holds the real x86_64 emulator; aarch64 is "installed" while serving
        Path root = dir.resolve("host");
        Path bin = Files.createDirectories(root.resolve("usr/bin"));
        Files.createDirectories(root.resolve("proc/sys/kernel"));
        Files.writeString(root.resolve("proc/cpuinfo"), CommandLineIT.fixture("xen/xen-i686.cpuinfo"));
        Files.writeString(root.resolve("proc/sys/kernel/arch"), "x86_64\n");
        Files.createSymbolicLink(bin.resolve("qemu-system-x86_64"), Path.of("/usr/bin/qemu-system-x86_64"));
        // configured from the start (FileInstall reads the directory as the container comes up)
        Files.createDirectories(dir.resolve("config"));
        Files.writeString(dir.resolve("config/org.virtcaps.driver.qemu.cfg"), "watchSearchDirs = true\nwatchQuietMillis = 200\n");
        try (TestContainer c = new TestContainer(dir, Map.of("virtcaps.root", root.toString()))) {
            CapabilitiesService service = c.capabilities();
            c.await(service, s -> s.architectures().stream().anyMatch(g -> g.arch().equals("x86_64")),
                    Duration.ofSeconds(60));
            // settled: the configuration applied (the catalog reconfigured and probed again), nothing pending;
            // from here only the watch can bring a new emulator in (no refresh interval is configured)
            long generation;
            do {
                generation = service.settled().generation();
                Thread.sleep(2000);
            } while (service.settled().generation() != generation);
            BlockingQueue<CapabilitiesChange> events = new LinkedBlockingQueue<>();
            service.addListener(events::add);

            // the watch starts with the configuration and registers the directories of the catalog's scans
            // (re-read every few seconds): install until it has noticed, as a package manager would again
            Path aarch64 = bin.resolve("qemu-system-aarch64");
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            Capabilities caps = service.snapshot();
            while (caps.architectures().stream().noneMatch(g -> g.arch().equals("aarch64")) && System.nanoTime() < deadline) {
                Files.deleteIfExists(aarch64);
                Files.createSymbolicLink(aarch64, Path.of("/usr/bin/qemu-system-aarch64"));
                for (int i = 0; i < 40 && caps.architectures().stream().noneMatch(g -> g.arch().equals("aarch64")); i++) {
                    Thread.sleep(100);
                    caps = service.snapshot();
                }
            }
            assertTrue(caps.architectures().stream().anyMatch(g -> g.arch().equals("aarch64")),
                    "the installed emulator was noticed without a refresh asked for: " + caps.drivers());
            assertTrue(caps.architectures().stream().anyMatch(g -> g.arch().equals("x86_64")));
            boolean heard = false;
            for (CapabilitiesChange change = events.poll(10, TimeUnit.SECONDS); change != null && !heard;
                    change = events.poll(10, TimeUnit.SECONDS)) {
                heard = change.guestsAdded().stream().anyMatch(g -> g.arch().equals("aarch64"));
            }
            assertTrue(heard, "listeners hear of the new guest");
        }
    }

    @Test
    void configurationFilesConfigureSimulatedHypervisors() throws Exception {
        try (TestContainer c = new TestContainer(dir, Map.of())) {
            CapabilitiesService service = c.capabilities();
            Files.copy(TestContainer.exampleDriver(), c.drivers.resolve("example-test-driver.jar"));
            Files.writeString(c.configs.resolve("org.virtcaps.example.simulated-bhyve.cfg"),
                    "name = bhyve\nguests = hvm x86_64 64 bhyve /usr/sbin/bhyve -\n");
            Capabilities caps = c.await(service, s -> s.driver("bhyve") != null
                    && s.architectures().stream().anyMatch(g -> g.domainType().equals("bhyve")), Duration.ofSeconds(15));
            GuestArchitecture bhyve = caps.architectures().stream().filter(g -> g.domainType().equals("bhyve"))
                    .findFirst().orElseThrow();
            assertEquals("/usr/sbin/bhyve", bhyve.emulator());
            assertTrue(caps.driver("bhyve").diagnostics().stream().anyMatch(d -> d.message().contains("not named by libvirt")),
                    "a domain type libvirt 9.0 does not know is reported, and kept for JSON and seed");
            Files.delete(c.configs.resolve("org.virtcaps.example.simulated-bhyve.cfg"));
            c.await(service, s -> s.driver("bhyve") == null, Duration.ofSeconds(15));
            List<String> remaining = service.snapshot().drivers().stream().map(d -> d.name()).toList();
            assertTrue(remaining.contains("qemu") && remaining.contains("test"), remaining.toString());
        }
    }
}
