package org.virtcaps.core.spi;

import java.time.Duration;

/**
 * The outcome of a bounded process run.
 *
 * @param exitCode exit status; -1 when it was killed
 * @param stdout standard output (decoded as UTF-8, at most the requested bytes)
 * @param stderr standard error (same bound)
 * @param timedOut whether it was killed at the timeout
 * @param truncated whether output exceeded the limit (the process was then killed)
 * @param elapsed wall time
 */
public record ProcessResult(int exitCode, String stdout, String stderr, boolean timedOut, boolean truncated,
        Duration elapsed) {

    public boolean succeeded() {
        return exitCode == 0 && !timedOut && !truncated;
    }
}
