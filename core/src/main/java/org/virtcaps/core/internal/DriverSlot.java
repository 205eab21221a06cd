package org.virtcaps.core.internal;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;

import org.virtcaps.core.model.Diagnostic;
import org.virtcaps.core.model.DriverState;
import org.virtcaps.core.model.GuestArchitecture;
import org.virtcaps.core.spi.HypervisorDriver;

/** One bound driver service and the outcome of its latest probe. */
final class DriverSlot {
    final HypervisorDriver driver;
    final long serviceId;
    final String name;
    /** Set while the driver's probe method is executing (even past its timeout, if it ignores interrupts). */
    final AtomicBoolean running = new AtomicBoolean();
    volatile Outcome outcome = new Outcome(DriverState.PROBING, List.of(), List.of(), Duration.ZERO);
    /** Guarded by this slot. */
    CompletableFuture<Outcome> inFlight;
    volatile boolean removed;

    DriverSlot(HypervisorDriver driver, long serviceId, String name) {
        this.driver = driver;
        this.serviceId = serviceId;
        this.name = name;
    }

    /** A finished probe: state, valid entries, diagnostics, time taken. */
    record Outcome(DriverState state, List<GuestArchitecture> guests, List<Diagnostic> diagnostics, Duration time) {
    }
}
