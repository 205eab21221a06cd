package org.virtcaps.launcher;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

import org.apache.felix.framework.Logger;

/**
 * Felix's own messages, on stderr and never on stdout (Felix prints to stdout by default, which would corrupt
 * a document written there). While a kept framework storage is being opened, the messages are held back:
 * an error then means the storage is damaged, and a run that rebuilds it has nothing to report.
 */
final class FrameworkLog extends Logger {
    private final PrintStream err;
    private final List<String> held = new ArrayList<>();
    private boolean holding;
    private int errors;

    FrameworkLog(PrintStream err) {
        this.err = err;
    }

    /** Holds messages back until {@link #release()} or {@link #discard()}. */
    synchronized void hold() {
        holding = true;
    }

    /** Prints what was held back and prints from now on. */
    synchronized void release() {
        holding = false;
        held.forEach(err::println);
        held.clear();
    }

    /** Forgets what was held back (the storage it was about is gone). */
    synchronized void discard() {
        holding = false;
        held.clear();
        errors = 0;
    }

    /** Errors logged since this log was made or last discarded. */
    synchronized int errors() {
        return errors;
    }

    /** Where Felix would print to stdout: every message of the framework ends here. */
    @Override
    protected synchronized void doLogOut(int level, String msg, Throwable throwable) {
        if (level == LOG_ERROR) {
            errors++;
        }
        String line = "virtcaps: framework: " + msg + (throwable == null ? "" : ": " + throwable);
        if (holding) {
            held.add(line);
        } else {
            err.println(line);
        }
    }
}
