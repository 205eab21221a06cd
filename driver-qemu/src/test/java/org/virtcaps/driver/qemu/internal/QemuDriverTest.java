package org.virtcaps.driver.qemu.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.annotation.Annotation;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.virtcaps.core.internal.HostEnvironments;
import org.virtcaps.core.model.Diagnostic;
import org.virtcaps.core.model.GuestArchitecture;
import org.virtcaps.core.model.Machine;
import org.virtcaps.core.spi.HostEnvironment;
import org.virtcaps.core.spi.ProbeResult;
import org.virtcaps.driver.qemu.Emulator;
import org.virtcaps.driver.qemu.EmulatorCatalog;

/** The QEMU driver over host trees with real, recorded and misbehaving emulators. */
class QemuDriverTest {
    @TempDir
    Path dir;
    private QemuEmulatorCatalog catalog;

    static QemuConfig config(double timeoutSeconds) {
        return new QemuConfig() {
            @Override
            public Class<? extends Annotation> annotationType() {
                return QemuConfig.class;
            }

            @Override
            public double emulatorTimeoutSeconds() {
                return timeoutSeconds;
            }

            @Override
            public String[] extraSearchDirs() {
                return new String[] { "/usr/libexec" };
            }

            @Override
            public int parallelProbes() {
                return 0;
            }

            @Override
            public boolean watchSearchDirs() {
                return false;
            }

            @Override
            public long watchQuietMillis() {
                return 1000;
            }
        };
    }

    private HostEnvironment env(FakeEmulators tree) {
        return HostEnvironments.forRoot(tree.root, dir.resolve("cache/qemu"));
    }

    @AfterEach
    void stop() {
        if (catalog != null) {
            catalog.deactivate();
        }
    }

    private ProbeResult probe(FakeEmulators tree, double timeout) {
        catalog = new QemuEmulatorCatalog(config(timeout));
        return new QemuDriver(catalog).probe(env(tree));
    }

    /** Whether this machine lets us use KVM: decides what a KVM-only emulator does here, nothing else. */
    static boolean liveKvmUsable() {
        Path kvm = Path.of("/dev/kvm");
        return Files.isReadable(kvm) && Files.isWritable(kvm);
    }

    @Test
    void realEmulatorsGiveLibvirtsGuests() {
        FakeEmulators tree = new FakeEmulators(dir.resolve("root")).real("qemu-system-x86_64").real("qemu-system-arm")
                .real("qemu-system-ppc64le");
        ProbeResult result = probe(tree, 10);
        List<String> arches = result.guests().stream().map(GuestArchitecture::arch).toList();
        // i686 falls back to qemu-system-x86_64 when qemu-system-i386 is missing, as libvirt does
        assertEquals(List.of("armv6l", "armv7l", "i686", "ppc64le", "x86_64"), arches, result.diagnostics().toString());
        GuestArchitecture x86 = result.guests().get(4);
        assertEquals("/usr/bin/qemu-system-x86_64", x86.emulator());
        assertEquals(new Machine("pc-i440fx-7.2", null, 255, false), x86.machines().get(0), "default first");
        assertEquals(new Machine("pc", "pc-i440fx-7.2", 255, false), x86.machines().get(1), "then its alias");
        assertTrue(x86.machines().stream().anyMatch(m -> Boolean.TRUE.equals(m.deprecated())));
        assertFalse(x86.machines().stream().anyMatch(m -> m.name().equals("none")));
        assertEquals(List.of("acpi", "apic", "cpuselection", "deviceboot", "disksnapshot"),
                x86.features().stream().map(f -> f.name()).toList());
        GuestArchitecture arm = result.guests().get(0);
        assertEquals("integratorcp", arm.defaultMachine().name(), "libvirt's preferred arm machine");
        GuestArchitecture i686 = result.guests().get(2);
        assertEquals(List.of("pae", "nonpae"), i686.features().subList(0, 2).stream().map(f -> f.name()).toList());
    }

