package org.virtcaps.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The one-shot bundle choice follows the manifests and the command line. */
class OneShotBundlesTest {
    @TempDir
    static Path dir;
    static Path core, driver, descriptions, french, cli, broken, late;

    @BeforeAll
    static void bundles() throws IOException {
        core = bundle("core.jar", "org.virtcaps.core;singleton:=true", null,
                "osgi.service;objectClass:List<String>=\"org.virtcaps.core.api.CapabilitiesService\"");
        driver = bundle("driver.jar", "org.virtcaps.driver-qemu", null,
                "osgi.service;objectClass:List<String>=\"org.virtcaps.core.spi.HypervisorDriver\"");
        descriptions = bundle("i18n.jar", "org.virtcaps.i18n", null,
                "osgi.service;objectClass:List<String>=\"org.virtcaps.core.api.MachineDescriptions\"");
        french = bundle("i18n-fr.jar", "org.virtcaps.i18n.fr", "org.virtcaps.i18n;bundle-version=\"[0.1,1)\"", null);
        cli = bundle("cli.jar", "org.virtcaps.cli", null, null);
        late = manifestLast("late-i18n-de.jar", "org.virtcaps.i18n.de", "org.virtcaps.i18n");
        broken = dir.resolve("broken.jar");
        Files.writeString(broken, "not a jar");
    }

    private static Path bundle(String file, String name, String host, String provides) throws IOException {
        Manifest manifest = new Manifest();
        Attributes main = manifest.getMainAttributes();
        main.put(Attributes.Name.MANIFEST_VERSION, "1.0");
        main.putValue("Bundle-SymbolicName", name);
        if (host != null) {
            main.putValue("Fragment-Host", host);
        }
        if (provides != null) {
            main.putValue("Provide-Capability", provides);
        }
        Path jar = dir.resolve(file);
        try (OutputStream out = Files.newOutputStream(jar); JarOutputStream unused = new JarOutputStream(out, manifest)) {
            // the manifest is the whole bundle
        }
        return jar;
    }

    /** A fragment whose manifest is not the first entry (zipped by hand): still read. */
    private static Path manifestLast(String file, String name, String host) throws IOException {
        Path jar = dir.resolve(file);
        try (java.util.zip.ZipOutputStream zip = new java.util.zip.ZipOutputStream(Files.newOutputStream(jar))) {
            zip.putNextEntry(new java.util.zip.ZipEntry("org/virtcaps/i18n/de/machines.properties"));
            zip.write("pc=PC\n".getBytes(java.nio.charset.StandardCharsets.UTF_8));
            zip.putNextEntry(new java.util.zip.ZipEntry("META-INF/MANIFEST.MF"));
            zip.write(("Manifest-Version: 1.0\r\nBundle-SymbolicName: " + name + "\r\nFragment-Host: " + host + "\r\n\r\n")
                    .getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
        return jar;
    }

    private static List<Path> select(String... args) {
        return OneShotBundles.select(List.of(core, driver, descriptions, french, late, cli, broken), args);
    }

    @Test
    void descriptionsOnlyWhenACommandAsksForThem() {
        assertEquals(List.of(core, driver, cli, broken), select("capabilities", "--format", "json"));
        assertEquals(List.of(core, driver, cli, broken), select("guests", "--", "--lang"));
        assertEquals(List.of(core, driver, descriptions, french, late, cli, broken), select("describe", "pc", "--lang", "fr"));
        assertEquals(List.of(core, driver, descriptions, french, late, cli, broken),
                select("capabilities", "--lang=de", "-f", "json"));
    }

    @Test
    void connectLeavesOutWhatTheRemoteHostAnswers() {
        assertEquals(List.of(core, cli, broken), select("--connect", "http://h:8470", "capabilities"));
        assertEquals(List.of(core, cli, broken), select("describe", "pc", "--connect=http://h:8470"));
    }
}
