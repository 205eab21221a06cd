package org.virtcaps.launcher;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.Map;
import java.util.stream.Stream;

import org.apache.felix.framework.FrameworkFactory;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.osgi.framework.Constants;
import org.osgi.framework.launch.Framework;
import org.osgi.framework.wiring.BundleWire;
import org.osgi.framework.wiring.BundleWiring;
import org.osgi.framework.wiring.FrameworkWiring;
import org.osgi.util.tracker.ServiceTracker;
import org.virtcaps.launch.LaunchedCommand;

/**
 * One-shot launcher: starts an embedded Felix with every bundle of the distribution's {@code bundles/}
 * directory (the set bnd resolved from {@code virtcaps.bndrun}), runs the command line through the CLI
 * bundle's {@link LaunchedCommand} service and exits with its code.
 *
 * <p>Bundles are installed by reference (Felix does not copy them) into a throw-away framework storage,
 * so concurrent runs never share state.
 */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        PrintStream err = System.err;
        Timing timing = new Timing(System.getenv("VIRTCAPS_TIMING") != null, err);
        Path home = distributionHome();
        Path storage = null;
        int exit;
        Framework framework = null;
        try {
            storage = Files.createTempDirectory(scratch(), "virtcaps-felix-");
            Map<String, String> config = new HashMap<>();
            config.put(Constants.FRAMEWORK_STORAGE, storage.toString());
            config.put(Constants.FRAMEWORK_STORAGE_CLEAN, Constants.FRAMEWORK_STORAGE_CLEAN_ONFIRSTINIT);
            config.put(Constants.FRAMEWORK_SYSTEMPACKAGES_EXTRA, "org.virtcaps.launch;version=1.0.0");
            config.put("felix.log.level", "1");
            HostOptions.from(args).forEach(config::put);
            framework = new FrameworkFactory().newFramework(config);
            framework.init();
            timing.mark("framework init");
            BundleContext context = framework.getBundleContext();
            List<Bundle> installed = new ArrayList<>();
            for (Path jar : bundles(Path.of(System.getProperty("virtcaps.bundles", home.resolve("bundles").toString())))) {
                installed.add(context.installBundle("reference:" + jar.toUri()));
            }
            timing.mark("bundles installed");
            framework.start();
            for (Bundle bundle : installed) {
                if (bundle.getHeaders().get(Constants.FRAGMENT_HOST) == null) {
                    try {
                        bundle.start();
                    } catch (BundleException e) {
                        err.println("virtcaps: bundle " + bundle.getSymbolicName() + " did not start: " + e.getMessage());
                    }
                }
            }
            timing.mark("bundles started");
            exit = runCommand(context, args, err);
            timing.mark("command done");
        } catch (Exception e) {
            err.println("virtcaps: " + e.getMessage());
            exit = 1;
        } finally {
            System.out.flush();
            deleteQuietly(storage);
        }
        // the framework's threads are daemon or irrelevant now: a one-shot run ends without a slow stop
        Runtime.getRuntime().halt(exit);
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
    private static final class Timing {
        private final boolean enabled;
        private final PrintStream err;
        private long last = java.lang.management.ManagementFactory.getRuntimeMXBean().getStartTime();

        Timing(boolean enabled, PrintStream err) {
            this.enabled = enabled;
            this.err = err;
            mark("JVM start to main");
        }

        void mark(String phase) {
            if (enabled) {
                long now = System.currentTimeMillis();
                err.printf("virtcaps timing: %-18s %4d ms%n", phase, now - last);
                last = now;
            }
        }
    }

    /**
     * Where the throw-away framework storage goes: memory-backed /dev/shm when there is one (Felix writes
     * a few files per installed bundle; measured ~60 ms less per run here), else the temp directory.
     */
    private static Path scratch() {
        Path shm = Path.of("/dev/shm");
        return Files.isDirectory(shm) && Files.isWritable(shm) ? shm : Path.of(System.getProperty("java.io.tmpdir"));
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

    private static List<Path> bundles(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            throw new IOException("no bundles directory at " + dir + " (build the distribution first)");
        }
        List<Path> jars = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir, "*.jar")) {
            entries.forEach(jars::add);
        }
        jars.sort(Comparator.comparing(Path::toString));
        return jars;
    }

    private static void deleteQuietly(Path dir) {
        if (dir == null) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // a temporary directory left behind is harmless
        }
    }
}
