package org.virtcaps.launcher;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.osgi.framework.FrameworkEvent;
import org.osgi.framework.launch.Framework;

/**
 * {@code virtcaps serve}: the platform as a long-lived container. Felix with Config Admin, Event Admin,
 * FileInstall watching the drivers directory (bundles) and the configuration directory ({@code .cfg}
 * files), and the Gogo shell on the terminal when there is one. Ctrl-C or SIGTERM stops it cleanly.
 */
final class Container {
    /** How long a stop may take before the process ends regardless. */
    private static final long STOP_MILLIS = 3500;

    private final Path home;
    private final PrintStream err;

    Container(Path home, PrintStream err) {
        this.home = home;
        this.err = err;
    }

    int run(String[] args) {
        ServeOptions options;
        try {
            options = ServeOptions.parse(args,
                    Path.of(System.getProperty("virtcaps.drivers", home.resolve("drivers").toString())),
                    Path.of(System.getProperty("virtcaps.config", home.resolve("config").toString())));
        } catch (IllegalArgumentException e) {
            err.println("virtcaps: " + e.getMessage());
            return 2;
        }
        if (options.help()) {
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
                    org.osgi.service.http.port); beyond loopback, set a token. Ctrl-C or SIGTERM stops it.""");
            return 0;
        }
        Path drivers = options.drivers();
        Path configs = options.configs();
        Path endpointConfig = configs.toAbsolutePath().resolve("org.virtcaps.http.cfg");
        EndpointExposure.warning(options.bind(), options.port(), EndpointExposure.tokenConfigured(endpointConfig),
                endpointConfig, EndpointExposure.interfaceAddresses()).ifPresent(err::println);
        Path storage = null;
        try {
            Files.createDirectories(drivers);
            Files.createDirectories(configs);
            Platform.sweepScratch(Platform.scratch());
            // named after this process, so a run after a SIGKILL knows whose it was and removes it
            storage = Files.createTempDirectory(Platform.scratch(), Platform.CONTAINER_PREFIX + Platform.owner() + "-");
            Map<String, String> config = Main.baseConfig(storage);
            config.putAll(options.hostOptions());
            // driver bundles: org.virtcaps.deployer (a lane per bundle); configuration files: FileInstall
            config.put("virtcaps.drivers.dir", drivers.toAbsolutePath().toString());
            config.put("felix.fileinstall.dir", configs.toAbsolutePath().toString());
            config.put("felix.fileinstall.poll", "500");
            config.put("felix.fileinstall.noInitialDelay", "true");
            config.put("felix.fileinstall.log.level", "2");
            http(config, options.bind(), options.port());
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
            FrameworkEvent stopped = framework.waitForStop(STOP_MILLIS);
            long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            if (stopped.getType() == FrameworkEvent.WAIT_TIMEDOUT) {
                // a bundle that does not stop (an activator that never returns) must not hold the process
                err.println("virtcaps: not stopped after " + millis + " ms (a bundle does not stop); exiting");
                Platform.deleteQuietly(storage);
                Runtime.getRuntime().halt(0);
            }
            err.println("virtcaps: stopped in " + millis + " ms");
        } catch (Exception e) {
            err.println("virtcaps: stopping: " + e.getMessage());
        } finally {
            Platform.deleteQuietly(storage);
        }
    }
}
