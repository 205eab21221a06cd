package org.virtcaps.launch;

import java.io.InputStream;
import java.io.PrintStream;

/**
 * The hand-over from the launcher (outside the framework) to the bundle that implements the command
 * line. The launcher exports this package through the system bundle, so both sides see one class.
 */
public interface LaunchedCommand {

    /** Service property telling what the command is for (the CLI registers {@code cli}). */
    String NAME_PROPERTY = "virtcaps.launch";

    /**
     * Runs a command line.
     *
     * @return the process exit code: 0 ok, 1 failure, 2 usage error
     */
    int run(String[] args, InputStream in, PrintStream out, PrintStream err);
}
