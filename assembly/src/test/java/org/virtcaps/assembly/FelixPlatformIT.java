package org.virtcaps.assembly;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.virtcaps.assembly.TestDrivers.driver;

import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

import org.apache.felix.framework.FrameworkFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceRegistration;
import org.osgi.framework.launch.Framework;
import org.osgi.framework.wiring.BundleWire;
import org.osgi.framework.wiring.BundleWiring;
import org.osgi.util.tracker.ServiceTracker;
import org.virtcaps.core.api.CapabilitiesDocuments;
import org.virtcaps.core.api.CapabilitiesService;
import org.virtcaps.core.api.DocumentFormat;
import org.virtcaps.core.internal.SchemaValidator;
import org.virtcaps.core.model.Capabilities;
import org.virtcaps.core.model.DriverState;
import org.virtcaps.core.model.GuestArchitecture;
import org.virtcaps.core.model.Machine;
import org.virtcaps.core.spi.HostEnvironment;
import org.virtcaps.core.spi.HypervisorDriver;
import org.virtcaps.core.spi.ProbeResult;

/**
 * Core and the distribution's bundles in a real Felix framework. The test shares the API, model and SPI
 * packages with the framework through the system bundle (core imports what it exports, so the resolver
 * substitutes the system bundle's), which lets it register drivers and call the service directly.
 */
class FelixPlatformIT {
    @TempDir
    Path storage;
    private Framework framework;
    private BundleContext context;

    /** The distribution's bundles; without the drivers unless asked (core must work alone). */
    void startFramework(boolean withDrivers) throws Exception {
        startFramework(withDrivers, name -> false);
    }

    void startFramework(boolean withDrivers, java.util.function.Predicate<String> skip) throws Exception {
        Map<String, String> config = new HashMap<>();
        config.put(Constants.FRAMEWORK_STORAGE, storage.toString());
        config.put(Constants.FRAMEWORK_STORAGE_CLEAN, Constants.FRAMEWORK_STORAGE_CLEAN_ONFIRSTINIT);
        config.put(Constants.FRAMEWORK_SYSTEMPACKAGES_EXTRA, "org.virtcaps.launch;version=1.0.0,"
                + "org.virtcaps.core.api;version=1.1.0,org.virtcaps.core.model;version=1.0.0,"
                + "org.virtcaps.core.spi;version=1.0.0,"
                // so that this test's EventHandler and Event Admin's see one Event class
                + "org.osgi.service.event;version=1.4.1");
        // short for the hanging-driver test; probing every real emulator cold needs more
        config.put("virtcaps.probe.timeout", withDrivers ? "60" : "1");
        config.put("virtcaps.cache.dir", storage.resolve("probe-cache").toString());
        framework = new FrameworkFactory().newFramework(config);
        framework.init();
        context = framework.getBundleContext();
        List<Bundle> bundles = new ArrayList<>();
        try (DirectoryStream<Path> jars = Files.newDirectoryStream(Path.of(System.getProperty("virtcaps.bundles")),
                "*.jar")) {
            for (Path jar : jars) {
                String name = jar.getFileName().toString();
                // descriptions build on the QEMU catalog: without drivers they stay out too
                if (withDrivers || !(name.startsWith("driver-") || name.startsWith("i18n"))) {
                    if (skip.test(name)) {
                        continue;
                    }
                    bundles.add(context.installBundle("reference:" + jar.toUri()));
                }
            }
        }
        framework.start();
        for (Bundle b : bundles) {
            if (b.getHeaders().get(Constants.FRAGMENT_HOST) == null) {
                b.start();
            }
        }
    }

    @AfterEach
    void stopFramework() throws Exception {
        if (framework == null) {
            return;
        }
        framework.stop();
        framework.waitForStop(10_000);
    }

    private <T> T service(Class<T> type) throws InterruptedException {
        ServiceTracker<T, T> tracker = new ServiceTracker<>(context, type, null);
        tracker.open();
        T service = tracker.waitForService(10_000);
        assertNotNull(service, type.getSimpleName() + " is registered");
        return service;
    }

    private static GuestArchitecture entry(String arch, int wordsize) {
        return new GuestArchitecture("hvm", arch, wordsize, "test", "/usr/bin/test-emulator", null,
                List.of(Machine.named("testmachine")), List.of(), Map.of("simulated", "yes"), null);
    }

