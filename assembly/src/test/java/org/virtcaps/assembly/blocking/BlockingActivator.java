package org.virtcaps.assembly.blocking;

import java.nio.file.Files;
import java.nio.file.Path;

import org.osgi.framework.BundleActivator;
import org.osgi.framework.BundleContext;

/**
 * The activator of a misbehaving bundle the tests drop into a drivers directory: its start() does not return
 * (not even when interrupted) until the file named by the framework property {@code virtcaps.test.release}
 * exists.
 */
public class BlockingActivator implements BundleActivator {
    @Override
    public void start(BundleContext context) {
        Path release = Path.of(String.valueOf(context.getProperty("virtcaps.test.release")));
        while (!Files.exists(release)) {
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                // ignored on purpose: this is the bundle that never returns
            }
        }
    }

    @Override
    public void stop(BundleContext context) {
    }
}
