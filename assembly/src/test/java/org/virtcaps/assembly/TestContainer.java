package org.virtcaps.assembly;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.jar.JarEntry;
import java.util.jar.JarInputStream;
import java.util.jar.JarOutputStream;

import org.apache.felix.framework.FrameworkFactory;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.launch.Framework;
import org.osgi.framework.wiring.FrameworkWiring;
import org.osgi.util.tracker.ServiceTracker;
import org.virtcaps.core.api.CapabilitiesService;
import org.virtcaps.core.model.Capabilities;

/**
 * The container as `virtcaps serve` runs it (Config Admin, Event Admin, the drivers directory, FileInstall on
 * a configuration directory, the Gogo runtime), in this JVM, sharing the API packages with the test
 * through the system bundle so the test can call the capabilities service directly.
 */
final class TestContainer implements AutoCloseable {
    final Framework framework;
    final BundleContext context;
    final Path drivers;
    final Path configs;
    /** The HTTP endpoint's port on 127.0.0.1. */
    final int httpPort;

    TestContainer(Path dir, Map<String, String> extra) throws Exception {
        this(dir, extra, name -> false);
    }

    /** @param leaveOut container bundles (by file name) not to install */
    TestContainer(Path dir, Map<String, String> extra, Predicate<String> leaveOut) throws Exception {
        drivers = Files.createDirectories(dir.resolve("drivers"));
        configs = Files.createDirectories(dir.resolve("config"));
        Map<String, String> config = new HashMap<>();
        config.put(Constants.FRAMEWORK_STORAGE, dir.resolve("storage").toString());
        config.put(Constants.FRAMEWORK_STORAGE_CLEAN, Constants.FRAMEWORK_STORAGE_CLEAN_ONFIRSTINIT);
        config.put(Constants.FRAMEWORK_SYSTEMPACKAGES_EXTRA, "org.virtcaps.launch;version=1.0.0,"
                + "org.virtcaps.core.api;version=1.1.0,org.virtcaps.core.model;version=1.0.0,"
                + "org.virtcaps.core.spi;version=1.0.0,org.virtcaps.remote;version=1.0.0");
        // the endpoint on loopback, on a port of its own: tests run side by side
        httpPort = extra.containsKey("org.osgi.service.http.port")
                ? Integer.parseInt(extra.get("org.osgi.service.http.port")) : freePort();
        config.put("org.apache.felix.http.host", "127.0.0.1");
        config.put("org.osgi.service.http.port", Integer.toString(httpPort));
        config.put("org.apache.felix.http.jetty.sendServerHeader", "false");
        config.put("virtcaps.drivers.dir", drivers.toString());
        config.put("felix.fileinstall.dir", configs.toString());
        config.put("felix.fileinstall.poll", "100");
        config.put("felix.fileinstall.noInitialDelay", "true");
        config.put("felix.fileinstall.log.level", "1");
        config.put("gosh.args", "--nointeractive");
        config.put("virtcaps.cache.dir", dir.resolve("probe-cache").toString());
        config.putAll(extra);
        framework = new FrameworkFactory().newFramework(config);
        framework.init();
        // as the launcher does: without it every uninstalled driver bundle stays reachable (Felix leak)
        org.virtcaps.launcher.UninstalledBundleUsages.install(framework);
        context = framework.getBundleContext();
        List<Bundle> installed = new ArrayList<>();
        try (DirectoryStream<Path> jars = Files.newDirectoryStream(
                Path.of(System.getProperty("virtcaps.container.bundles")), "*.jar")) {
            for (Path jar : jars) {
                if (leaveOut.test(jar.getFileName().toString())) {
                    continue;
                }
                installed.add(context.installBundle("reference:" + jar.toUri()));
            }
        }
        framework.start();
        for (Bundle b : installed) {
            if (b.getHeaders().get(Constants.FRAGMENT_HOST) == null) {
                b.start();
            }
        }
    }

    /** A TCP port nothing listens on right now. */
    static int freePort() throws IOException {
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    /** The endpoint's base URL. */
    java.net.URI endpoint() {
        return java.net.URI.create("http://127.0.0.1:" + httpPort + "/");
    }

    /** The local host's capabilities service (remote hosts' services are left aside). */
    CapabilitiesService capabilities() throws Exception {
        ServiceTracker<CapabilitiesService, CapabilitiesService> t = new ServiceTracker<>(context,
                context.createFilter("(&(objectClass=" + CapabilitiesService.class.getName() + ")("
                        + CapabilitiesService.HOST_PROPERTY + "=localhost))"), null);
        t.open();
        CapabilitiesService s = t.waitForService(10_000);
        if (s == null) {
            throw new IllegalStateException("no capabilities service");
        }
        return s;
    }

    /** Waits until the snapshot satisfies the condition; fails after the timeout. */
    Capabilities await(CapabilitiesService service, Predicate<Capabilities> condition, Duration timeout)
            throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        Capabilities c = service.snapshot();
        while (!condition.test(c)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting; last snapshot: " + c.architectures() + " " + c.drivers());
            }
            Thread.sleep(20);
            c = service.snapshot();
        }
        return c;
    }

    /** The example test driver bundle. */
    static Path exampleDriver() throws IOException {
        try (DirectoryStream<Path> jars = Files.newDirectoryStream(Path.of(System.getProperty("virtcaps.test.bundles")),
                "example-test-driver*.jar")) {
            return jars.iterator().next();
        }
    }

    /** A copy of the example driver with other default guests (what a new version of a driver looks like). */
    static byte[] exampleDriverDeclaring(String guests) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (JarInputStream in = new JarInputStream(Files.newInputStream(exampleDriver()));
                JarOutputStream out = new JarOutputStream(bytes, in.getManifest())) {
            JarEntry entry;
            while ((entry = in.getNextJarEntry()) != null) {
                out.putNextEntry(new JarEntry(entry.getName()));
                out.write(entry.getName().equals("guests.txt") ? guests.getBytes(StandardCharsets.UTF_8)
                        : in.readAllBytes());
                out.closeEntry();
            }
        }
        return bytes.toByteArray();
    }

    /** A bundle whose activator does not return until {@code virtcaps.test.release} names a file that exists. */
    static byte[] blockingBundle() throws IOException {
        java.util.jar.Manifest manifest = new java.util.jar.Manifest();
        java.util.jar.Attributes main = manifest.getMainAttributes();
        main.put(java.util.jar.Attributes.Name.MANIFEST_VERSION, "1.0");
        main.putValue("Bundle-ManifestVersion", "2");
        main.putValue("Bundle-SymbolicName", "test.blocking");
        main.putValue("Bundle-Version", "1.0.0");
        main.putValue("Bundle-Activator", "org.virtcaps.assembly.blocking.BlockingActivator");
        main.putValue("Import-Package", "org.osgi.framework");
        String entry = "org/virtcaps/assembly/blocking/BlockingActivator.class";
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (JarOutputStream out = new JarOutputStream(bytes, manifest);
                java.io.InputStream cls = TestContainer.class.getClassLoader().getResourceAsStream(entry)) {
            out.putNextEntry(new JarEntry(entry));
            out.write(cls.readAllBytes());
            out.closeEntry();
        }
        return bytes.toByteArray();
    }

    void refreshRemoved() throws InterruptedException {
        java.util.concurrent.CountDownLatch done = new java.util.concurrent.CountDownLatch(1);
        framework.adapt(FrameworkWiring.class).refreshBundles(null, e -> done.countDown());
        done.await();
    }

    @Override
    public void close() throws Exception {
        framework.stop();
        framework.waitForStop(10_000);
    }
}
