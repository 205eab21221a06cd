package org.virtcaps.core.internal;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

import org.virtcaps.core.model.Diagnostic;
import org.virtcaps.core.model.DriverState;
import org.virtcaps.core.model.GuestArchitecture;
import org.virtcaps.core.spi.HypervisorDriver;

/**
 * One bound driver service and the outcome of its latest probe. The driver object is obtained on first use:
 * a driver bound through DS is then activated by the probe thread that first probes it, not by the thread
 * that registered it (in a one-shot run, the main thread starting bundles).
 */
final class DriverSlot {
    private final Lazy driver;
    final long serviceId;
    final String name;
    /** Set while the driver's probe method is executing (even past its timeout, if it ignores interrupts). */
    final AtomicBoolean running = new AtomicBoolean();
    volatile Outcome outcome = new Outcome(DriverState.PROBING, List.of(), List.of(), Duration.ZERO);
    /** Guarded by this slot. */
    CompletableFuture<Outcome> inFlight;
    volatile boolean removed;

    DriverSlot(Lazy driver, long serviceId, String name) {
        this.driver = driver;
        this.serviceId = serviceId;
        this.name = name;
    }

    /** The driver, obtained now if it was not yet; null when its service could not be had. */
    HypervisorDriver driver() {
        return driver.get();
    }

    /** The driver if it was obtained, without obtaining it. */
    HypervisorDriver obtained() {
        return driver.obtained;
    }

    /** A driver object obtained once, on first use (again after a failed attempt). */
    static final class Lazy implements Supplier<HypervisorDriver> {
        private final Supplier<HypervisorDriver> source;
        private volatile HypervisorDriver obtained;

        Lazy(Supplier<HypervisorDriver> source) {
            this.source = source;
        }

        @Override
        public HypervisorDriver get() {
            HypervisorDriver known = obtained;
            if (known == null) {
                synchronized (this) {
                    known = obtained;
                    if (known == null) {
                        known = source.get();
                        obtained = known;
                    }
                }
            }
            return known;
        }
    }

    /** A finished probe: state, valid entries, diagnostics, time taken. */
    record Outcome(DriverState state, List<GuestArchitecture> guests, List<Diagnostic> diagnostics, Duration time) {
    }
}