    @Test
    void aVariantBinaryIsAnExtraQemuDomainOfItsArch() {
        FakeEmulators tree = new FakeEmulators(dir.resolve("root")).real("qemu-system-x86_64");
        tree.recordedQemu3("qemu-system-x86_64-microvm");
        ProbeResult result = probe(tree, 10);
        List<GuestArchitecture> x86 = result.guests().stream().filter(g -> g.arch().equals("x86_64")).toList();
        assertEquals(List.of("/usr/bin/qemu-system-x86_64", "/usr/bin/qemu-system-x86_64-microvm"),
                x86.stream().map(GuestArchitecture::emulator).toList(), result.diagnostics().toString());
        assertEquals("microvm", x86.get(1).driverFlags().get("variant"));
        assertEquals("qemu", x86.get(1).domainType());
        assertEquals(null, x86.get(0).driverFlags().get("variant"), "the regular binary is no variant");
    }

    @Test
    void aKvmOnlyEmulatorIsListedWhereKvmIsUsable() {
        org.junit.jupiter.api.Assumptions.assumeTrue(liveKvmUsable(),
                "needs a usable /dev/kvm: Debian's qemu-system-x86_64-microvm starts only with KVM");
        FakeEmulators tree = new FakeEmulators(dir.resolve("root")).real("qemu-system-x86_64")
                .real("qemu-system-x86_64-microvm");
        ProbeResult result = probe(tree, 10);
        GuestArchitecture microvm = result.guests().stream()
                .filter(g -> "/usr/bin/qemu-system-x86_64-microvm".equals(g.emulator())).findFirst()
                .orElseThrow(() -> new AssertionError(result.diagnostics().toString()));
        assertEquals("microvm", microvm.driverFlags().get("variant"));
    }

    @Test
    void aKvmOnlyEmulatorIsSkippedWithItsReasonWhereKvmIsNot() {
        org.junit.jupiter.api.Assumptions.assumeFalse(liveKvmUsable(),
                "this machine has a usable /dev/kvm: run it on a view without (.ci/run does)");
        FakeEmulators tree = new FakeEmulators(dir.resolve("root")).real("qemu-system-x86_64")
                .real("qemu-system-x86_64-microvm");
        ProbeResult result = probe(tree, 10);
        assertEquals(List.of("/usr/bin/qemu-system-x86_64", "/usr/bin/qemu-system-x86_64"),
                result.guests().stream().map(GuestArchitecture::emulator).toList(), "i686 and x86_64, no microvm");
        Diagnostic skipped = result.diagnostics().stream()
                .filter(d -> d.source().equals("/usr/bin/qemu-system-x86_64-microvm")).findFirst()
                .orElseThrow(() -> new AssertionError(result.diagnostics().toString()));
        assertTrue(skipped.message().contains("KVM"), skipped.message());
    }

    @Test
    void onTheLiveHostTheProbeAlsoAnswersWhetherKvmInitialises() throws Exception {
        Path kvm = Path.of("/dev/kvm");
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isReadable(kvm) && Files.isWritable(kvm),
                "needs a usable /dev/kvm");
        java.util.concurrent.atomic.AtomicInteger runs = new java.util.concurrent.atomic.AtomicInteger();
        HostEnvironment live = counting(HostEnvironments.forRoot(Path.of("/"), dir.resolve("cache/qemu")), runs);
        catalog = new QemuEmulatorCatalog(config(10));
        EmulatorCatalog.EmulatorScan scan = catalog.scan(live);
        Emulator x86 = scan.emulators().stream().filter(e -> e.path().equals("/usr/bin/qemu-system-x86_64"))
                .findFirst().orElseThrow();
        assertTrue(x86.kvmSupport());
        int afterScan = runs.get();
        // answered from the scan's own probe (accel=kvm:tcg): no further process, and the same answer as
        // starting QEMU with accel=kvm on its own
        Optional<String> fromProbe = catalog.acceleratorProblem(x86, "kvm", live);
        assertEquals(afterScan, runs.get());
        String alone = new QmpProbe(java.time.Duration.ofSeconds(10)).acceleratorProblem(live, live.resolve(x86.path()), "kvm");
        assertEquals(alone == null, fromProbe.isEmpty(), fromProbe + " / " + alone);