    @Test
    void everyBundleResolvesAndCoreSharesItsApiWithTheTest() throws Exception {
        startFramework(true);
        service(CapabilitiesService.class).settled();
        for (Bundle b : context.getBundles()) {
            boolean fragment = b.getHeaders().get(Constants.FRAGMENT_HOST) != null;
            assertEquals(fragment ? Bundle.RESOLVED : Bundle.ACTIVE, b.getState(), b.getSymbolicName());
        }
        Bundle core = List.of(context.getBundles()).stream()
                .filter(b -> "org.virtcaps.core".equals(b.getSymbolicName())).findFirst().orElseThrow();
        for (BundleWire wire : core.adapt(BundleWiring.class).getRequiredWires("osgi.wiring.package")) {
            if (wire.getCapability().getAttributes().get("osgi.wiring.package").toString().startsWith("org.virtcaps.core")) {
                assertEquals(0, wire.getProvider().getBundle().getBundleId(), "API comes from the system bundle");
            }
        }
    }

    @Test
    void coreStartsWithNoDriverAndGivesAHostOnlyDocument() throws Exception {
        startFramework(false);
        CapabilitiesService service = service(CapabilitiesService.class);
        Capabilities caps = service.settled();
        assertTrue(caps.guests().isEmpty());
        assertTrue(caps.drivers().isEmpty());
        String xml = service(CapabilitiesDocuments.class).format(caps, DocumentFormat.LIBVIRT);
        SchemaValidator.assertValid(xml);
    }

    @Test
    void driverRegisteredAtRuntimeAppearsAndDisappears() throws Exception {
        startFramework(false);
        CapabilitiesService service = service(CapabilitiesService.class);
        CountDownLatch changed = new CountDownLatch(2);
        service.addListener(change -> changed.countDown());
        ServiceRegistration<HypervisorDriver> reg = context.registerService(HypervisorDriver.class,
                driver("test", host -> new ProbeResult(List.of(entry("x86_64", 64), entry("i686", 32)), List.of())),
                new Hashtable<>());
        Capabilities caps = service.settled();
        assertEquals(2, caps.architectures().size());
        assertEquals(DriverState.ACTIVE, caps.driver("test").state());
        SchemaValidator.assertValid(service(CapabilitiesDocuments.class).format(caps, DocumentFormat.LIBVIRT));
        reg.unregister();
        assertTrue(service.snapshot().architectures().isEmpty());
        assertTrue(changed.await(5, java.util.concurrent.TimeUnit.SECONDS), "listeners heard of both changes");
    }

    @Test
    void throwingAndHangingDriversAreIsolated() throws Exception {
        startFramework(false);
        CapabilitiesService service = service(CapabilitiesService.class);
        context.registerService(HypervisorDriver.class, driver("test", host -> new ProbeResult(
                List.of(entry("x86_64", 64)), List.of())), new Hashtable<>());
        context.registerService(HypervisorDriver.class, driver("throws", host -> {
            throw new RuntimeException("boom");
        }), new Hashtable<>());
        context.registerService(HypervisorDriver.class, driver("hangs", host -> {
            Thread.sleep(Duration.ofMinutes(10).toMillis());
            return null;
        }), new Hashtable<>());
        long start = System.nanoTime();
        Capabilities caps = service.settled();
        assertTrue(System.nanoTime() - start < Duration.ofSeconds(8).toNanos(), "bounded by the probe timeout");
        assertEquals(DriverState.ACTIVE, caps.driver("test").state());
        assertEquals(DriverState.FAILED, caps.driver("throws").state());
        assertEquals(DriverState.TIMED_OUT, caps.driver("hangs").state());
        assertEquals(1, caps.architectures().size());
    }

    private Bundle bundle(String symbolicName) {
        return List.of(context.getBundles()).stream().filter(b -> symbolicName.equals(b.getSymbolicName()))
                .findFirst().orElseThrow();
    }

