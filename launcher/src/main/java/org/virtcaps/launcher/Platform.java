package org.virtcaps.launcher;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import org.apache.felix.framework.FrameworkFactory;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleException;
import org.osgi.framework.Constants;
import org.osgi.framework.launch.Framework;
import org.osgi.framework.wiring.BundleWire;
import org.osgi.framework.wiring.BundleWiring;
import org.osgi.framework.wiring.FrameworkWiring;

/** Starts an embedded Felix with a directory of bundles; shared by the one-shot CLI and container mode. */
final class Platform {
    private Platform() {
    }

    /**
     * Creates, fills and starts a framework. Bundles are installed by reference (Felix does not copy
     * them) and started providers first.
     */
    static Framework start(Map<String, String> config, Path bundlesDir, PrintStream err, Main.Timing timing)
            throws IOException, BundleException {
        return start(config, () -> bundles(bundlesDir), err, timing);
    }

    /**
     * The same with the bundles a task chooses; the task runs on its own thread while the framework is
     * created (it may read every bundle's manifest: ~25 ms of a one-shot start that no longer waits).
     */
    static Framework start(Map<String, String> config, java.util.concurrent.Callable<List<Path>> choice,
            PrintStream err, Main.Timing timing) throws IOException, BundleException {
        return startChosen(config, choice, err, timing).framework();
    }

    /** A started framework and the bundle jars it was given. */
    record Started(Framework framework, List<Path> bundles) {
    }

    /**
     * The same, telling which jars were chosen. Bundles already in the framework's storage (a reused
     * one-shot storage) are not installed again; all are started transiently, so a storage never starts
     * anything by itself on the next launch.
     */
    static Started startChosen(Map<String, String> config, java.util.concurrent.Callable<List<Path>> choice,
            PrintStream err, Main.Timing timing) throws IOException, BundleException {
        return startChosen(config, choice, null, err, timing);
    }