        // a new process reads both from the cache
        catalog.deactivate();
        catalog = new QemuEmulatorCatalog(config(10));
        catalog.scan(live);
        assertEquals(fromProbe, catalog.acceleratorProblem(x86, "kvm", live));
        assertEquals(afterScan + 1, runs.get(), "only the separate check above ran");
    }

    /**
     * The live probe's KVM answer (what {@code accel=kvm:tcg} says) from recorded conversations, so both
     * sides are checked on every machine: QEMU that initialised KVM, and QEMU that fell back to TCG.
     */
    @Test
    void theLiveProbeReadsWhetherKvmInitialisedFromTheConversation() throws Exception {
        String greeting = "{\"QMP\": {\"version\": {\"qemu\": {\"micro\": 0, \"minor\": 2, \"major\": 7}, "
                + "\"package\": \"\"}, \"capabilities\": []}}\n";
        String answers = "{\"return\": {}}\n"
                + "{\"return\": {\"qemu\": {\"micro\": 0, \"minor\": 2, \"major\": 7}, \"package\": \"\"}}\n"
                + "{\"return\": {\"arch\": \"x86_64\"}}\n"
                + "{\"return\": [{\"name\": \"pc-i440fx-7.2\", \"alias\": \"pc\", \"is-default\": true, \"cpu-max\": 255}]}\n";
        QmpProbe qmp = new QmpProbe(java.time.Duration.ofSeconds(10));
        Path binary = Path.of("/usr/bin/qemu-system-x86_64");

        org.virtcaps.core.spi.ProcessResult withKvm = new org.virtcaps.core.spi.ProcessResult(0,
                greeting + answers + "{\"return\": {\"enabled\": true, \"present\": true}}\n{\"return\": {}}\n", "",
                false, false, java.time.Duration.ZERO);
        QmpProbe.Answer kvm = qmp.interpret(withKvm, binary.toString(), binary, "x86_64", null, true);
        assertTrue(kvm.emulator().kvmSupport());
        assertEquals(null, kvm.kvmProblem(), "KVM initialised");

        org.virtcaps.core.spi.ProcessResult fellBack = new org.virtcaps.core.spi.ProcessResult(0,
                greeting + answers + "{\"return\": {\"enabled\": false, \"present\": true}}\n{\"return\": {}}\n",
                "Could not access KVM kernel module: No such file or directory\nqemu-system-x86_64: falling back to tcg\n",
                false, false, java.time.Duration.ZERO);
        QmpProbe.Answer tcg = qmp.interpret(fellBack, binary.toString(), binary, "x86_64", null, true);
        assertTrue(tcg.emulator().kvmSupport(), "built with KVM, though it could not use it");
        assertEquals("Could not access KVM kernel module: No such file or directory", tcg.kvmProblem());
        assertEquals("pc-i440fx-7.2", tcg.emulator().machines().get(0).name(), "the rest of the answer is kept");

        QmpProbe.Answer notAsked = qmp.interpret(fellBack, binary.toString(), binary, "x86_64", null, false);
        assertEquals(null, notAsked.kvmProblem(), "no KVM verdict where KVM was not asked for");
    }

    /** The environment with its process runs counted. */
    private static HostEnvironment counting(HostEnvironment env, java.util.concurrent.atomic.AtomicInteger runs) {
        return new HostEnvironment() {
            @Override
            public Path root() {
                return env.root();
            }

            @Override
            public Path resolve(String hostPath) {
                return env.resolve(hostPath);
            }

            @Override
            public boolean exists(String hostPath) {
                return env.exists(hostPath);
            }

            @Override
            public Optional<String> readFile(String hostPath) throws java.io.IOException {
                return env.readFile(hostPath);
            }

            @Override
            public List<String> list(String hostPath) throws java.io.IOException {
                return env.list(hostPath);
            }

            @Override
            public List<Path> searchPath() {
                return env.searchPath();
            }

            @Override
            public org.virtcaps.core.spi.ProcessResult run(List<String> command, String stdin, java.time.Duration timeout,
                    int maxOutputBytes) throws java.io.IOException {
                runs.incrementAndGet();
                return env.run(command, stdin, timeout, maxOutputBytes);
            }

            @Override
            public Optional<Path> cacheDirectory() {
                return env.cacheDirectory();
            }

            @Override
            public org.virtcaps.core.model.Host host() {
                return env.host();
            }
        };
    }

    @Test
    void aNameOnTheSearchPathShadowsTheSameNameInTheExtraDirectories() throws Exception {
        // Debian's /usr/bin/qemu-system-i386 is a wrapper script that runs /usr/libexec/qemu-system-i386
        FakeEmulators tree = new FakeEmulators(dir.resolve("root")).real("qemu-system-x86_64");
        Path libexec = tree.dir("/usr/libexec");
        java.nio.file.Files.copy(tree.bin().resolve("qemu-system-x86_64"), libexec.resolve("qemu-system-x86_64"));
        ProbeResult result = probe(tree, 10);
        List<String> emulators = catalog.scan(env(tree)).emulators().stream().map(e -> e.path()).toList();
        assertEquals(List.of("/usr/bin/qemu-system-x86_64"), emulators,
                "the libexec copy of a name found on the PATH is neither listed nor probed");
        assertTrue(result.diagnostics().stream().anyMatch(d -> d.message().startsWith("1 emulators: 1 probed now")),
                result.diagnostics().toString());
        assertEquals("/usr/bin/qemu-system-x86_64", result.guests().stream().filter(g -> g.arch().equals("x86_64"))
                .findFirst().orElseThrow().emulator());
    }

    @Test
    void recordedQemu3AnswersLikeAQemu() {
        FakeEmulators tree = new FakeEmulators(dir.resolve("root"));
        tree.recordedQemu3("qemu-system-x86_64");
        ProbeResult result = probe(tree, 10);
        assertEquals(List.of("i686", "x86_64"), result.guests().stream().map(GuestArchitecture::arch).toList(),
                result.diagnostics().toString());
        GuestArchitecture g = result.guests().get(1);
        assertEquals("2.12.90", g.driverFlags().get("qemu-version"));
        assertEquals("pc", g.machines().get(1).name());
        assertTrue(g.machines().get(0).name().startsWith("pc-i440fx-"));
        Map<String, String> descriptions = catalog.machineDescriptions(catalog.scan(env(tree)).emulators().get(0), env(tree));
        assertEquals("Fake machine " + g.machines().get(0).name(), descriptions.get(g.machines().get(0).name()));
    }

    @Test
    void misbehavingEmulatorsAreSkippedWithReasonsAndTheRestStands() throws Exception {
        FakeEmulators tree = new FakeEmulators(dir.resolve("root")).real("qemu-system-x86_64");
        tree.script("qemu-system-aarch64", "sleep 600");
        tree.script("qemu-system-arm", "echo 'qemu: could not load PC BIOS' >&2; kill -SEGV $$");
        tree.script("qemu-system-ppc", "echo 'Hello, I am not QEMU'");
        tree.script("qemu-system-sparc", "yes AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA");
        tree.script("qemu-system-s390x", "printf '{\"QMP\": {\"version\": {}}}\\n{\"return\": {}}\\n{\"ret'");
        Path notExecutable = tree.script("qemu-system-m68k", "exit 0");
        Files.setPosixFilePermissions(notExecutable, PosixFilePermissions.fromString("rw-r--r--"));
        Files.createSymbolicLink(tree.bin().resolve("qemu-system-mips"), tree.root.resolve("gone/qemu-system-mips"));

        long start = System.nanoTime();
        ProbeResult result = probe(tree, 1.5);
        long millis = (System.nanoTime() - start) / 1_000_000;
        assertTrue(millis < 8000, "the hanging emulator is killed at its timeout: " + millis + " ms");
        assertEquals(List.of("x86_64", "i686"), result.guests().stream().map(GuestArchitecture::arch).sorted(
                java.util.Comparator.reverseOrder()).toList());
        Map<String, String> reasons = new java.util.TreeMap<>();
        for (Diagnostic d : result.diagnostics()) {
            if (d.severity() == Diagnostic.Severity.WARNING) {
                reasons.put(d.source().replace("/usr/bin/qemu-system-", ""), d.message());
            }
        }
        assertTrue(reasons.get("aarch64").contains("did not answer within 1.5 s"), reasons.toString());
        assertTrue(reasons.get("arm").contains("signal 11") && reasons.get("arm").contains("could not load PC BIOS"),
                reasons.toString());
        assertTrue(reasons.get("ppc").contains("no QMP"), reasons.toString());
        assertTrue(reasons.get("sparc").contains("more than"), reasons.toString());
        assertTrue(reasons.get("s390x").contains("gave no answer") || reasons.get("s390x").contains("no QMP"),
                reasons.toString());
        assertTrue(reasons.get("m68k").contains("not executable"), reasons.toString());
        assertTrue(reasons.get("mips").contains("vanished"), reasons.toString());
    }

    @Test
    void cacheAnswersWithoutProcessesAndNoticesChanges() throws Exception {
        FakeEmulators tree = new FakeEmulators(dir.resolve("root"));
        Path fake = tree.recordedQemu3("qemu-system-x86_64");
        probe(tree, 10);
        assertEquals(1, catalog.lastStats().probed());
        catalog.deactivate();

        // a fresh catalog (a new process) reads the cache: no probe
        catalog = new QemuEmulatorCatalog(config(10));
        EmulatorCatalog.EmulatorScan scan = catalog.scan(env(tree));
        assertEquals(new QemuEmulatorCatalog.ScanStats(1, 0, 1, 0), catalog.lastStats());
        assertEquals(1, scan.emulators().size());
        // unchanged: answered from memory
        catalog.scan(env(tree));
        assertEquals(new QemuEmulatorCatalog.ScanStats(1, 1, 0, 0), catalog.lastStats());

        // the binary changes (a package upgrade): probed again
        Files.writeString(fake, Files.readString(fake) + "\n# upgraded\n");
        catalog.scan(env(tree));
        assertEquals(1, catalog.lastStats().probed());
    }

    @Test
    void aNewProcessStartsFromTheScanIndexWithoutListingAndStillSeesAnEmulatorAdded() throws Exception {
        FakeEmulators tree = new FakeEmulators(dir.resolve("root"));
        tree.recordedQemu3("qemu-system-x86_64");
        probe(tree, 10);
        assertTrue(catalog.directoriesListed() > 0);
        catalog.deactivate();

        // unchanged directories: their listings and the answer come from the index, nothing is listed or run
        catalog = new QemuEmulatorCatalog(config(10));
        assertEquals(1, catalog.scan(env(tree)).emulators().size());
        assertEquals(new QemuEmulatorCatalog.ScanStats(1, 0, 1, 0), catalog.lastStats());
        assertEquals(0, catalog.directoriesListed());
        catalog.deactivate();

        // an emulator installed since: its directory changed, so it is listed again and only the newcomer probed;
        // the rewritten index also clears the per-binary files an older version left
        Path leftover = Files.writeString(dir.resolve("cache/qemu-emulators/65024-123.probe"), "old layout");
        tree.recordedQemu3("qemu-system-i386");
        catalog = new QemuEmulatorCatalog(config(10));
        assertEquals(2, catalog.scan(env(tree)).emulators().size());
        assertEquals(new QemuEmulatorCatalog.ScanStats(2, 0, 1, 1), catalog.lastStats());
        assertTrue(catalog.directoriesListed() > 0);
        assertFalse(Files.exists(leftover));
        catalog.deactivate();

        // and the index written after that scan answers both
        catalog = new QemuEmulatorCatalog(config(10));
        catalog.scan(env(tree));
        assertEquals(new QemuEmulatorCatalog.ScanStats(2, 0, 2, 0), catalog.lastStats());
    }

    @Test
    void corruptOrTruncatedCacheEntriesAreReprobedNeverTrusted() throws Exception {
        FakeEmulators tree = new FakeEmulators(dir.resolve("root"));
        tree.recordedQemu3("qemu-system-x86_64");
        probe(tree, 10);
        Path cacheDir = dir.resolve("cache/qemu-emulators");
        Path entry;
        try (var files = Files.list(cacheDir)) {
            entry = files.filter(p -> p.toString().endsWith(".index")).findFirst().orElseThrow();
        }
        byte[] good = Files.readAllBytes(entry);
        for (byte[] bad : List.of(new byte[0], java.util.Arrays.copyOf(good, good.length / 2), flip(good, good.length / 2),
                "garbage".getBytes())) {
            Files.write(entry, bad);
            catalog.deactivate();
            catalog = new QemuEmulatorCatalog(config(10));
            EmulatorCatalog.EmulatorScan scan = catalog.scan(env(tree));
            assertEquals(1, catalog.lastStats().probed(), "a bad entry is a miss");
            Emulator e = scan.emulators().get(0);
            assertNotNull(e.machines());
            assertFalse(e.machines().isEmpty());
        }
    }

    /**
     * A tree whose x86_64 emulator hangs and whose i386 emulator is killed by SIGKILL while a marker file is
     * there (each removes its marker, so the next run answers: the recorded QEMU 3), and whose ppc emulator is
     * no QEMU at all and counts its runs.
     */
    private FakeEmulators slowOnceTree() throws Exception {
        FakeEmulators tree = new FakeEmulators(dir.resolve("root"));
        Path hangs = tree.recordedQemu3("qemu-system-x86_64");
        Path killed = tree.recordedQemu3("qemu-system-i386");
        Path markers = tree.dir("/markers");
        once(hangs, markers.resolve("hang"), "sleep 600");
        once(killed, markers.resolve("kill"), "kill -KILL $$");
        tree.script("qemu-system-ppc", "echo run >> " + markers.resolve("ppc-runs") + "; echo 'Hello, I am not QEMU'");
        return tree;
    }

    /** Makes {@code script} do {@code misbehave} instead of answering while {@code marker} exists, once. */
    private static void once(Path script, Path marker, String misbehave) throws Exception {
        Files.writeString(marker, "");
        String body = Files.readString(script);
        int afterShebang = body.indexOf('\n') + 1;
        Files.writeString(script, body.substring(0, afterShebang) + "if [ -e " + marker + " ]; then rm -f " + marker
                + "; " + misbehave + "; fi\n" + body.substring(afterShebang));
    }

    private static List<String> emulators(EmulatorCatalog.EmulatorScan scan) {
        return scan.emulators().stream().map(Emulator::path).sorted().toList();
    }

    private static long runs(Path counter) throws Exception {
        return Files.exists(counter) ? Files.readAllLines(counter).size() : 0;
    }

    @Test
    void aTimeoutOrAKillIsAskedAgainByTheNextRunWhileADefiniteFailureIsKept() throws Exception {
        FakeEmulators tree = slowOnceTree();
        catalog = new QemuEmulatorCatalog(config(2));
        EmulatorCatalog.EmulatorScan first = catalog.scan(env(tree));
        assertEquals(List.of(), emulators(first), first.failures().toString());
        Map<String, String> reasons = new java.util.TreeMap<>();
        first.failures().forEach(f -> reasons.put(f.path(), f.reason()));
        assertTrue(reasons.get("/usr/bin/qemu-system-x86_64").contains("did not answer"), reasons.toString());
        assertTrue(reasons.get("/usr/bin/qemu-system-i386").contains("signal 9"), reasons.toString());
        assertTrue(reasons.get("/usr/bin/qemu-system-ppc").contains("no QMP"), reasons.toString());
        catalog.deactivate();

        // a new process with the same cache: both emulators answer now; the non-QEMU is not run again
        catalog = new QemuEmulatorCatalog(config(2));
        EmulatorCatalog.EmulatorScan second = catalog.scan(env(tree));
        assertEquals(List.of("/usr/bin/qemu-system-i386", "/usr/bin/qemu-system-x86_64"), emulators(second),
                second.failures().toString());
        assertEquals(new QemuEmulatorCatalog.ScanStats(3, 0, 1, 2), catalog.lastStats());
        assertEquals(1, runs(tree.root.resolve("markers/ppc-runs")), "a definite failure stays cached");
    }

    @Test
    void aTimeoutOrAKillIsAskedAgainByTheNextRefreshOfTheSameProcess() throws Exception {
        FakeEmulators tree = slowOnceTree();
        catalog = new QemuEmulatorCatalog(config(2));
        assertEquals(List.of(), emulators(catalog.scan(env(tree))));
        EmulatorCatalog.EmulatorScan refreshed = catalog.scan(env(tree));
        assertEquals(List.of("/usr/bin/qemu-system-i386", "/usr/bin/qemu-system-x86_64"), emulators(refreshed),
                refreshed.failures().toString());
        assertEquals(new QemuEmulatorCatalog.ScanStats(3, 1, 0, 2), catalog.lastStats());
        assertEquals(1, runs(tree.root.resolve("markers/ppc-runs")), "a definite failure stays cached");
    }

    @Test
    void machineDescriptionsThatTimedOutAreAskedAgain() throws Exception {
        FakeEmulators tree = new FakeEmulators(dir.resolve("root"));
        Path fake = tree.recordedQemu3("qemu-system-x86_64");
        Path marker = tree.dir("/markers").resolve("hang");
        once(fake, marker, "sleep 600");
        Files.delete(marker);
        catalog = new QemuEmulatorCatalog(config(2));
        Emulator x86 = catalog.scan(env(tree)).emulators().get(0);
        Files.writeString(marker, "");
        assertEquals(Map.of(), catalog.machineDescriptions(x86, env(tree)), "timed out: nothing to say this time");
        assertFalse(catalog.machineDescriptions(x86, env(tree)).isEmpty(), "asked again, answered");
    }

    /**
     * A configuration as Declarative Services hands it over: {@code emulatorTimeoutSeconds = abc} fails only
     * when the method is called (Felix SCR throws a ComponentException), as does a negative parallelProbes
     * here, which converts but means nothing.
     */
    private static QemuConfig badConfig() {
        QemuConfig good = config(10);
        return (QemuConfig) java.lang.reflect.Proxy.newProxyInstance(QemuConfig.class.getClassLoader(),
                new Class<?>[] { QemuConfig.class }, (proxy, method, args) -> switch (method.getName()) {
                    case "emulatorTimeoutSeconds" -> throw new IllegalArgumentException("cannot convert 'abc' to double");
                    case "parallelProbes" -> -4;
                    case "watchQuietMillis" -> throw new IllegalArgumentException("cannot convert 'soon' to long");
                    default -> method.invoke(good, args);
                });
    }

    @Test
    void aBadConfigurationValueCostsItsKeyNotTheDriverAndIsReported() {
        FakeEmulators tree = new FakeEmulators(dir.resolve("root"));
        tree.recordedQemu3("qemu-system-x86_64");
        catalog = new QemuEmulatorCatalog(badConfig(),
                Map.of("emulatorTimeoutSeconds", "abc", "parallelProbes", -4, "watchQuietMillis", "soon"));
        ProbeResult result = new QemuDriver(catalog).probe(env(tree));
        assertEquals(List.of("i686", "x86_64"), result.guests().stream().map(GuestArchitecture::arch).toList(),
                result.diagnostics().toString());
        List<String> said = result.diagnostics().stream().map(Diagnostic::message).toList();
        assertTrue(said.contains("PID org.virtcaps.driver.qemu key emulatorTimeoutSeconds: 'abc' is not a number; "
                + "using the default 10"), said.toString());
        assertTrue(said.contains("PID org.virtcaps.driver.qemu key parallelProbes: '-4' is not a count from 0 to 256; "
                + "using the default 0"), said.toString());
        assertTrue(said.contains("PID org.virtcaps.driver.qemu key watchQuietMillis: 'soon' is not a number; "
                + "using the default 1000"), said.toString());
    }

    @Test
    void theDirectoryWatchRunsWithTheDefaultForABadValue() throws Exception {
        catalog = new QemuEmulatorCatalog(config(10));
        new SearchDirectoryWatch(catalog, null, badConfig(), Map.of("watchQuietMillis", "soon")).deactivate();
    }

    private static byte[] flip(byte[] bytes, int at) {
        byte[] copy = bytes.clone();
        copy[at] ^= 0x5a;
        return copy;
    }

    @Test
    void noEmulatorsSaysWhy() {
        ProbeResult result = probe(new FakeEmulators(dir.resolve("empty")), 10);
        assertTrue(result.guests().isEmpty());
        assertTrue(result.diagnostics().get(0).message().contains("no qemu-system-* emulator"));
    }
}
