package org.virtcaps.deployer.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarFile;
import java.util.jar.Manifest;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.osgi.framework.wiring.FrameworkWiring;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;

/**
 * The container's drivers directory ({@value #DIR_PROPERTY}): every jar file in it is installed and
 * started, replaced files update their bundle, removed ones uninstall it. A directory watch picks changes
 * up as they happen (once the directory has been quiet briefly, so a copy in progress is not read half
 * written), and a periodic rescan catches what a watch can miss.
 *
 * <p>Each file's operations run on a lane of their own ({@link Lanes}): a bundle whose activator never
 * returns holds up nothing but itself, and is reported. A file that is not a bundle, or a bundle that does
 * not resolve, is reported once per version of the file, in one line, instead of silently or with a stack
 * trace at every later change.
 */
@Component(immediate = true)
public class DriverDirectory {
    /** The framework property naming the directory; without it the component does nothing. */
    public static final String DIR_PROPERTY = "virtcaps.drivers.dir";
    private static final long QUIET_MILLIS = 50;
    private static final long RESCAN_MILLIS = 2000;
    private static final long REPORT_AFTER_MILLIS = 5000;

    private final BundleContext context;
    private final Path dir;
    private final PrintStream err = System.err;
    private final Lanes lanes = new Lanes(REPORT_AFTER_MILLIS, this::report);
    /** What this component last acted on, per file name: the file's version and its bundle. */
    private final Map<String, Deployed> deployed = new HashMap<>();
    /** File versions already reported as unusable: reported once, not at every scan. */
    private final Map<String, JarState> reported = new ConcurrentHashMap<>();
    private final WatchService watcher;
    private final Thread thread;

    /** One deployed file: the version acted on last, and its bundle once installed. */
    private static final class Deployed {
        /** Written and read by the scan only. */
        JarState state;
        volatile Bundle bundle;

        Deployed(JarState state) {
            this.state = state;
        }
    }

    @Activate
    public DriverDirectory(BundleContext context) throws IOException {
        this.context = context;
        String configured = context.getProperty(DIR_PROPERTY);
        this.dir = configured == null || configured.isBlank() ? null : Path.of(configured).toAbsolutePath();
        if (dir == null) {
            watcher = null;
            thread = null;
            return;
        }
        Files.createDirectories(dir);
        watcher = dir.getFileSystem().newWatchService();
        dir.register(watcher, StandardWatchEventKinds.ENTRY_CREATE, StandardWatchEventKinds.ENTRY_MODIFY,
                StandardWatchEventKinds.ENTRY_DELETE);
        scan();
        thread = new Thread(this::watch, "virtcaps-drivers-dir");
        thread.setDaemon(true);
        thread.start();
    }

    @Deactivate
    void deactivate() throws IOException {
        if (watcher != null) {
            watcher.close();
            thread.interrupt();
        }
        lanes.close();
    }

    private void watch() {
        try {
            while (true) {
                WatchKey key = watcher.poll(RESCAN_MILLIS, TimeUnit.MILLISECONDS);
                if (key != null) {
                    // a copy writes in many steps: act once the directory has been quiet for a moment
                    do {
                        key.pollEvents();
                        key.reset();
                        key = watcher.poll(QUIET_MILLIS, TimeUnit.MILLISECONDS);
                    } while (key != null);
                }
                scan();
            }
        } catch (ClosedWatchServiceException | InterruptedException e) {
            // deactivated
        } catch (RuntimeException e) {
            report("the drivers directory is no longer watched: " + e);
        }
    }

