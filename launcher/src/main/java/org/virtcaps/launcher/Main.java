package org.virtcaps.launcher;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.launch.Framework;
import org.osgi.util.tracker.ServiceTracker;
import org.virtcaps.launch.LaunchedCommand;

/**
 * Launcher: starts an embedded Felix with the distribution's bundles (the set bnd resolved from
 * {@code virtcaps.bndrun}), runs the command line through the CLI bundle's {@link LaunchedCommand} service
 * and exits with its code. {@code serve} runs the long-lived container instead ({@link Container}).
 *
 * <p>The one-shot framework storage is throw-away, so concurrent runs never share state.
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
        Path storage = null;
        int exit;
        try {
            storage = Platform.scratchDirectory();
            Map<String, String> config = baseConfig(storage);
            HostOptions.from(args).forEach(config::put);
            // a one-shot command builds the JAXB context only if it has to (a cached rendering answers the
            // usual `capabilities`); reading a document with --from needs it, so it is built meanwhile
            if (!HostOptions.given(args, "--from")) {
                config.put("virtcaps.documents.prepare", "lazy");
            }
            Path bundles = Path.of(System.getProperty("virtcaps.bundles", home.resolve("bundles").toString()));
            Framework framework = Platform.start(config, () -> OneShotBundles.select(Platform.bundles(bundles), args),
                    err, timing);
            exit = runCommand(framework.getBundleContext(), args, err);
            timing.mark("command done");
        } catch (Exception e) {
            err.println("virtcaps: " + e.getMessage());
            exit = 1;
        } finally {
            System.out.flush();
            Platform.deleteQuietly(storage);
        }
        // the framework's threads are daemon or irrelevant now: a one-shot run ends without a slow stop
        Runtime.getRuntime().halt(exit);
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
