package org.virtcaps.assembly;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.ServiceReference;
import org.osgi.util.tracker.ServiceTracker;
import org.virtcaps.core.api.CapabilitiesChange;
import org.virtcaps.core.api.CapabilitiesService;
import org.virtcaps.core.model.Capabilities;
import org.virtcaps.remote.RemoteHost;

/**
 * Two real containers on loopback: one probes its host and serves it, the other is configured (Config
 * Admin factory configuration, through its configuration directory) to know it as a remote host and
 * registers a capabilities service for it that local code uses like the local one.
 */
class RemoteHostIT {
    @TempDir
    Path dir;

    private static ServiceTracker<RemoteHost, RemoteHost> remoteHosts(TestContainer local) {
        ServiceTracker<RemoteHost, RemoteHost> tracker = new ServiceTracker<>(local.context, RemoteHost.class, null);
        tracker.open();
        return tracker;
    }

    private static void configure(TestContainer local, String name, String properties) throws Exception {
        Files.writeString(local.configs.resolve("org.virtcaps.remote-" + name + ".cfg"), properties);
    }

    private static <T> T await(java.util.function.Supplier<T> probe, Predicate<T> done, String what) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        T value = probe.get();
        while (value == null || !done.test(value)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what + "; last: " + value);
            }
            Thread.sleep(50);
            value = probe.get();
        }
        return value;
    }

    private static boolean hasTestGuests(Capabilities c) {
        return c.architectures().stream().anyMatch(g -> g.domainType().equals("test"));
    }

    @Test
    void aRemoteHostIsAServiceThatFollowsTheRemoteHost() throws Exception {
        TestContainer remoteSide = new TestContainer(dir.resolve("remote"), Map.of());
        try (TestContainer local = new TestContainer(dir.resolve("local"), Map.of())) {
            CapabilitiesService theirs = remoteSide.capabilities();
            theirs.settled();
            HttpEndpointAwait.up(remoteSide.endpoint());
            configure(local, "lab", "url = " + remoteSide.endpoint() + "\nhostName = lab-host\nmode = events\n");
            ServiceTracker<RemoteHost, RemoteHost> tracker = remoteHosts(local);
            RemoteHost remote = tracker.waitForService(20_000);
            assertNotNull(remote, "a RemoteHost service appears for the configuration");
            ServiceReference<RemoteHost> reference = tracker.getServiceReference();
            assertEquals("lab-host", reference.getProperty(CapabilitiesService.HOST_PROPERTY));
            assertEquals(remoteSide.endpoint().toString(), reference.getProperty(RemoteHost.URL_PROPERTY));
            // local code finds it by host name, as a plain capabilities service
            assertEquals(1, local.context.getServiceReferences(CapabilitiesService.class,
                    "(" + CapabilitiesService.HOST_PROPERTY + "=lab-host)").size());

            Capabilities mirrored = await(remote::snapshot, c -> c.generation() == theirs.snapshot().generation(),
                    "the remote document");
            assertEquals(theirs.snapshot().host(), mirrored.host());
            assertEquals(theirs.snapshot().architectures(), mirrored.architectures());
            assertEquals(theirs.snapshot().guests(), mirrored.guests());
            assertFalse(remote.stale());

            // a driver arrives over there: the change event brings it here, and listeners hear of it
            BlockingQueue<CapabilitiesChange> changes = new LinkedBlockingQueue<>();
            try (AutoCloseable listening = remote.addListener(changes::add)) {
                Files.copy(TestContainer.exampleDriver(), remoteSide.drivers.resolve("test-driver.jar"));
                await(remote::snapshot, RemoteHostIT::hasTestGuests, "the test driver's guests");
                // (a driver joins, then its probe lands: one or more changes; one of them adds its guests)
                CapabilitiesChange change;
                do {
                    change = changes.poll(10, TimeUnit.SECONDS);
                    assertNotNull(change, "a change event with the test driver's guests");
                } while (change.guestsAdded().stream().noneMatch(g -> g.domainType().equals("test")));
            }
            assertEquals("x86_64", remote.query(org.virtcaps.core.api.GuestQuery.ALL.withDomainType("test")
                    .withWordsize(64)).matches().get(0).arch());
            assertTrue(remote.descriptions().describe("pc", java.util.Locale.GERMAN).orElseThrow().startsWith("Standard-PC"));

            // the connection is lost (the remote endpoint stops; the host itself does not change): the last
            // snapshot stays, marked stale, with the reason
            Capabilities before = remote.snapshot();
            org.osgi.framework.Bundle jetty = java.util.Arrays.stream(remoteSide.context.getBundles())
                    .filter(b -> "org.apache.felix.http.jetty12".equals(b.getSymbolicName())).findFirst().orElseThrow();
            jetty.stop();
            await(() -> reference.getProperty(RemoteHost.STALE_PROPERTY), Boolean.TRUE::equals, "the stale mark");
            assertTrue(remote.stale());
            String refused = "cannot connect to " + remoteSide.endpoint();
            await(() -> remote.problem().orElse(""), p -> p.contains(refused), "the reason");
            assertEquals(before, remote.snapshot(), "the last good snapshot is kept");

            // the endpoint comes back on the same address: the service recovers by itself (backoff retries)
            jetty.start();
            await(() -> reference.getProperty(RemoteHost.STALE_PROPERTY), Boolean.FALSE::equals, "recovery");
            assertTrue(remote.problem().isEmpty());
            assertTrue(hasTestGuests(remote.snapshot()));
            tracker.close();
        } finally {
            remoteSide.close();
        }
    }

    @Test
    void pollingWithATokenAndAWrongToken() throws Exception {
        try (TestContainer remoteSide = new TestContainer(dir.resolve("remote"), Map.of());
                TestContainer local = new TestContainer(dir.resolve("local"), Map.of())) {
            Files.writeString(remoteSide.configs.resolve("org.virtcaps.http.cfg"), "token = t0ken\n");
            CapabilitiesService theirs = remoteSide.capabilities();
            theirs.settled();
            HttpEndpointAwait.up(remoteSide.endpoint(), "t0ken");
            configure(local, "good", "url = " + remoteSide.endpoint() + "?token=t0ken\nmode = poll\npollSeconds = 1\n");
            configure(local, "bad", "url = " + remoteSide.endpoint() + "\ntoken = wrong\nhostName = bad\nmode = poll\n");
            ServiceTracker<RemoteHost, RemoteHost> tracker = remoteHosts(local);
            RemoteHost good = await(() -> find(tracker, "127.0.0.1"), r -> true, "the good host");
            RemoteHost bad = await(() -> find(tracker, "bad"), r -> true, "the bad host");
            await(good::snapshot, c -> c.generation() == theirs.snapshot().generation(), "the polled document");
            assertFalse(good.stale());
            assertEquals(0, bad.snapshot().architectures().size());
            assertTrue(bad.stale());
            assertTrue(bad.problem().orElseThrow().contains("bearer token"), bad.problem().toString());
            assertTrue(bad.snapshot().host().diagnostics().get(0).message().contains("bearer token"));
            tracker.close();
        }
    }

    private static RemoteHost find(ServiceTracker<RemoteHost, RemoteHost> tracker, String host) {
        ServiceReference<RemoteHost>[] refs = tracker.getServiceReferences();
        if (refs != null) {
            for (ServiceReference<RemoteHost> ref : refs) {
                if (host.equals(ref.getProperty(CapabilitiesService.HOST_PROPERTY))) {
                    return tracker.getService(ref);
                }
            }
        }
        return null;
    }
}