    /** Compares the directory with what was deployed and queues the difference on the files' lanes. */
    synchronized void scan() {
        Map<String, JarState> present = new HashMap<>();
        try (DirectoryStream<Path> jars = Files.newDirectoryStream(dir, "*.jar")) {
            for (Path jar : jars) {
                JarState state = JarState.of(jar);
                if (state != null) {
                    present.put(jar.getFileName().toString(), state);
                }
            }
        } catch (IOException e) {
            report("cannot list " + dir + ": " + e.getMessage());
            return;
        }
        boolean changed = false;
        for (Map.Entry<String, JarState> e : present.entrySet()) {
            String name = e.getKey();
            JarState state = e.getValue();
            Deployed known = deployed.get(name);
            if (known == null) {
                Deployed fresh = new Deployed(state);
                deployed.put(name, fresh);
                lanes.submit(name, "installing", () -> install(name, fresh, state));
                changed = true;
            } else if (!known.state.equals(state)) {
                known.state = state;
                lanes.submit(name, "updating", () -> update(name, known, state));
                changed = true;
            }
        }
        for (String name : List.copyOf(deployed.keySet())) {
            if (!present.containsKey(name)) {
                Deployed gone = deployed.remove(name);
                reported.remove(name);
                lanes.submit(name, "removing", () -> uninstall(gone));
                changed = true;
            }
        }
        if (changed) {
            // what did not resolve before may now (a bundle it needs has come): try again, reported once
            for (Map.Entry<String, Deployed> e : deployed.entrySet()) {
                Deployed d = e.getValue();
                Bundle bundle = d.bundle;
                if (bundle != null && (bundle.getState() & (Bundle.INSTALLED | Bundle.RESOLVED)) != 0) {
                    JarState state = d.state;
                    lanes.submit(e.getKey(), "starting", () -> start(e.getKey(), d, state));
                }
            }
        }
    }

    private void install(String name, Deployed target, JarState state) {
        Path file = dir.resolve(name);
        String notABundle = notABundle(file);
        if (notABundle != null) {
            reportOnce(name, state, "not installed: " + notABundle);
            return;
        }
        try (InputStream in = Files.newInputStream(file)) {
            target.bundle = context.installBundle(file.toUri().toString(), in);
        } catch (IOException | BundleException | SecurityException e) {
            reportOnce(name, state, "not installed: " + reason(e));
            return;
        }
        start(name, target, state);
    }

    private void update(String name, Deployed target, JarState state) {
        String notABundle = notABundle(dir.resolve(name));
        if (notABundle != null) {
            reportOnce(name, state, "not updated: " + notABundle);
            return;
        }
        Bundle bundle = target.bundle;
        if (bundle == null) {
            install(name, target, state); // the earlier version never became a bundle
            return;
        }
        try (InputStream in = Files.newInputStream(dir.resolve(name))) {
            bundle.update(in);
        } catch (IOException | BundleException | IllegalStateException e) {
            reportOnce(name, state, "not updated: " + reason(e));
            return;
        }
        refresh(bundle);
        start(name, target, state);
    }

    private void uninstall(Deployed gone) {
        Bundle bundle = gone.bundle;
        if (bundle == null) {
            return;
        }
        try {
            bundle.uninstall();
            refresh(bundle);
        } catch (BundleException | IllegalStateException e) {
            report(bundle.getLocation() + ": not uninstalled: " + reason(e));
        }
    }

    private void start(String name, Deployed target, JarState state) {
        Bundle bundle = target.bundle;
        if (bundle == null || bundle.getState() == Bundle.UNINSTALLED
                || bundle.getHeaders().get("Fragment-Host") != null) {
            return;
        }
        try {
            bundle.start();
        } catch (BundleException | IllegalStateException e) {
            reportOnce(name, state, "installed but not started: " + reason(e));
        }
    }

    private void refresh(Bundle bundle) {
        context.getBundle(0).adapt(FrameworkWiring.class).refreshBundles(List.of(bundle));
    }

    private void reportOnce(String name, JarState state, String message) {
        if (!state.equals(reported.put(name, state))) {
            report(name + ": " + message);
        }
    }

    private void report(String message) {
        err.println("virtcaps: drivers: " + message);
    }

    /**
     * Why a file cannot be a bundle, or null when it may be one. A plain jar would otherwise be installed as
     * a nameless legacy bundle that does nothing, and say nothing.
     */
    static String notABundle(Path file) {
        try (JarFile jar = new JarFile(file.toFile())) {
            Manifest manifest = jar.getManifest();
            if (manifest == null) {
                return "not an OSGi bundle (a jar without a manifest)";
            }
            if (manifest.getMainAttributes().getValue("Bundle-SymbolicName") == null) {
                return "not an OSGi bundle (its manifest has no Bundle-SymbolicName)";
            }
            return null;
        } catch (IOException | SecurityException e) {
            return "not a jar file (" + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()) + ")";
        }
    }

    /** The first line of what went wrong: a resolver's reason can run to pages. */
    private static String reason(Exception e) {
        String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        int newline = message.indexOf('\n');
        return newline < 0 ? message : message.substring(0, newline);
    }
}
