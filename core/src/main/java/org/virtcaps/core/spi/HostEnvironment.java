package org.virtcaps.core.spi;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

import org.osgi.annotation.versioning.ProviderType;
import org.virtcaps.core.model.Host;

/**
 * A driver's view of the host. Every path is host-absolute ({@code /proc/cpuinfo}) and resolved under
 * the configured root, so a captured host tree probes exactly like the live host.
 */
@ProviderType
public interface HostEnvironment {

    /** The root host paths are resolved under ({@code /} for the live host). */
    Path root();

    /**
     * Resolves a host-absolute path under the root. Never escapes the root: under a root other than
     * {@code /}, symbolic links in the tree are followed inside it (absolute targets from the root,
     * {@code ..} stopping at the root), so the result names the file itself, not a link.
     *
     * @throws IllegalArgumentException for a path through more than 40 links before its last name (a last
     *         name that is such a link is returned as the link, which {@link #exists} and reads refuse)
     */
    Path resolve(String hostPath);

    /** Whether the host path exists. */
    boolean exists(String hostPath);

    /**
     * Reads a small text file (at most {@code 1 MiB}; /proc and /sys files qualify).
     *
     * @return the content, or empty when the file does not exist
     * @throws IOException when it exists but cannot be read, is larger than the limit, or is not a regular
     *         file (a directory, FIFO, device or socket is refused without being opened)
     */
    Optional<String> readFile(String hostPath) throws IOException;

    /** Names in a host directory, sorted; empty when it does not exist. */
    List<String> list(String hostPath) throws IOException;

    /** The directories of the search path (PATH), resolved under the root, existing ones only. */
    List<Path> searchPath();

    /**
     * Runs a program without a shell, bounded in time and output. The process (and its descendants) is
     * killed when the timeout expires or the output exceeds the limit.
     *
     * @param command program (a real path, e.g. from {@link #resolve}) and arguments
     * @param stdin text fed to standard input, or null for none
     * @param timeout the longest it may run
     * @param maxOutputBytes the most output kept per stream
     */
    ProcessResult run(List<String> command, String stdin, Duration timeout, int maxOutputBytes) throws IOException;

    /** This driver's own persistent cache directory, created on demand; empty when caching is off. */
    Optional<Path> cacheDirectory();

    /** The host as core probed it (CPU arch and flags, hardware virtualization). */
    Host host();
}
