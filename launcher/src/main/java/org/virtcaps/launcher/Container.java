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
    /** The endpoint's default address: this machine only. */
    static final String DEFAULT_BIND = "127.0.0.1";
    static final int DEFAULT_PORT = 8470;

    private final Path home;
    private final PrintStream err;

    Container(Path home, PrintStream err) {
        this.home = home;
        this.err = err;
    }

    int run(String[] args) {
        Path drivers = Path.of(System.getProperty("virtcaps.drivers", home.resolve("drivers").toString()));
        Path configs = Path.of(System.getProperty("virtcaps.config", home.resolve("config").toString()));
        String bind = DEFAULT_BIND;
        int port = DEFAULT_PORT;
        List<String> rest = new ArrayList<>();
        try {
            for (int i = 0; i < args.length; i++) {
                switch (args[i]) {
                    case "--drivers-dir" -> drivers = Path.of(value(args, ++i, "--drivers-dir"));
                    case "--config-dir" -> configs = Path.of(value(args, ++i, "--config-dir"));
                    case "--bind" -> bind = value(args, ++i, "--bind");
                    case "--port" -> port = port(value(args, ++i, "--port"));
                    case "-h", "--help" -> {
                        err.println("""
                                Usage: virtcaps serve [--drivers-dir DIR] [--config-dir DIR] [--bind ADDRESS] [--port PORT]
                                                      [--root DIR] [--cache-dir DIR] [--no-cache]
                                Runs the platform as a container: driver bundles dropped into the drivers directory are
                                installed, updated and removed as the files come, change and go; .cfg files in the
                                configuration directory configure it through Config Admin (org.virtcaps.core.cfg:
                                probeTimeoutSeconds, refreshIntervalSeconds; org.virtcaps.driver.qemu.cfg:
                                extraSearchDirs, emulatorTimeoutSeconds, watchSearchDirs; org.virtcaps.http.cfg: token;
                                org.virtcaps.remote-NAME.cfg: url, token, mode for each remote host).
                                The HTTP endpoint and its web page listen on 127.0.0.1:8470 unless --bind/--port say
                                otherwise (or org.apache.felix.http.cfg: org.apache.felix.http.host,
                                org.osgi.service.http.port). Ctrl-C or SIGTERM stops it.""");
                        return 0;
                    }
                    default -> rest.add(args[i]);
                }
            }
        } catch (IllegalArgumentException e) {
            err.println("virtcaps: " + e.getMessage());
            return 2;
        }
        Path storage = null;
        try {
            Files.createDirectories(drivers);
            Files.createDirectories(configs);
            Platform.sweepScratch(Platform.scratch());
            // named after this process, so a run after a SIGKILL knows whose it was and removes it
            storage = Files.createTempDirectory(Platform.scratch(), Platform.CONTAINER_PREFIX + Platform.owner() + "-");
            Map<String, String> config = Main.baseConfig(storage);
            HostOptions.from(rest.toArray(String[]::new)).forEach(config::put);
            config.put("felix.fileinstall.dir", drivers.toAbsolutePath() + "," + configs.toAbsolutePath());
            config.put("felix.fileinstall.poll", "500");
            config.put("felix.fileinstall.noInitialDelay", "true");
            config.put("felix.fileinstall.log.level", "2");
            http(config, bind, port);
            spiFlyLog.setLevel(java.util.logging.Level.WARNING);
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
        } catch (Exception e) {
            err.println("virtcaps: " + e.getMessage());
            Platform.deleteQuietly(storage);
            return 1;
        }
    }

    private static String value(String[] args, int i, String option) {
        if (i >= args.length) {
            throw new IllegalArgumentException(option + " needs a value");
        }
        return args[i];
    }

    private static int port(String text) {
        try {
            int port = Integer.parseInt(text);
            if (port >= 0 && port <= 65535) {
                return port;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException("--port must be a number from 0 to 65535, not '" + text + "'");
    }

    /**
     * Felix HTTP's framework properties: loopback unless told otherwise (Felix's own default is every
     * interface), no server version header, and Jetty's logging at warnings only.
     */
    static void http(Map<String, String> config, String bind, int port) {
        config.put("org.apache.felix.http.host", bind);
        config.put("org.osgi.service.http.port", Integer.toString(port));
        config.put("org.apache.felix.http.jetty.sendServerHeader", "false");
        // a whole libvirt document (~45 KB) fits the response buffer: one write per response
        config.put("org.apache.felix.http.jetty.responseBufferSize", "65536");
        if (System.getProperty("org.slf4j.simpleLogger.defaultLogLevel") == null) {
            System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
        }
    }

    /**
     * SPI Fly (which SLF4J 2 needs to find its provider in OSGi) reports every provider it registers at
     * INFO through java.util.logging; the operator needs its warnings only.
     */
    private final java.util.logging.Logger spiFlyLog = java.util.logging.Logger.getLogger("org.apache.aries.spifly");

    private void stop(Framework framework, Path storage) {
        try {
            // no emulator a probe had running outlives the container, whatever the bundles' stop does
            ProcessHandle.current().descendants().forEach(ProcessHandle::destroyForcibly);
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
