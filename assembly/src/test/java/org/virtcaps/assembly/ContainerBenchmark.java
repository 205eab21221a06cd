package org.virtcaps.assembly;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.osgi.framework.Bundle;
import org.virtcaps.core.api.CapabilitiesService;
import org.virtcaps.core.model.Capabilities;
import org.virtcaps.core.model.DriverReport;

/**
 * Container numbers, printed: start-up (JVM start to the first settled document, the container set with
 * all drivers and a warm probe cache) and the time from a driver bundle being started to its guests being
 * visible, without the driver's own probe time. Run by bench/container.sh; not a test.
 */
public final class ContainerBenchmark {
    private ContainerBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Path dir = Files.createTempDirectory("virtcaps-container-bench");
        Path cache = Path.of(args.length > 0 ? args[0] : dir.resolve("cache").toString());
        try (TestContainer c = new TestContainer(dir, Map.of("virtcaps.cache.dir", cache.toString()))) {
            CapabilitiesService service = c.capabilities();
            service.settled();
            long startup = System.currentTimeMillis() - ManagementFactory.getRuntimeMXBean().getStartTime();

            Path driver = TestContainer.exampleDriver();
            int runs = 60;
            double[] visible = new double[runs];
            for (int i = 0; i < runs; i++) {
                Bundle b = c.context.installBundle("reference:" + driver.toUri());
                CountDownLatch seen = new CountDownLatch(1);
                long[] at = new long[1];
                AutoCloseable listener = service.addListener(change -> {
                    if (change.current().architectures().stream().anyMatch(g -> g.domainType().equals("test"))) {
                        at[0] = System.nanoTime();
                        seen.countDown();
                    }
                });
                long start = System.nanoTime();
                b.start();
                if (!seen.await(10, TimeUnit.SECONDS)) {
                    throw new IllegalStateException("the test driver's guests never appeared");
                }
                Capabilities caps = service.snapshot();
                DriverReport report = caps.driver("test");
                visible[i] = (at[0] - start) / 1e6 - report.probeTime().toNanos() / 1e6;
                listener.close();
                b.uninstall();
                c.await(service, s -> s.driver("test") == null, java.time.Duration.ofSeconds(10));
            }
            double[] warm = Arrays.copyOfRange(visible, 10, runs);
            Arrays.sort(warm);
            System.out.printf("container start-up to first document: %d ms (JVM start to settled, all drivers, "
                    + "warm probe cache)%n", startup);
            System.out.printf("driver bundle started → guests visible (without its probe): median %.1f ms, p90 %.1f ms,"
                    + " first %.1f ms (target 50 ms, ratio %.2f)%n", warm[warm.length / 2], warm[warm.length * 9 / 10],
                    visible[0], warm[warm.length / 2] / 50);
        }
        Runtime.getRuntime().halt(0);
    }
}
