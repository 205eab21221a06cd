package org.virtcaps.deployer.internal;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * One single-thread lane per jar file: the operations on one bundle run in order, and a bundle whose
 * activator never returns holds up its own lane only. A watchdog reports an operation that has not finished
 * after a while, once.
 */
final class Lanes {
    private final Map<String, ExecutorService> lanes = new HashMap<>();
    private final ScheduledExecutorService watchdog;
    private final long reportAfterMillis;
    private final Consumer<String> report;

    Lanes(long reportAfterMillis, Consumer<String> report) {
        this.reportAfterMillis = reportAfterMillis;
        this.report = report;
        this.watchdog = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "virtcaps-deploy-watchdog"));
    }

    /** Runs {@code operation} on the lane of {@code name}, after what that lane already holds. */
    synchronized void submit(String name, String what, Runnable operation) {
        ExecutorService lane = lanes.computeIfAbsent(name,
                n -> Executors.newSingleThreadExecutor(r -> daemon(r, "virtcaps-deploy-" + n)));
        Future<?> done = lane.submit(() -> {
            try {
                operation.run();
            } catch (RuntimeException e) {
                report.accept(name + ": " + what + " failed: " + e);
            }
        });
        watchdog.schedule(() -> {
            if (!done.isDone()) {
                report.accept(name + ": " + what + " has not finished after " + reportAfterMillis
                        + " ms (a bundle activator that does not return?); other drivers keep deploying");
            }
        }, reportAfterMillis, TimeUnit.MILLISECONDS);
    }

    /** Stops every lane; an operation stuck in a bundle is left to its (daemon) thread. */
    synchronized void close() {
        watchdog.shutdownNow();
        lanes.values().forEach(ExecutorService::shutdownNow);
        lanes.clear();
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }
}
