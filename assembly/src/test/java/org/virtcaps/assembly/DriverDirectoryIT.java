package org.virtcaps.assembly;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.Bundle;
import org.virtcaps.core.api.CapabilitiesService;
import org.virtcaps.core.model.Capabilities;

/**
 * The container's drivers directory under misbehaving bundles: one whose activator never returns holds up
 * nothing but itself, and files that are no bundles are reported once each, in a line.
 */
class DriverDirectoryIT {
    @TempDir
    Path dir;

    private static boolean hasTestGuests(Capabilities c) {
        return c.architectures().stream().anyMatch(g -> g.domainType().equals("test"));
    }

    private static long count(String text, String what) {
        return text.lines().filter(l -> l.contains(what)).count();
    }

    @Test
    void aBundleThatNeverStartsHoldsUpOnlyItselfAndJunkIsReportedOnce() throws Exception {
        Path release = dir.resolve("release-the-blocked-activator");
        ByteArrayOutputStream said = new ByteArrayOutputStream();
        PrintStream stderr = System.err;
        System.setErr(new PrintStream(said, true, StandardCharsets.UTF_8));
        try (TestContainer c = new TestContainer(dir, Map.of("virtcaps.test.release", release.toString()))) {
            CapabilitiesService service = c.capabilities();
            Files.write(c.drivers.resolve("blocking.jar"), TestContainer.blockingBundle());
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
            while (java.util.Arrays.stream(c.context.getBundles()).noneMatch(
                    b -> "test.blocking".equals(b.getSymbolicName()) && b.getState() == Bundle.STARTING)) {
                assertTrue(System.nanoTime() < deadline, "the blocking bundle is starting");
                Thread.sleep(20);
            }

            // junk beside it: empty, random bytes, a plain jar that is no bundle
            Files.write(c.drivers.resolve("empty.jar"), new byte[0]);
            byte[] noise = new byte[4096];
            new Random(42).nextBytes(noise);
            Files.write(c.drivers.resolve("random.jar"), noise);
            try (var plain = new java.util.jar.JarOutputStream(Files.newOutputStream(c.drivers.resolve("plain.jar")),
                    new java.util.jar.Manifest())) {
                plain.putNextEntry(new java.util.jar.JarEntry("readme.txt"));
                plain.write("not a bundle".getBytes(StandardCharsets.UTF_8));
            }

            // a driver dropped now comes and goes as usual
            Files.copy(TestContainer.exampleDriver(), c.drivers.resolve("example-test-driver.jar"));
            c.await(service, DriverDirectoryIT::hasTestGuests, Duration.ofSeconds(15));
            Files.delete(c.drivers.resolve("example-test-driver.jar"));
            c.await(service, s -> !hasTestGuests(s), Duration.ofSeconds(15));
            Files.copy(TestContainer.exampleDriver(), c.drivers.resolve("example-test-driver.jar"));
            c.await(service, DriverDirectoryIT::hasTestGuests, Duration.ofSeconds(15));

            // the stuck one is named once its start has taken long; each junk file once, however often the
            // directory changes after
            deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (count(said.toString(StandardCharsets.UTF_8), "blocking.jar: installing has not finished") == 0) {
                assertTrue(System.nanoTime() < deadline, said.toString(StandardCharsets.UTF_8));
                Thread.sleep(50);
            }
            String text = said.toString(StandardCharsets.UTF_8);
            assertEquals(1, count(text, "empty.jar: not installed: not a jar file"), text);
            assertEquals(1, count(text, "random.jar: not installed: not a jar file"), text);
            assertEquals(1, count(text, "plain.jar: not installed: not an OSGi bundle"), text);
            assertTrue(text.lines().noneMatch(l -> l.startsWith("\tat ")), "no stack traces: " + text);
        } finally {
            Files.writeString(release, "");
            System.setErr(stderr);
        }
    }
}
