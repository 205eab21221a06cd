package org.virtcaps.http.internal;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * One line on the operator's error stream per period at most, however many requests cause it: what a
 * client can trigger at will must not let it flood the log. The next line tells how many were left out.
 */
final class RateLimitedLog {
    private final long periodNanos;
    private final AtomicLong last = new AtomicLong(System.nanoTime() - TimeUnit.DAYS.toNanos(1));
    private final AtomicInteger suppressed = new AtomicInteger();

    RateLimitedLog(long period, TimeUnit unit) {
        this.periodNanos = unit.toNanos(period);
    }

    /** Prints the line unless one was printed less than a period ago; returns whether it printed. */
    boolean log(String line) {
        long now = System.nanoTime();
        long previous = last.get();
        if (now - previous < periodNanos || !last.compareAndSet(previous, now)) {
            suppressed.incrementAndGet();
            return false;
        }
        int left = suppressed.getAndSet(0);
        System.err.println("virtcaps http: " + line + (left == 0 ? "" : " (and " + left + " more not shown)"));
        return true;
    }
}
