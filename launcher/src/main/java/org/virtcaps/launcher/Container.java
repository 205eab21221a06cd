package org.virtcaps.launcher;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.osgi.framework.launch.Framework;

/**
 * {@code virtcaps serve}: the platform as a long-lived container. Felix with Config Admin, Event Admin,
 * FileInstall watching the drivers directory (bundles) and the configuration directory ({@code .cfg}
 * files), and the Gogo shell on the terminal when there is one. Ctrl-C or SIGTERM stops it cleanly.
 */
final class Container {
    /** How long a stop may take before the process ends regardless. */
    private static final long STOP_MILLIS = 4500;

    private final Path home;
    private final PrintStream err;

    Container(Path home, PrintStream err) {
        this.home = home;
        this.err = err;
    }

    int run(String[] args) {
        Path drivers = Path.of(System.getProperty("virtcaps.drivers", home.resolve("drivers").toString()));
        Path configs = Path.of(System.getProperty("virtcaps.config", home.resolve("config").toString()));
        List<String> rest = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--drivers-dir" -> drivers = Path.of(value(args, ++i, "--drivers-dir"));
                case "--config-dir" -> configs = Path.of(value(args, ++i, "--config-dir"));
                case "-h", "--help" -> {
                    err.println("""
                            Usage: virtcaps serve [--drivers-dir DIR] [--config-dir DIR] [--root DIR] [--cache-dir DIR] [--no-cache]
                            Runs the platform as a container: driver bundles dropped into the drivers directory are
                            installed, updated and removed as the files come, change and go; .cfg files in the
                            configuration directory configure it through Config Admin (org.virtcaps.core.cfg:
                            probeTimeoutSeconds, refreshIntervalSeconds; org.virtcaps.driver.qemu.cfg:
                            extraSearchDirs, emulatorTimeoutSeconds). Ctrl-C or SIGTERM stops it.""");
                    return 0;
                }
                default -> rest.add(args[i]);
            }
        }
        Path storage = null;
        try {
            Files.createDirectories(drivers);
            Files.createDirectories(configs);
            storage = Files.createTempDirectory(Platform.scratch(), "virtcaps-container-");
            Map<String, String> config = Main.baseConfig(storage);
            HostOptions.from(rest.toArray(String[]::new)).forEach(config::put);
            config.put("felix.fileinstall.dir", drivers.toAbsolutePath() + "," + configs.toAbsolutePath());
            config.put("felix.fileinstall.poll", "500");
            config.put("felix.fileinstall.noInitialDelay", "true");
            config.put("felix.fileinstall.log.level", "2");
            if (System.console() == null) {
                config.put("gosh.args", "--nointeractive");
            }
            Framework framework = Platform.start(config, Path.of(System.getProperty("virtcaps.container.bundles",
                    home.resolve("container").toString())), err, new Main.Timing(false, err));
            Path cleanup = storage;
            Runtime.getRuntime().addShutdownHook(new Thread(() -> stop(framework, cleanup), "virtcaps-stop"));
            err.println("virtcaps: serving; drivers from " + drivers.toAbsolutePath() + ", configuration from "
                    + configs.toAbsolutePath() + "; Ctrl-C or SIGTERM stops");
            framework.waitForStop(0);
            return 0;
        } catch (IllegalArgumentException e) {
            err.println("virtcaps: " + e.getMessage());
            return 2;
        } catch (Exception e) {
            err.println("virtcaps: " + e.getMessage());
            Platform.deleteQuietly(storage);
            return 1;
        }
    }

    private static String value(String[] args, int i, String option) {
        if (i >= args.length) {
            throw new IllegalArgumentException(option + " needs a directory");
        }
        return args[i];
    }

    private void stop(Framework framework, Path storage) {
        try {
            long start = System.nanoTime();
            framework.stop();
            framework.waitForStop(STOP_MILLIS);
            err.println("virtcaps: stopped in " + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start) + " ms");
        } catch (Exception e) {
            err.println("virtcaps: stopping: " + e.getMessage());
        } finally {
            Platform.deleteQuietly(storage);
        }
    }
}
