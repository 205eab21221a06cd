package org.virtcaps.core.internal;

import java.nio.file.Path;

import org.virtcaps.core.model.Host;
import org.virtcaps.core.spi.HostEnvironment;

/**
 * Host environments outside a framework: what driver unit tests and embedding code use to probe a host
 * tree exactly as core would, without the capabilities service. (Not exported: on the class path only.)
 */
public final class HostEnvironments {
    private HostEnvironments() {
    }

    /**
     * An environment over {@code root} with the host probed from it, programs searched in the root's
     * /usr/bin and /bin, and a cache directory for one driver (null: no cache).
     */
    public static HostEnvironment forRoot(Path root, Path driverCacheDir) {
        HostFiles files = new HostFiles(root);
        Host host = new LinuxHostProber(files, root.getParent() == null ? System.getProperty("os.arch") : null).probe();
        return new LocalHostEnvironment(files, () -> host, driverCacheDir, "/usr/bin:/bin");
    }

    /** The same with a host of the caller's choosing (e.g. another arch). */
    public static HostEnvironment forRoot(Path root, Path driverCacheDir, Host host) {
        return new LocalHostEnvironment(new HostFiles(root), () -> host, driverCacheDir, "/usr/bin:/bin");
    }
}
