package org.virtcaps.core.model;

import java.time.Duration;
import java.util.List;

/**
 * What one driver did in the latest probe.
 *
 * @param name driver name
 * @param state outcome
 * @param guestCount number of guest architectures it contributed
 * @param probeTime how long its latest probe took
 * @param diagnostics why it contributed nothing, what it skipped, what went wrong
 */
public record DriverReport(String name, DriverState state, int guestCount, Duration probeTime,
        List<Diagnostic> diagnostics) {

    public DriverReport {
        Values.require(name, "driver name");
        if (state == null) {
            throw new IllegalArgumentException("driver state is required");
        }
        probeTime = probeTime == null ? Duration.ZERO : probeTime;
        diagnostics = Values.list(diagnostics);
    }
}
