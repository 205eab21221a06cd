package org.virtcaps.assembly;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.virtcaps.core.internal.SchemaValidator;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;

/** The distribution as users run it: a fresh JVM per command, exit codes, output on stdout/stderr. */
class CommandLineIT {
    @TempDir
    Path dir;

    record Run(int exit, String out, String err) {
    }

    static Run virtcaps(String stdin, String... args) throws IOException, InterruptedException {
        Path home = Path.of(System.getProperty("virtcaps.launcher"));
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dvirtcaps.bundles=" + System.getProperty("virtcaps.bundles"), "-cp",
                home.resolve("launcher.jar") + ":" + home.resolve("org.apache.felix.framework.jar"),
                "org.virtcaps.launcher.Main"));
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).start();
        if (stdin != null) {
            p.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
        }
        p.getOutputStream().close();
        byte[] out = p.getInputStream().readAllBytes();
        byte[] err = p.getErrorStream().readAllBytes();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        return new Run(p.exitValue(), new String(out, StandardCharsets.UTF_8), new String(err, StandardCharsets.UTF_8));
    }

    static String fixture(String name) throws IOException {
        try (InputStream in = CommandLineIT.class.getResourceAsStream("/fixtures/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    /** A host tree with just an i686 CPU. */
    private Path fixtureRoot() throws IOException {
        Path root = dir.resolve("i686-tree");
        Files.createDirectories(root.resolve("proc/sys/kernel"));
        Files.writeString(root.resolve("proc/cpuinfo"), fixture("xen/xen-i686.cpuinfo"));
        Files.writeString(root.resolve("proc/sys/kernel/arch"), "i686\n");
        return root;
    }

    @Test
    void aRepeatedRunPrintsTheCachedRenderingAndADamagedOneIsReplaced() throws Exception {
        String cache = dir.resolve("cache").toString();
        Run fresh = virtcaps(null, "capabilities", "--no-cache");
        assertEquals(0, fresh.exit(), fresh.err());
        Run first = virtcaps(null, "capabilities", "--cache-dir", cache); // renders and keeps it
        assertEquals(fresh.out(), first.out());
        List<Path> kept = renderings(cache);
        assertEquals(1, kept.size(), kept.toString());
        Path rendered = kept.get(0);
        java.nio.file.attribute.FileTime written = Files.getLastModifiedTime(rendered);
        Thread.sleep(20);
        Run second = virtcaps(null, "capabilities", "--cache-dir", cache); // answered from it
        assertEquals(fresh.out(), second.out());
        assertEquals(written, Files.getLastModifiedTime(rendered), "a hit does not write");
        SchemaValidator.assertValid(second.out());

        byte[] damaged = Files.readAllBytes(rendered);
        damaged[damaged.length / 2] ^= 0x01;
        Files.write(rendered, damaged);
        Run third = virtcaps(null, "capabilities", "--cache-dir", cache);
        assertEquals(0, third.exit(), third.err());
        assertEquals(fresh.out(), third.out());
        assertTrue(!java.util.Arrays.equals(damaged, Files.readAllBytes(rendered)), "rendered afresh and replaced");

        // another host tree is another document
        Run other = virtcaps(null, "capabilities", "--cache-dir", cache, "--root", fixtureRoot().toString());
        assertEquals(0, other.exit(), other.err());
        assertTrue(!other.out().equals(fresh.out()));
        Run otherAgain = virtcaps(null, "capabilities", "--cache-dir", cache, "--root", fixtureRoot().toString());
        assertEquals(other.out(), otherAgain.out());
        assertEquals(2, renderings(cache).size(), "each document keeps its own rendering");
        assertEquals(fresh.out(), virtcaps(null, "capabilities", "--cache-dir", cache).out());
    }

    /** The ways a crash, a full disk or a hand in the cache can damage a kept framework storage. */
    @ParameterizedTest
    @ValueSource(strings = { "empty revision.location", "revision.location names a missing jar",
            "garbage bundle.info", "a bundle directory gone", "a bundle directory replaced by a file" })
    void aDamagedKeptFrameworkIsRebuiltBeforeTheCommandAndStdoutCarriesOnlyTheDocument(String damage)
            throws Exception {
        String cache = dir.resolve("damaged-framework").toString();
        Run first = virtcaps(null, "capabilities", "--cache-dir", cache); // primes the kept storage
        assertEquals(0, first.exit(), first.err());
        List<Path> kept = entries(Path.of(cache, "framework"));
        assertEquals(1, kept.size(), kept.toString());
        Path bundle;
        try (var bundles = Files.list(kept.get(0))) {
            bundle = bundles.filter(p -> p.getFileName().toString().matches("bundle[1-9][0-9]*"))
                    .max(java.util.Comparator.comparing(p -> Integer.parseInt(p.getFileName().toString().substring(6))))
                    .orElseThrow();
        }
        Path location = bundle.resolve("version0.0/revision.location");
        switch (damage) {
            case "empty revision.location" -> Files.writeString(location, "");
            case "revision.location names a missing jar" -> Files.writeString(location,
                    "reference:file:///nonexistent/gone.jar");
            case "garbage bundle.info" -> Files.write(bundle.resolve("bundle.info"), new byte[] { 0, 1, 2, (byte) 0xff });
            case "a bundle directory gone" -> deleteTree(bundle);
            default -> {
                deleteTree(bundle);
                Files.writeString(bundle, "not a directory");
            }
        }
        Run again = virtcaps(null, "capabilities", "--cache-dir", cache);
        assertEquals(0, again.exit(), again.err());
        assertEquals(first.out(), again.out(), "stdout carries the document and nothing else");
        Run third = virtcaps(null, "capabilities", "--cache-dir", cache);
        assertEquals(first.out(), third.out());
        assertTrue(third.err().isEmpty(), "rebuilt: a later run opens it without a word: " + third.err());
    }

    private static void deleteTree(Path root) throws IOException {
        try (var paths = Files.walk(root)) {
            for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    @Test
    void aRunKeepsItsFrameworkForTheNextRunWithTheSameBundles() throws Exception {
        String cache = dir.resolve("framework-cache").toString();
        Path storages = Path.of(cache, "framework");
        Run first = virtcaps(null, "capabilities", "--cache-dir", cache); // installs the bundles, keeps the storage
        assertEquals(0, first.exit(), first.err());
        List<Path> kept = entries(storages);
        assertEquals(1, kept.size(), kept.toString());
        Path ready = kept.get(0).resolve("virtcaps-storage.ready");
        java.nio.file.attribute.FileTime primed = Files.getLastModifiedTime(ready);
        Run second = virtcaps(null, "capabilities", "--cache-dir", cache); // opens it as it is
        assertEquals(first.out(), second.out());
        assertEquals(kept, entries(storages));
        assertEquals(primed, Files.getLastModifiedTime(ready), "reused, not primed again");

        // runs at the same moment: one opens the storage (Felix locks it), the others run without it
        List<java.util.concurrent.CompletableFuture<Run>> together = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            together.add(java.util.concurrent.CompletableFuture.supplyAsync(() -> {
                try {
                    return virtcaps(null, "capabilities", "--cache-dir", cache);
                } catch (IOException | InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            }));
        }
        for (java.util.concurrent.CompletableFuture<Run> run : together) {
            assertEquals(0, run.get().exit(), run.get().err());
            assertEquals(first.out(), run.get().out());
        }

        // another kind of command (machine descriptions wanted) has bundles of its own, so a storage of its own
        Run french = virtcaps(null, "capabilities", "--format", "json", "--lang", "fr", "--cache-dir", cache);
        assertEquals(0, french.exit(), french.err());
        assertEquals(2, entries(storages).size());

        // a storage whose key does not match what it holds is primed afresh, never used
        Files.writeString(kept.get(0).resolve("virtcaps-storage.key"), "something else");
        Run afterDamage = virtcaps(null, "capabilities", "--cache-dir", cache);
        assertEquals(first.out(), afterDamage.out());
        assertEquals(kept.get(0), entries(storages).stream().filter(kept::contains).findFirst().orElseThrow());
        assertTrue(!Files.readString(kept.get(0).resolve("virtcaps-storage.key")).equals("something else"));

        // with the cache off nothing is kept
        String off = dir.resolve("no-cache").toString();
        assertEquals(first.out(), virtcaps(null, "capabilities", "--no-cache", "--cache-dir", off).out());
        assertTrue(!Files.exists(Path.of(off, "framework")));
    }

    private static List<Path> entries(Path dir) throws IOException {
        try (var files = Files.list(dir)) {
            return files.sorted().toList();
        }
    }

    private static List<Path> renderings(String cache) throws IOException {
        try (var files = Files.newDirectoryStream(Path.of(cache, "documents"), "libvirt-*.rendered")) {
            List<Path> list = new ArrayList<>();
            files.forEach(list::add);
            return list;
        }
    }

    @Test
    void capabilitiesOfThisHostValidateInEveryFormat() throws Exception {
        Run libvirt = virtcaps(null, "capabilities", "--no-cache");
        assertEquals(0, libvirt.exit(), libvirt.err());
        SchemaValidator.assertValid(libvirt.out());
        String arch = libvirt.out().replaceAll("(?s).*?<arch>([^<]+)</arch>.*", "$1");

        Run seed = virtcaps(null, "capabilities", "--format", "seed");
        assertEquals(0, seed.exit(), seed.err());
        assertTrue(seed.out().contains("<cpu_arch>" + arch + "</cpu_arch>"));

        Run json = virtcaps(null, "capabilities", "--format=json");
        assertEquals(0, json.exit(), json.err());
        try (JsonParser parser = new JsonFactory().createParser(json.out())) {
            String cpuArch = null;
            String field = null;
            while (parser.nextToken() != null) {
                if (parser.currentToken() == JsonToken.FIELD_NAME) {
                    field = parser.currentName();
                } else if ("arch".equals(field) && parser.currentToken() == JsonToken.VALUE_STRING && cpuArch == null) {
                    cpuArch = parser.getText();
                }
            }
            assertEquals(arch, cpuArch);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = { "xen-i686", "xen-i686-pae", "xen-ia64", "xen-x86_64", "xen-x86_64-hvm" })
    void rootedProbeReproducesTheFixtureHost(String name) throws Exception {
        Path root = dir.resolve(name);
        Files.createDirectories(root.resolve("proc/sys/kernel"));
        Files.writeString(root.resolve("proc/cpuinfo"), fixture("xen/" + name + ".cpuinfo"));
        String caps = fixture("xen/" + name + ".caps");
        String arch = name.contains("ia64") ? "ia64" : caps.contains("xen-3.0-x86_32") ? "i686" : "x86_64";
        Files.writeString(root.resolve("proc/sys/kernel/arch"), arch + "\n");
        // a Xen dom0: the hypervisor's files, so the Xen driver answers from the same tree
        Files.createDirectories(root.resolve("sys/hypervisor/properties"));
        Files.createDirectories(root.resolve("proc/xen"));
        Files.writeString(root.resolve("sys/hypervisor/type"), "xen\n");
        Files.writeString(root.resolve("sys/hypervisor/properties/capabilities"), caps);
        Files.writeString(root.resolve("proc/xen/capabilities"), "control_d\n");
        Run run = virtcaps(null, "capabilities", "--root", root.toString());
        assertEquals(0, run.exit(), run.err());
        SchemaValidator.assertValid(run.out());
        String expected = fixture("xen/" + name + ".xml");
        assertTrue(run.out().contains("<arch>" + arch + "</arch>"), run.out());
        for (String legacy : List.of("vmx", "svm")) {
            assertEquals(expected.contains("<" + legacy + "/>"), run.out().contains("<" + legacy + "/>"), legacy);
        }
        // the guests of the expected document, and no QEMU guest: the tree has no emulators
        assertEquals(count(expected, "<guest>"), count(run.out(), "<guest>"), run.out());
        assertEquals(count(expected, "<domain type='xen'"), count(run.out(), "<domain type='xen'"));
        assertEquals(count(expected, "<os_type>xen</os_type>"), count(run.out(), "<os_type>xen</os_type>"));
    }

    private static int count(String text, String what) {
        return text.split(java.util.regex.Pattern.quote(what), -1).length - 1;
    }

    @Test
    void fromReadsDocumentsOfOtherHostsAndFiltersThem() throws Exception {
        Run same = virtcaps(fixture("libvirt-xml/kvm-x86_64.xml"), "capabilities", "--from", "-");
        assertEquals(0, same.exit(), same.err());
        assertTrue(same.out().contains("Skylake-Client-noTSX-IBRS"));
        Path file = dir.resolve("caps.xml");
        Files.writeString(file, fixture("xen/xen-x86_64-hvm.xml"));
        Run para = virtcaps(null, "guests", "--from", file.toString(), "--paravirt");
        assertEquals(0, para.exit(), para.err());
        assertTrue(para.out().contains("1 of them"), para.out());
        Run pc64 = virtcaps(null, "guests", "--from", file.toString(), "--fullvirt", "--family", "pc", "--wordsize",
                "64", "--json");
        assertEquals(0, pc64.exit(), pc64.err());
        assertTrue(pc64.out().contains("\"arch\" : \"x86_64\""), pc64.out());
    }

    @Test
    void errorsGiveExitCodesAndOneLineReasons() throws Exception {
        Run usage = virtcaps(null, "capabilities", "--format", "yaml");
        assertEquals(2, usage.exit());
        assertTrue(usage.err().startsWith("virtcaps: unknown format 'yaml'"), usage.err());
        assertEquals(2, virtcaps(null, "frobnicate").exit());
        assertEquals(2, virtcaps(null, "guests", "--wordsize", "48").exit());

        Run missing = virtcaps(null, "capabilities", "--from", dir.resolve("nope.xml").toString());
        assertEquals(1, missing.exit());
        assertEquals(1, missing.err().strip().lines().count(), missing.err());

        Run hostile = virtcaps("<!DOCTYPE x [<!ENTITY e SYSTEM \"file:///etc/passwd\">]><capabilities>&e;</capabilities>",
                "capabilities", "--from", "-");
        assertEquals(1, hostile.exit());
        assertEquals(1, hostile.err().strip().lines().count(), hostile.err());
        assertTrue(hostile.out().isEmpty());

        Run help = virtcaps(null, "--help");
        assertEquals(0, help.exit());
        assertTrue(help.out().contains("capabilities") && help.out().contains("--root"));
    }

    @Test
    void driversCommandExplains() throws Exception {
        Run run = virtcaps(null, "drivers");
        assertEquals(0, run.exit(), run.err());
        for (String driver : List.of("qemu", "kvm", "kqemu", "xen")) {
            assertTrue(run.out().lines().anyMatch(l -> l.startsWith(driver + " ")), run.out());
        }
        assertTrue(run.out().contains("/dev/kqemu"), "kqemu says why it contributes nothing: " + run.out());
        assertTrue(run.out().contains("/sys/hypervisor/type"), "so does xen: " + run.out());
    }

    @Test
    void describesMachinesInFiveLanguages() throws Exception {
        Map<String, String> expected = Map.of("fr", "PC standard (i440FX + PIIX, 1996)", "de",
                "Standard-PC (i440FX + PIIX, 1996)", "es", "PC estándar (i440FX + PIIX, 1996)", "ja",
                "標準 PC（i440FX + PIIX、1996 年）", "zh-CN", "标准 PC（i440FX + PIIX，1996 年）");
        for (Map.Entry<String, String> e : expected.entrySet()) {
            Run alias = virtcaps(null, "describe", "pc", "--lang", e.getKey());
            assertEquals(0, alias.exit(), alias.err());
            assertEquals(e.getValue(), alias.out().strip(), "the alias pc");
            assertEquals(e.getValue(), virtcaps(null, "describe", "pc-i440fx-7.2", "--lang", e.getKey()).out().strip());
        }
        assertEquals("Standard PC (i440FX + PIIX, 1996)", virtcaps(null, "describe", "pc", "--lang", "ko").out().strip(),
                "a language with no fragment falls back to English");
        Run none = virtcaps(null, "describe", "no-such-machine");
        assertEquals(1, none.exit());
        assertTrue(none.err().contains("no description"), none.err());
    }

    @Test
    void coverageOfEveryProbedMachineIsComplete() throws Exception {
        Run run = virtcaps(null, "describe", "--coverage");
        assertEquals(0, run.exit(), run.err());
        for (String tag : List.of("fr", "de", "es", "ja", "zh-CN")) {
            assertTrue(run.out().lines().anyMatch(l -> l.startsWith(tag + " ") && l.endsWith("(100.0%)")), run.out());
        }
        assertTrue(!run.out().contains("missing:"), run.out());
    }

    @Test
    void jsonCarriesDescriptionsInTheAskedLanguage() throws Exception {
        Run run = virtcaps(null, "capabilities", "--format", "json", "--lang", "de");
        assertEquals(0, run.exit(), run.err());
        assertTrue(run.out().contains("\"description\" : \"Standard-PC (i440FX + PIIX, 1996)\""), "x86 machines");
        assertTrue(run.out().contains("\"description\" : \"RISC-V-VirtIO-Platine\""), "virt on riscv64 is RISC-V's");
        assertEquals(2, virtcaps(null, "capabilities", "--lang", "de").exit(), "--lang needs JSON");
    }

    @Test
    void serveRunsUntilSigtermAndStopsWithinFiveSeconds() throws Exception {
        Path home = Path.of(System.getProperty("virtcaps.launcher"));
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dvirtcaps.container.bundles=" + System.getProperty("virtcaps.container.bundles"), "-cp",
                home.resolve("launcher.jar") + ":" + home.resolve("org.apache.felix.framework.jar"),
                "org.virtcaps.launcher.Main", "serve", "--drivers-dir", dir.resolve("drivers").toString(),
                "--config-dir", dir.resolve("config").toString(), "--port", Integer.toString(TestContainer.freePort()))
                .redirectErrorStream(true).start();
        p.getOutputStream().close();
        java.io.BufferedReader out = new java.io.BufferedReader(
                new java.io.InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        String line;
        StringBuilder seen = new StringBuilder();
        while ((line = out.readLine()) != null && !line.contains("serving")) {
            seen.append(line).append('\n');
        }
        assertTrue(line != null, "no 'serving' line: " + seen);
        assertTrue(Files.isDirectory(dir.resolve("drivers")) && Files.isDirectory(dir.resolve("config")));
        long start = System.nanoTime();
        new ProcessBuilder("kill", "-TERM", Long.toString(p.pid())).start().waitFor();
        assertTrue(p.waitFor(5, TimeUnit.SECONDS), "stopped within 5 s");
        long millis = (System.nanoTime() - start) / 1_000_000;
        StringBuilder rest = new StringBuilder();
        while ((line = out.readLine()) != null) {
            rest.append(line).append('\n');
        }
        assertTrue(rest.toString().contains("stopped in"), rest.toString());
        assertTrue(millis < 5000, millis + " ms");
    }

    @Test
    void serveReadsItsOptionsLikeEveryCommandAndRefusesUnknownOnes() throws Exception {
        Path home = Path.of(System.getProperty("virtcaps.launcher"));
        List<String> serve = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dvirtcaps.container.bundles=" + System.getProperty("virtcaps.container.bundles"), "-cp",
                home.resolve("launcher.jar") + ":" + home.resolve("org.apache.felix.framework.jar"),
                "org.virtcaps.launcher.Main", "serve", "--drivers-dir=" + dir.resolve("drivers"),
                "--config-dir=" + dir.resolve("config"));
        List<String> bogus = new ArrayList<>(serve);
        bogus.add("--bogus-option");
        Process refused = new ProcessBuilder(bogus).redirectErrorStream(true).start();
        refused.getOutputStream().close();
        String said = new String(refused.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(refused.waitFor(30, TimeUnit.SECONDS));
        assertEquals(2, refused.exitValue(), said);
        assertTrue(said.contains("no option '--bogus-option'"), said);

        int port = TestContainer.freePort();
        List<String> joined = new ArrayList<>(serve);
        joined.add("--port=" + port);
        Process p = new ProcessBuilder(joined).redirectErrorStream(true)
                .redirectOutput(dir.resolve("serve-joined.log").toFile()).start();
        try {
            p.getOutputStream().close();
            HttpEndpointAwait.up(java.net.URI.create("http://127.0.0.1:" + port + "/")); // --port=N binds N
        } finally {
            p.destroy();
            assertTrue(p.waitFor(10, TimeUnit.SECONDS));
        }
    }

    @Test
    void serveStopsWithinFiveSecondsEvenWithABundleThatNeverStarts() throws Exception {
        Path home = Path.of(System.getProperty("virtcaps.launcher"));
        Files.createDirectories(dir.resolve("drivers"));
        Files.write(dir.resolve("drivers/blocking.jar"), TestContainer.blockingBundle());
        int port = TestContainer.freePort();
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dvirtcaps.container.bundles=" + System.getProperty("virtcaps.container.bundles"),
                "-Dvirtcaps.test.release=" + dir.resolve("never-created"), "-cp",
                home.resolve("launcher.jar") + ":" + home.resolve("org.apache.felix.framework.jar"),
                "org.virtcaps.launcher.Main", "serve", "--drivers-dir", dir.resolve("drivers").toString(),
                "--config-dir", dir.resolve("config").toString(), "--port", Integer.toString(port))
                .redirectErrorStream(true).redirectOutput(dir.resolve("serve-blocked.log").toFile()).start();
        p.getOutputStream().close();
        HttpEndpointAwait.up(java.net.URI.create("http://127.0.0.1:" + port + "/"));
        long start = System.nanoTime();
        new ProcessBuilder("kill", "-TERM", Long.toString(p.pid())).start().waitFor();
        boolean ended = p.waitFor(5, TimeUnit.SECONDS);
        long millis = (System.nanoTime() - start) / 1_000_000;
        if (!ended) {
            p.destroyForcibly();
        }
        assertTrue(ended, "ended within 5 s of SIGTERM: " + Files.readString(dir.resolve("serve-blocked.log")));
        assertTrue(millis < 5000, millis + " ms");
    }

    /** {@code virtcaps serve} in a process of its own; returns once it says it serves. */
    static Process serve(Path dir, int port, String... more) throws Exception {
        Path home = Path.of(System.getProperty("virtcaps.launcher"));
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dvirtcaps.container.bundles=" + System.getProperty("virtcaps.container.bundles"), "-cp",
                home.resolve("launcher.jar") + ":" + home.resolve("org.apache.felix.framework.jar"),
                "org.virtcaps.launcher.Main", "serve", "--drivers-dir", dir.resolve("drivers").toString(),
                "--config-dir", dir.resolve("config").toString(), "--port", Integer.toString(port)));
        command.addAll(List.of(more));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(dir.resolve("serve.log").toFile())
                .start();
        p.getOutputStream().close();
        HttpEndpointAwait.up(java.net.URI.create("http://127.0.0.1:" + port + "/"));
        return p;
    }

    @Test
    void connectPrintsWhatTheServingHostPrints() throws Exception {
        int port = TestContainer.freePort();
        String cache = dir.resolve("cache").toString();
        Process server = serve(dir, port, "--cache-dir", cache);
        try {
            String url = "http://127.0.0.1:" + port;
            java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
            // the container's own documents settle once its drivers have probed: ask until two answers agree
            for (String format : new String[] { "libvirt", "seed", "json" }) {
                Run remote = virtcaps(null, "--connect", url, "capabilities", "--format", format);
                assertEquals(0, remote.exit(), remote.err());
                String served = http.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(url
                        + "/capabilities?format=" + format)).build(), java.net.http.HttpResponse.BodyHandlers.ofString())
                        .body();
                assertEquals(served, remote.out(), format + ": --connect prints the container's own document");
                if (!format.equals("json")) {
                    // and what virtcaps prints on that host by itself (same host, same probe cache)
                    Run local = virtcaps(null, "capabilities", "--format", format, "--cache-dir", cache);
                    assertEquals(local.out(), remote.out(), format);
                }
            }
            for (String[] command : new String[][] { { "guests", "--fullvirt", "--family", "pc" }, { "guests", "--json" },
                    { "describe", "pc", "--lang", "fr" }, { "describe", "virt", "--arch", "riscv64", "--lang", "de" },
                    { "capabilities", "--format", "json", "--lang", "ja" } }) {
                List<String> remoteArgs = new ArrayList<>(List.of("--connect", url));
                remoteArgs.addAll(List.of(command));
                List<String> localArgs = new ArrayList<>(List.of(command));
                localArgs.addAll(List.of("--cache-dir", cache));
                Run remote = virtcaps(null, remoteArgs.toArray(String[]::new));
                Run local = virtcaps(null, localArgs.toArray(String[]::new));
                assertEquals(0, remote.exit(), remote.err());
                String what = String.join(" ", command);
                if (what.startsWith("capabilities") || what.contains("--json")) {
                    // snapshot generation and time are the container's own, not a one-shot run's
                    assertEquals(withoutRunFields(local.out()), withoutRunFields(remote.out()), what);
                } else {
                    assertEquals(local.out(), remote.out(), what);
                }
            }
            Run drivers = virtcaps(null, "--connect", url, "drivers");
            Run localDrivers = virtcaps(null, "drivers", "--cache-dir", cache);
            assertEquals(withoutRunFields(localDrivers.out()), withoutRunFields(drivers.out()));

            Run unreachable = virtcaps(null, "--connect", "http://127.0.0.1:" + TestContainer.freePort(), "capabilities");
            assertEquals(1, unreachable.exit());
            assertTrue(unreachable.err().startsWith("virtcaps: cannot connect to http://127.0.0.1:"), unreachable.err());
            Run notHttp = virtcaps(null, "--connect", "ftp://127.0.0.1/", "guests");
            assertEquals(2, notHttp.exit());
            assertTrue(notHttp.err().contains("not an http:// or https:// URL"), notHttp.err());
            assertEquals(2, virtcaps(null, "--connect", url, "--from", "-", "guests").exit());
        } finally {
            server.destroy();
            server.waitFor(10, TimeUnit.SECONDS);
        }
    }

    /** What differs between two runs on one host: snapshot number and time, probe times, cache hits. */
    private static String withoutRunFields(String text) {
        return text.replaceAll("\"(generation|createdAt|probeMillis)\" : [^,\n]+", "\"$1\" : X")
                .replaceAll(" +\\d+ ms", " N ms").replaceAll("\\d+ probed now, \\d+ from cache", "N probed now, N from cache");
    }
}
