package org.virtcaps.launcher;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.osgi.framework.Constants;
import org.osgi.framework.launch.Framework;
import org.osgi.util.tracker.ServiceTracker;
import org.virtcaps.launch.LaunchedCommand;

/**
 * Launcher: starts an embedded Felix with the distribution's bundles (the set bnd resolved from
 * {@code virtcaps.bndrun}), runs the command line through the CLI bundle's {@link LaunchedCommand} service
 * and exits with its code. {@code serve} runs the long-lived container instead ({@link Container}).
 *
 * <p>A one-shot run keeps its framework storage for the next run with the same bundles
 * ({@link FrameworkStorage}); concurrent runs never share one (Felix locks it).
 */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        PrintStream err = System.err;
        Timing timing = new Timing(System.getenv("VIRTCAPS_TIMING") != null, err);
        Path home = distributionHome();
        if (args.length > 0 && args[0].equals("serve")) {
            System.exit(new Container(home, err).run(java.util.Arrays.copyOfRange(args, 1, args.length)));
        }
        FrameworkStorage.Choice storage = null;
        // SIGTERM and SIGINT run this (the normal end halts without hooks): no emulator a probe has running
        // outlives the run, and a storage that is not kept is removed
        java.util.concurrent.atomic.AtomicReference<FrameworkStorage.Choice> toDiscard =
                new java.util.concurrent.atomic.AtomicReference<>();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            ProcessHandle.current().descendants().forEach(ProcessHandle::destroyForcibly);
            FrameworkStorage.Choice current = toDiscard.get();
            // the framework still runs meanwhile (installing bundles, early on) and may write into it between
            // listing and removal: again until it stays gone, for a bounded time (the next run removes what
            // is left, its owner being gone)
            for (int i = 0; i < 10 && current != null && Files.exists(current.dir()); i++) {
                discard(current);
                try {
                    Thread.sleep(20);
                } catch (InterruptedException e) {
                    break;
                }
            }
        }, "virtcaps-interrupted"));
        // storages of runs that were killed outright (one directory listing when there are none)
        Platform.sweepScratch(Platform.scratch());
        int exit;
        try {
            Map<String, String> hostOptions = HostOptions.from(args);
            Path bundles = Path.of(System.getProperty("virtcaps.bundles", home.resolve("bundles").toString()));
            List<Path> jars = Platform.bundles(bundles);
            storage = storageFor(hostOptions, jars, args);
            toDiscard.set(storage);
            Platform.Started started;
            try {
                started = startOneShot(storage, hostOptions, jars, args, err, timing);
            } catch (Platform.DamagedStorageException e) {
                // a kept storage that no longer opens cleanly (a crash, a full disk, a hand in the cache):
                // made again by this run, before the command runs, and nothing of it reaches stdout
                Platform.deleteQuietly(storage.home());
                storage = storageFor(hostOptions, jars, args);
                started = startOneShot(storage, hostOptions, jars, args, err, timing);
            } catch (BundleException e) {
                if (!storage.persistent()) {
                    throw e;
                }
                // the storage is in use by a run alongside (Felix locks it) or unreadable: run without it
                discard(storage);
                storage = FrameworkStorage.Choice.throwAway();
                toDiscard.set(storage);
                started = startOneShot(storage, hostOptions, jars, args, err, timing);
            }
            exit = runCommand(started.framework().getBundleContext(), args, err);
            timing.mark("command done");
            System.out.flush();
            FrameworkStorage.finishPriming(storage, started.framework(), started.bundles());
        } catch (Exception e) {
            err.println("virtcaps: " + e.getMessage());
            exit = 1;
        } finally {
            System.out.flush();
            discard(storage);
        }
        // the framework's threads are daemon or irrelevant now: a one-shot run ends without a slow stop
        Runtime.getRuntime().halt(exit);
    }

    /**
     * The framework storage for this run: the one kept for these bundles under the cache directory, or a
     * throw-away one with the cache disabled or not writable ({@link FrameworkStorage}).
     */
    private static FrameworkStorage.Choice storageFor(Map<String, String> hostOptions, List<Path> jars,
            String[] args) throws IOException {
        if ("false".equals(hostOptions.get("virtcaps.cache.enabled"))) {
            return FrameworkStorage.Choice.throwAway();
        }
        String configured = hostOptions.get("virtcaps.cache.dir");
        Path cache;
        if (configured != null) {
            cache = Path.of(configured);
        } else {
            // core's default cache directory (Settings): $XDG_CACHE_HOME/virtcaps or ~/.cache/virtcaps
            String xdg = System.getenv("XDG_CACHE_HOME");
            cache = Path.of(xdg != null && !xdg.isBlank() ? xdg : System.getProperty("user.home") + "/.cache", "virtcaps");
        }
        List<Path> runtime = new ArrayList<>();
        for (String entry : System.getProperty("java.class.path", "").split(java.io.File.pathSeparator)) {
            if (!entry.isEmpty()) {
                runtime.add(Path.of(entry));
            }
        }
        try {
            return FrameworkStorage.choose(cache.resolve("framework"), jars, OneShotBundles.kind(args), runtime);
        } catch (IOException e) {
            return FrameworkStorage.Choice.throwAway();
        }
    }

    private static Platform.Started startOneShot(FrameworkStorage.Choice storage, Map<String, String> hostOptions,
            List<Path> jars, String[] args, PrintStream err, Timing timing) throws IOException, BundleException {
        Map<String, String> config = baseConfig(storage.dir());
        if (storage.persistent()) {
            // a kept storage holds its own marker files, and a reused one's bundles are the point
            config.remove(Constants.FRAMEWORK_STORAGE_CLEAN);
        }
        // SCR keeps the parsed component descriptors in the storage when it stops (a priming run stops it)
        config.put("ds.cache.metadata", "true");
        config.putAll(hostOptions);
        // a one-shot command builds the JAXB context only if it has to (a cached rendering answers the
        // usual `capabilities`); reading a document with --from needs it, so it is built meanwhile
        if (!HostOptions.given(args, "--from")) {
            config.put("virtcaps.documents.prepare", "lazy");
        }
        java.util.concurrent.Callable<List<Path>> choice = storage.primed() ? storage::bundles
                : () -> OneShotBundles.select(jars, args);
        return Platform.startChosen(config, choice, storage.primed() ? storage.bundles() : null, err, timing);
    }

    /** Removes a storage that is not kept: a throw-away one, or a priming one that did not finish. */
    private static void discard(FrameworkStorage.Choice storage) {
        if (storage != null && !storage.primed()) {
            Platform.deleteQuietly(storage.dir());
        }
    }

    static Map<String, String> baseConfig(Path storage) {
        Map<String, String> config = new HashMap<>();
        config.put(Constants.FRAMEWORK_STORAGE, storage.toString());
        config.put(Constants.FRAMEWORK_STORAGE_CLEAN, Constants.FRAMEWORK_STORAGE_CLEAN_ONFIRSTINIT);
        config.put(Constants.FRAMEWORK_SYSTEMPACKAGES_EXTRA, "org.virtcaps.launch;version=1.0.0");
        config.put("felix.log.level", "1");
        // these resolves are small (tens of bundles): the resolver's worker threads cost more than they save
        // (~15 ms of a one-shot start)
        config.put("felix.resolver.parallelism", "1");
        return config;
    }

    private static int runCommand(BundleContext context, String[] args, PrintStream err) throws InterruptedException {
        ServiceTracker<LaunchedCommand, LaunchedCommand> tracker = new ServiceTracker<>(context,
                LaunchedCommand.class, null);
        tracker.open();
        try {
            LaunchedCommand command = tracker.waitForService(10_000);
            if (command == null) {
                err.println("virtcaps: the command-line bundle did not start (see the messages above)");
                return 1;
            }
            return command.run(args, System.in, System.out, err);
        } finally {
            tracker.close();
        }
    }

    /** Phase times on stderr when VIRTCAPS_TIMING is set: where start-up time goes. */
    static final class Timing {
        private final boolean enabled;
        private final PrintStream err;
        private long last;

        Timing(boolean enabled, PrintStream err) {
            this.enabled = enabled;
            this.err = err;
            if (enabled) {
                // only when asked: the management beans cost ~15 ms of start-up to load
                last = java.lang.management.ManagementFactory.getRuntimeMXBean().getStartTime();
                mark("JVM start to main");
            }
        }

        /** One step within the next phase, printed indented. */
        void detail(String step, long nanos) {
            if (enabled) {
                err.printf("virtcaps timing:   %-40s %4d ms%n", step, nanos / 1_000_000);
            }
        }

        void mark(String phase) {
            if (enabled) {
                long now = System.currentTimeMillis();
                err.printf("virtcaps timing: %-18s %4d ms%n", phase, now - last);
                last = now;
            }
        }
    }

    private static Path distributionHome() {
        String configured = System.getProperty("virtcaps.home");
        if (configured != null) {
            return Path.of(configured);
        }
        try {
            return Path.of(Main.class.getProtectionDomain().getCodeSource().getLocation().toURI()).getParent();
        } catch (Exception e) {
            return Path.of(".");
        }
    }
}