    /**
     * The same over a kept storage that should already hold {@code expected}: when opening it logs an error
     * or lacks one of them, the framework is stopped and {@link DamagedStorageException} thrown before any
     * bundle starts.
     */
    static Started startChosen(Map<String, String> config, java.util.concurrent.Callable<List<Path>> choice,
            List<Path> expected, PrintStream err, Main.Timing timing) throws IOException, BundleException {
        java.util.concurrent.FutureTask<List<Path>> chosen = new java.util.concurrent.FutureTask<>(choice);
        Thread chooser = new Thread(chosen, "virtcaps-bundle-choice");
        chooser.setDaemon(true);
        chooser.start();
        FrameworkLog log = new FrameworkLog(err);
        if (expected != null) {
            log.hold();
        }
        @SuppressWarnings({ "rawtypes", "unchecked" })
        Map<String, String> withLog = new java.util.HashMap(config);
        ((Map<String, Object>) (Map) withLog).put("felix.log.logger", log);
        Framework framework = new FrameworkFactory().newFramework(withLog);
        framework.init();
        if (expected != null) {
            String damage = damage(framework, expected, log);
            if (damage != null) {
                log.discard();
                framework.stop();
                try {
                    framework.waitForStop(10_000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                throw new DamagedStorageException(damage);
            }
            log.release();
        }
        UninstalledBundleUsages.install(framework);
        timing.mark("framework init");
        List<Path> jars;
        try {
            jars = chosen.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while choosing bundles", e);
        } catch (java.util.concurrent.ExecutionException e) {
            if (e.getCause() instanceof IOException io) {
                throw io;
            }
            throw new IOException(String.valueOf(e.getCause().getMessage()), e.getCause());
        }
        Map<String, Bundle> present = new java.util.HashMap<>();
        for (Bundle bundle : framework.getBundleContext().getBundles()) {
            present.put(bundle.getLocation(), bundle);
        }
        List<Bundle> installed = new ArrayList<>();
        for (Path jar : jars) {
            String location = "reference:" + jar.toUri();
            Bundle known = present.get(location);
            installed.add(known != null ? known : framework.getBundleContext().installBundle(location));
        }
        timing.mark("bundles installed");
        framework.start();
        timing.mark("framework started");
        List<Bundle> ordered = startOrder(framework, installed);
        timing.mark("bundles resolved");
        List<Bundle> leaves = leaves(ordered);
        for (Bundle bundle : ordered) {
            if (!leaves.contains(bundle)) {
                start(bundle, err, timing);
            }
        }
        // the leaves (drivers, the command line) wait for nothing but what has started: two threads start
        // them, using the core the JIT leaves free (~12 ms of a one-shot start, measured); all have started
        // when this returns
        java.util.concurrent.ConcurrentLinkedQueue<Bundle> queue = new java.util.concurrent.ConcurrentLinkedQueue<>(leaves);
        Runnable startLeaves = () -> {
            for (Bundle bundle = queue.poll(); bundle != null; bundle = queue.poll()) {
                start(bundle, err, timing);
            }
        };
        Thread helper = new Thread(startLeaves, "virtcaps-bundle-start");
        helper.setDaemon(true);
        helper.start();
        startLeaves.run();
        try {
            helper.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        timing.mark("bundles started");
        return new Started(framework, jars);
    }

    /** Why a kept storage cannot be used as it is, or null when it can. */
    private static String damage(Framework framework, List<Path> expected, FrameworkLog log) {
        if (log.errors() > 0) {
            return "the framework reported errors opening it";
        }
        Set<String> present = new HashSet<>();
        for (Bundle bundle : framework.getBundleContext().getBundles()) {
            present.add(bundle.getLocation());
        }
        for (Path jar : expected) {
            if (!present.contains("reference:" + jar.toUri())) {
                return "it lacks " + jar.getFileName();
            }
        }
        return null;
    }

    /** A kept framework storage that is damaged: the run rebuilds it. */
    static final class DamagedStorageException extends IOException {
        private static final long serialVersionUID = 1L;

        DamagedStorageException(String reason) {
            super("damaged framework storage: " + reason);
        }
    }

    private static void start(Bundle bundle, PrintStream err, Main.Timing timing) {
        if (bundle.getHeaders().get(Constants.FRAGMENT_HOST) != null) {
            return;
        }
        try {
            long started = System.nanoTime();
            bundle.start(Bundle.START_TRANSIENT);
            timing.detail(bundle.getSymbolicName(), System.nanoTime() - started);
        } catch (BundleException e) {
            err.println("virtcaps: bundle " + bundle.getSymbolicName() + " did not start: " + e.getMessage());
        }
    }

    /** Bundles no other bundle here wires to (fragments aside): nothing waits for them, so they may start side by side. */
    static List<Bundle> leaves(List<Bundle> bundles) {
        Set<Bundle> providers = new HashSet<>();
        for (Bundle bundle : bundles) {
            BundleWiring wiring = bundle.adapt(BundleWiring.class);
            if (wiring != null) {
                for (BundleWire wire : wiring.getRequiredWires(null)) {
                    providers.add(wire.getProvider().getBundle());
                }
            }
        }
        List<Bundle> leaves = new ArrayList<>();
        for (Bundle bundle : bundles) {
            if (!providers.contains(bundle) && bundle.getHeaders().get(Constants.FRAGMENT_HOST) == null) {
                leaves.add(bundle);
            }
        }
        return leaves;
    }

    /**
     * Providers before their consumers (SCR before the bundles it extends, core before the drivers and the
     * CLI): each bundle's components then activate as it starts, and core's background work (the JAXB
     * context, the probes) begins while the remaining bundles start. Unresolvable bundles keep their place
     * and fail at start with the framework's reason.
     */
    static List<Bundle> startOrder(Framework framework, List<Bundle> bundles) {
        framework.adapt(FrameworkWiring.class).resolveBundles(bundles);
        Set<Bundle> ordered = new LinkedHashSet<>();
        for (Bundle bundle : bundles) {
            visit(bundle, ordered, new HashSet<>());
        }
        ordered.retainAll(bundles);
        return new ArrayList<>(ordered);
    }

    private static void visit(Bundle bundle, Set<Bundle> ordered, Set<Bundle> visiting) {
        if (ordered.contains(bundle) || !visiting.add(bundle)) {
            return;
        }
        BundleWiring wiring = bundle.adapt(BundleWiring.class);
        if (wiring != null) {
            for (BundleWire wire : wiring.getRequiredWires(null)) {
                visit(wire.getProvider().getBundle(), ordered, visiting);
            }
        }
        ordered.add(bundle);
    }

    static List<Path> bundles(Path dir) throws IOException {
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

    /**
     * Where throw-away framework storage goes: memory-backed /dev/shm when there is one (Felix writes a
     * few files per installed bundle; measured ~60 ms less per run here), else the temp directory.
     */
    static Path scratch() {
        Path shm = Path.of("/dev/shm");
        return Files.isDirectory(shm) && Files.isWritable(shm) ? shm : Path.of(System.getProperty("java.io.tmpdir"));
    }

    /**
     * A new, empty directory under {@link #scratch()} for one run's framework storage. Named by the clock
     * rather than by {@code Files.createTempDirectory}, whose random name brings up the JDK's security
     * providers and SecureRandom (~15 ms of a one-shot start); creation is atomic and never reuses or follows
     * an existing entry, so a clash (a concurrent run, a planted name) just tries the next name.
     */
    static Path scratchDirectory() throws IOException {
        Path parent = scratch();
        for (int attempt = 0; ; attempt++) {
            Path dir = parent.resolve(OWNED_PREFIX + owner() + "-" + Long.toHexString(System.nanoTime()) + "-" + attempt);
            try {
                return Files.createDirectory(dir);
            } catch (java.nio.file.FileAlreadyExistsException e) {
                if (attempt == 64) {
                    throw e;
                }
            }
        }
    }

    /** Scratch storages named after their process: {@code virtcaps-felix-p<pid>.<start>-...}. */
    static final String OWNED_PREFIX = "virtcaps-felix-p";
    /** How {@code serve} names its storage; the same owner part follows. */
    static final String CONTAINER_PREFIX = "virtcaps-container-p";
    /** Older runs named their storage without an owner; such a one this old is from a run long gone. */
    private static final long UNOWNED_ABANDONED_MILLIS = 3_600_000;

    /**
     * This process as a scratch name tells it: its PID and start time (so a PID reused by another process
     * does not keep a dead run's storage alive, nor does it make a live run's look dead).
     */
    static String owner() {
        ProcessHandle self = ProcessHandle.current();
        return self.pid() + "." + self.info().startInstant().map(i -> Long.toHexString(i.toEpochMilli())).orElse("0");
    }

    /**
     * Removes the scratch storages of runs that are gone: a SIGKILL (or a crash) runs no clean-up, and each
     * storage left in /dev/shm holds memory (~150 KB) until reboot. A storage whose owner still runs, or
     * whose owner cannot be told and that is recent, is kept.
     */
    static void sweepScratch(Path parent) {
        long now = System.currentTimeMillis();
        // every name, compared by hand: a glob would compile a regular expression on every run's start
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(parent)) {
            for (Path entry : entries) {
                String name = entry.getFileName().toString();
                if (!name.startsWith("virtcaps-felix-") && !name.startsWith("virtcaps-container-")) {
                    continue;
                }
                String rest = name.startsWith(OWNED_PREFIX) ? name.substring(OWNED_PREFIX.length())
                        : name.startsWith(CONTAINER_PREFIX) ? name.substring(CONTAINER_PREFIX.length()) : null;
                boolean gone;
                if (rest != null) {
                    gone = ownerGone(rest);
                } else {
                    gone = name.startsWith("virtcaps-felix-")
                            && now - Files.getLastModifiedTime(entry).toMillis() > UNOWNED_ABANDONED_MILLIS;
                }
                if (gone && Files.isDirectory(entry, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                    deleteQuietly(entry);
                }
            }
        } catch (IOException | RuntimeException e) {
            // a leftover costs memory, not correctness; the next run tries again
        }
    }

    /** @param owner what follows the prefix: {@code <pid>.<start>-...} */
    static boolean ownerGone(String owner) {
        int dot = owner.indexOf('.');
        int dash = owner.indexOf('-', dot + 1);
        if (dot <= 0 || dash < 0) {
            return false; // not a name this code wrote: not ours to judge
        }
        long pid;
        try {
            pid = Long.parseLong(owner.substring(0, dot));
        } catch (NumberFormatException e) {
            return false;
        }
        String start = owner.substring(dot + 1, dash);
        java.util.Optional<ProcessHandle> process = ProcessHandle.of(pid);
        if (process.isEmpty() || !process.get().isAlive()) {
            return true;
        }
        String running = process.get().info().startInstant().map(i -> Long.toHexString(i.toEpochMilli())).orElse(null);
        return running != null && !start.equals("0") && !running.equals(start);
    }

    static void deleteQuietly(Path dir) {
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