    @Test
    void qemuFamilyDriversFollowTheirBundles() throws Exception {
        startFramework(true);
        CapabilitiesService service = service(CapabilitiesService.class);
        Capabilities caps = service.settled();
        assertEquals(DriverState.ACTIVE, caps.driver("qemu").state(), caps.drivers().toString());
        boolean kvm = caps.driver("kvm").state() == DriverState.ACTIVE;
        assertTrue(caps.architectures().stream().anyMatch(g -> g.domainType().equals("qemu")));

        // removing the QEMU driver takes its catalog away, and the KVM driver (which builds on it) goes too
        Bundle qemu = bundle("org.virtcaps.driver-qemu");
        qemu.stop();
        caps = service.settled();
        assertEquals(null, caps.driver("qemu"));
        assertEquals(null, caps.driver("kvm"));
        assertTrue(caps.architectures().stream().noneMatch(g -> g.domainType().equals("qemu") || g.domainType().equals("kvm")));

        qemu.start();
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (service.settled().driver("kvm") == null && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        caps = service.settled();
        assertEquals(DriverState.ACTIVE, caps.driver("qemu").state());
        assertEquals(kvm, caps.driver("kvm").state() == DriverState.ACTIVE);
        SchemaValidator.assertValid(service(CapabilitiesDocuments.class).format(caps, DocumentFormat.LIBVIRT));
    }

    interface Invocation {
        Object invoke() throws Exception;
    }

    /** What a command printed: the shell gives commands the session's output as System.out. */
    private static synchronized String printed(Invocation invocation) throws Exception {
        java.io.PrintStream original = System.out;
        java.io.ByteArrayOutputStream captured = new java.io.ByteArrayOutputStream();
        System.setOut(new java.io.PrintStream(captured, true, java.nio.charset.StandardCharsets.UTF_8));
        try {
            invocation.invoke();
        } finally {
            System.setOut(original);
        }
        return captured.toString(java.nio.charset.StandardCharsets.UTF_8);
    }

    @Test
    void changesArePostedToEventAdminAndGogoCommandsAnswer() throws Exception {
        startFramework(false);
        Bundle eventAdmin;
        try (DirectoryStream<Path> jars = Files.newDirectoryStream(Path.of(System.getProperty("virtcaps.test.bundles")),
                "org.apache.felix.eventadmin*.jar")) {
            eventAdmin = context.installBundle("reference:" + jars.iterator().next().toUri());
        }
        eventAdmin.start();
        java.util.concurrent.BlockingQueue<org.osgi.service.event.Event> events = new java.util.concurrent.LinkedBlockingQueue<>();
        Hashtable<String, Object> topic = new Hashtable<>();
        topic.put(org.osgi.service.event.EventConstants.EVENT_TOPIC, org.virtcaps.core.api.CapabilitiesChange.TOPIC);
        context.registerService(org.osgi.service.event.EventHandler.class, events::add, topic);
        CapabilitiesService service = service(CapabilitiesService.class);
        ServiceRegistration<HypervisorDriver> reg = context.registerService(HypervisorDriver.class,
                driver("test", host -> new ProbeResult(List.of(entry("x86_64", 64)), List.of())), new Hashtable<>());
        service.settled();
        org.osgi.service.event.Event event = null;
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (System.nanoTime() < deadline) {
            org.osgi.service.event.Event e = events.poll(100, java.util.concurrent.TimeUnit.MILLISECONDS);
            if (e != null && Integer.valueOf(1).equals(e.getProperty("guests.added"))) {
                event = e;
                break;
            }
        }
        assertNotNull(event, "a change event with the added guest reached Event Admin");
        assertEquals("driver-probed", event.getProperty("reason"));

        // the Gogo commands are a service with the command properties; the shell calls them by name
        org.osgi.framework.ServiceReference<?>[] refs = context.getAllServiceReferences((String) null,
                "(osgi.command.scope=virtcaps)");
        assertNotNull(refs);
        Object commands = context.getService(refs[0]);
        List<?> functions = List.of((String[]) refs[0].getProperty("osgi.command.function"));
        assertTrue(functions.containsAll(List.of("capabilities", "guests", "drivers", "refresh")), functions.toString());
        String xml = printed(() -> commands.getClass().getMethod("capabilities", String.class).invoke(commands, "libvirt"));
        SchemaValidator.assertValid(xml);
        String guests = printed(() -> commands.getClass().getMethod("guests", String[].class)
                .invoke(commands, (Object) new String[] { "fullvirt", "64" }));
        assertTrue(guests.contains("x86_64 64-bit hvm/test"), guests);
        String drivers = printed(() -> commands.getClass().getMethod("drivers").invoke(commands));
        assertTrue(drivers.startsWith("test "), drivers);
        reg.unregister();
    }

    private static long serviceId(BundleContext context, Class<?> type, String filter) throws Exception {
        return (Long) context.getServiceReferences(type, filter).iterator().next().getProperty(Constants.SERVICE_ID);
    }

    private org.virtcaps.core.api.MachineDescriptions descriptionsWith(String language, boolean present)
            throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (System.nanoTime() < deadline) {
            ServiceTracker<org.virtcaps.core.api.MachineDescriptions, org.virtcaps.core.api.MachineDescriptions> t =
                    new ServiceTracker<>(context, org.virtcaps.core.api.MachineDescriptions.class, null);
            t.open();
            org.virtcaps.core.api.MachineDescriptions d = t.waitForService(1000);
            t.close();
            if (d != null && d.locales().stream().anyMatch(l -> l.getLanguage().equals(language)) == present) {
                return d;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("descriptions " + (present ? "never gained " : "never lost ") + language);
    }

    @Test
    void localeFragmentsComeAndGoWithoutRestartingCoreOrDrivers() throws Exception {
        Path french;
        try (DirectoryStream<Path> jars = Files.newDirectoryStream(Path.of(System.getProperty("virtcaps.bundles")),
                "i18n-fr-*.jar")) {
            french = jars.iterator().next();
        }
        startFramework(true, name -> name.startsWith("i18n-fr-"));
        CapabilitiesService service = service(CapabilitiesService.class);
        service.settled();
        org.virtcaps.core.api.MachineDescriptions before = descriptionsWith("fr", false);
        assertTrue(before.locales().stream().anyMatch(l -> l.getLanguage().equals("de")));
        long capabilitiesId = serviceId(context, CapabilitiesService.class, null);
        long qemuId = serviceId(context, HypervisorDriver.class, "(virtcaps.driver=qemu)");
        long kvmId = serviceId(context, HypervisorDriver.class, "(virtcaps.driver=kvm)");

        Bundle fragment = context.installBundle("reference:" + french.toUri());
        org.virtcaps.core.api.MachineDescriptions after = descriptionsWith("fr", true);
        assertEquals("PC standard (i440FX + PIIX, 1996)",
                after.describe("pc-i440fx-7.2", java.util.Locale.FRENCH).orElseThrow());
        assertEquals(capabilitiesId, serviceId(context, CapabilitiesService.class, null), "core was not restarted");
        assertEquals(qemuId, serviceId(context, HypervisorDriver.class, "(virtcaps.driver=qemu)"));
        assertEquals(kvmId, serviceId(context, HypervisorDriver.class, "(virtcaps.driver=kvm)"));

        fragment.uninstall();
        org.virtcaps.core.api.MachineDescriptions gone = descriptionsWith("fr", false);
        assertEquals(java.util.Locale.ENGLISH,
                gone.lookup("pc-i440fx-7.2", null, java.util.Locale.FRENCH).orElseThrow().locale());
        assertEquals(capabilitiesId, serviceId(context, CapabilitiesService.class, null));
        assertEquals(qemuId, serviceId(context, HypervisorDriver.class, "(virtcaps.driver=qemu)"));

        // a third party's broken fragment: reported, ignored, the other languages stay
        Path broken = storage.resolve("i18n-broken.jar");
        java.util.jar.Manifest manifest = new java.util.jar.Manifest();
        manifest.getMainAttributes().put(java.util.jar.Attributes.Name.MANIFEST_VERSION, "1.0");
        manifest.getMainAttributes().putValue("Bundle-ManifestVersion", "2");
        manifest.getMainAttributes().putValue("Bundle-SymbolicName", "example.i18n-it");
        manifest.getMainAttributes().putValue("Fragment-Host", "org.virtcaps.i18n");
        try (java.util.jar.JarOutputStream jar = new java.util.jar.JarOutputStream(Files.newOutputStream(broken), manifest)) {
            jar.putNextEntry(new java.util.zip.ZipEntry("descriptions/translations_it.properties"));
            jar.write("Standard\\ PC = PC \\uZZZZ\n".getBytes(java.nio.charset.StandardCharsets.UTF_8));
            jar.closeEntry();
        }
        context.installBundle(broken.toUri().toString());
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        org.virtcaps.core.api.MachineDescriptions withBroken = null;
        while (System.nanoTime() < deadline) {
            withBroken = descriptionsWith("de", true);
            if (!withBroken.problems().isEmpty()) {
                break;
            }
            Thread.sleep(50);
        }
        assertTrue(withBroken.problems().stream().anyMatch(p -> p.contains("translations_it.properties")),
                withBroken.problems().toString());
        assertTrue(withBroken.locales().stream().noneMatch(l -> l.getLanguage().equals("it")));
        assertTrue(withBroken.locales().stream().anyMatch(l -> l.getLanguage().equals("ja")));
    }
}
