package org.virtcaps.driver.qemu.internal;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionService;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorCompletionService;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.metatype.annotations.Designate;
import org.virtcaps.core.spi.HostEnvironment;
import org.virtcaps.core.spi.ProcessResult;
import org.virtcaps.driver.qemu.Emulator;
import org.virtcaps.driver.qemu.EmulatorCatalog;
import org.virtcaps.driver.qemu.EmulatorMachine;

/**
 * The host's QEMU emulators, probed in parallel (one probe per distinct binary file, two at a time per
 * core), cached in memory and on disk (one scan index per root). A cached answer is used only while the
 * binary's device, inode, size, mtime and ctime and the probe format are unchanged: checking costs a stat
 * per binary and per search directory.
 * Definite failures (a binary that exits without talking QMP, is not executable, prints without end) are
 * cached the same way, so a broken binary costs its run once, not on every refresh. A probe that gave no
 * verdict (timed out, killed by a signal, could not be started) is reported but kept nowhere: a binary that
 * was slow once on a loaded machine is asked again by the next scan, in this process or the next.
 */
@Component(service = EmulatorCatalog.class, configurationPid = "org.virtcaps.driver.qemu",
        configurationPolicy = ConfigurationPolicy.OPTIONAL)
@Designate(ocd = QemuConfig.class)
public class QemuEmulatorCatalog implements EmulatorCatalog {
    /** Bump whenever what a probe records changes: older cache entries then miss. */
    static final int PROBE_FORMAT = 3; // 3: timeouts and kills are no longer kept, so drop indexes that kept them
    private static final String CACHE_DIR = "qemu-emulators";

    private final QmpProbe qmp;
    private final Discovery discovery = new Discovery();
    private final List<String> extraDirs;
    private final ExecutorService pool;
    private final Map<String, ProbeData> memory = new ConcurrentHashMap<>();
    /** Answers read from the scan index and not yet asked for (each moves to {@code memory} when used). */
    private final Map<String, ProbeData> persisted = new ConcurrentHashMap<>();
    /** Roots whose scan index this catalog has read. */
    private final java.util.Set<Path> indexRead = ConcurrentHashMap.newKeySet();
    private final Map<String, String> acceleratorMemory = new ConcurrentHashMap<>();
    private final Map<String, Map<String, String>> descriptionMemory = new ConcurrentHashMap<>();
    private final Object scanLock = new Object();
    private final Object inFlightLock = new Object();
    private final Map<Path, java.util.concurrent.CompletableFuture<EmulatorScan>> inFlight = new java.util.HashMap<>();
    private volatile ScanStats lastStats = new ScanStats(0, 0, 0, 0);
    private volatile EmulatorScan lastScan = new EmulatorScan(List.of(), List.of());
    private volatile HostEnvironment lastHost;
    private final List<org.virtcaps.core.model.Diagnostic> configProblems;

    /**
     * Binary-independent result of probing one file: the emulator's answers, or why it failed. When the
     * probe also asked for KVM, {@code kvmDevice} is the /dev/kvm and kernel it was asked under and
     * {@code kvmProblem} why KVM did not initialise (null: it did); else {@code kvmDevice} is null.
     * {@code retry}: a failure that is no verdict on the binary, never cached.
     */
    record ProbeData(String targetArch, String version, String packageVersion, List<EmulatorMachine> machines,
            boolean kvm, String failure, String kvmDevice, String kvmProblem, boolean retry) {
    }

    /** Where the last scan's answers came from. */
    public record ScanStats(int candidates, int fromMemory, int fromDisk, int probed) {
    }

    /** For tests: a configuration whose values all convert. */
    public QemuEmulatorCatalog(QemuConfig config) {
        this(config, Map.of());
    }

    @Activate
    public QemuEmulatorCatalog(QemuConfig config, Map<String, Object> properties) {
        QemuSettings settings = QemuSettings.read(config, properties);
        this.configProblems = settings.problems();
        this.qmp = new QmpProbe(settings.emulatorTimeout());
        this.extraDirs = settings.extraSearchDirs();
        // two probes per core by default: an emulator spends about a tenth of its probe blocked (KVM set-up,
        // exit) and the JVM wants the cores too, so one per core left them partly idle (2 cores, 27 emulators,
        // ~550 ms of probing: one lane more than cores 24-36 ms faster, two per core another 20-30 ms, three
        // per core no faster)
        int parallel = settings.parallelProbes() > 0 ? settings.parallelProbes()
                : 2 * Runtime.getRuntime().availableProcessors();
        this.pool = Executors.newFixedThreadPool(parallel, new ProbeThreads());
    }

    /** Daemon probe threads, named; a class rather than a lambda, which costs more to link in a one-shot run. */
    private static final class ProbeThreads implements java.util.concurrent.ThreadFactory {
        private final AtomicInteger count = new AtomicInteger();

        @Override
        public Thread newThread(Runnable r) {
            Thread t = new Thread(r, "virtcaps-qemu-probe-" + count.incrementAndGet());
            t.setDaemon(true);
            return t;
        }
    }

    /** The directory the QEMU family's caches share (beside each driver's own), or null without a cache. */
    private static ProbeCache diskCache(HostEnvironment host) {
        Optional<Path> driverCache = host.cacheDirectory();
        return driverCache.isPresent() ? new ProbeCache(driverCache.get().resolveSibling(CACHE_DIR)) : null;
    }

    @Deactivate
    public void deactivate() {
        // interrupting a probe kills its emulator; wait so no probe outlives the bundle and writes late
        pool.shutdownNow();
        try {
            pool.awaitTermination(5, java.util.concurrent.TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    public ScanStats lastStats() {
        return lastStats;
    }

    /** The configuration values this catalog could not use, each replaced by its default. */
    public List<org.virtcaps.core.model.Diagnostic> configProblems() {
        return configProblems;
    }

    /** The directories the last scan searched (empty before the first scan). */
    List<Path> searchDirectories() {
        return discovery.lastDirectories();
    }

    /** Directories this catalog has listed so far (a scan whose directories' stats match the index lists none). */
    long directoriesListed() {
        return discovery.listingsRead();
    }

    /**
     * Drivers built on the catalog probe at the same time; the ones arriving while a scan of the same root
     * runs share its result instead of scanning again.
     */
    @Override
    public EmulatorScan scan(HostEnvironment host) {
        java.util.concurrent.CompletableFuture<EmulatorScan> mine;
        synchronized (inFlightLock) {
            java.util.concurrent.CompletableFuture<EmulatorScan> running = inFlight.get(host.root());
            if (running != null) {
                mine = null;
            } else {
                mine = new java.util.concurrent.CompletableFuture<>();
                inFlight.put(host.root(), mine);
                running = mine;
            }
            if (mine == null) {
                java.util.concurrent.CompletableFuture<EmulatorScan> shared = running;
                // fall through to join outside the lock
                return joinShared(shared);
            }
        }
        try {
            EmulatorScan result = scanNow(host);
            mine.complete(result);
            return result;
        } catch (RuntimeException e) {
            mine.completeExceptionally(e);
            throw e;
        } finally {
            synchronized (inFlightLock) {
                inFlight.remove(host.root(), mine);
            }
        }
    }

    private static EmulatorScan joinShared(java.util.concurrent.CompletableFuture<EmulatorScan> shared) {
        try {
            return shared.join();
        } catch (java.util.concurrent.CompletionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : e;
        }
    }

    private EmulatorScan scanNow(HostEnvironment host) {
        synchronized (scanLock) {
            ProbeCache disk = diskCache(host);
            // the first scan of a root in this process starts from the index the last process left: its
            // directory listings and answers, each used only while its key still matches
            boolean indexStale = disk != null && indexRead.add(host.root()) && !readIndex(disk, host.root());
            long listedBefore = discovery.listingsRead();
            List<Candidate> candidates = discovery.discover(host, extraDirs);
            Map<String, String> keys = new LinkedHashMap<>();
            Map<String, ProbeData> results = new LinkedHashMap<>();
            // the lanes only run emulators; this thread reads each answer as it comes, so a lane starts its next
            // emulator the moment one exits instead of after parsing (the first parse also loads the JSON reader)
            CompletionService<Launched> lanes = new ExecutorCompletionService<>(pool);
            List<Future<Launched>> running = new ArrayList<>();
            Map<String, Candidate> probing = new LinkedHashMap<>();
            String kvmDevice = null;
            int fromMemory = 0;
            int fromDisk = 0;
            for (Candidate c : candidates) {
                String key = key(c.file());
                keys.put(c.hostPath(), key);
                if (key == null || results.containsKey(key) || probing.containsKey(key)) {
                    continue;
                }
                ProbeData known = memory.get(key);
                if (known != null) {
                    results.put(key, known);
                    fromMemory++;
                    continue;
                }
                ProbeData indexed = persisted.remove(key);
                if (indexed != null) {
                    results.put(key, indexed);
                    memory.put(key, indexed);
                    fromDisk++;
                    continue;
                }
                if (probing.isEmpty()) {
                    // once per scan that probes anything: on the live host with a usable /dev/kvm the probes
                    // also ask for KVM (falling back to TCG), as libvirt does, so the kvm driver's "does KVM
                    // initialise" is answered without a second process
                    kvmDevice = host.root().getParent() == null ? usableDeviceKey(host, "kvm") : null;
                }
                String askKvmUnder = kvmDevice;
                probing.put(key, c);
                running.add(lanes.submit(() -> launch(host, key, c, askKvmUnder)));
            }
            for (int i = 0; i < running.size(); i++) {
                Launched launched;
                try {
                    launched = lanes.take().get();
                } catch (ExecutionException e) {
                    // launch() turns what a probe can throw into a failure; anything else is a defect
                    throw new IllegalStateException("emulator probe failed", e.getCause());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    running.forEach(f -> f.cancel(true));
                    throw new IllegalStateException("interrupted while probing emulators");
                }
                ProbeData data = launched.failure() != null ? launched.failure()
                        : interpret(launched, probing.get(launched.key()));
                results.put(launched.key(), data);
                if (!data.retry()) {
                    memory.put(launched.key(), data);
                }
            }
            lastStats = new ScanStats(candidates.size(), fromMemory, fromDisk, probing.size());
            if (disk != null && (indexStale || !probing.isEmpty() || discovery.listingsRead() != listedBefore)) {
                writeIndex(disk, host.root(), results);
            }

            List<Emulator> emulators = new ArrayList<>();
            List<Failure> failures = new ArrayList<>();
            for (Candidate c : candidates) {
                String key = keys.get(c.hostPath());
                ProbeData data = key == null ? null : results.get(key);
                if (data == null) {
                    failures.add(new Failure(c.hostPath(), "vanished or unreadable before it could be probed"));
                } else if (data.failure() != null) {
                    failures.add(new Failure(c.hostPath(), data.failure()));
                } else {
                    emulators.add(new Emulator(c.hostPath(), c.binaryTarget(), c.variant(), data.targetArch(),
                            data.version(), data.packageVersion(), data.machines(), data.kvm()));
                }
            }
            EmulatorScan scan = new EmulatorScan(emulators, failures);
            lastScan = scan;
            lastHost = host;
            return scan;
        }
    }

    @Override
    public List<Emulator> lastScan() {
        return lastScan.emulators();
    }

    @Override
    public Map<String, String> machineDescriptions(Emulator emulator) {
        HostEnvironment host = lastHost;
        return host == null ? Map.of() : machineDescriptions(emulator, host);
    }

    /**
     * What a probe lane did with one emulator: its raw answer, or why it could not be run.
     *
     * @param kvmDevice the device key KVM was asked for under, or null when it was not asked for
     */
    private record Launched(String key, ProcessResult answer, String kvmDevice, ProbeData failure) {
    }

    /** Runs on a probe lane: starts the emulator and waits for it, nothing more. */
    private Launched launch(HostEnvironment host, String key, Candidate c, String kvmDevice) {
        if (!Files.isRegularFile(c.file())) {
            return new Launched(key, null, kvmDevice, failed("not a regular file"));
        }
        if (!Files.isExecutable(c.file())) {
            return new Launched(key, null, kvmDevice, failed("not executable"));
        }
        try {
            return new Launched(key, qmp.converse(host, c.file(), kvmDevice != null), kvmDevice, null);
        } catch (IOException e) {
            // EAGAIN from fork on a busy machine, ETXTBSY while a package manager writes, an interrupt
            return new Launched(key, null, kvmDevice, unanswered("could not run: " + e.getMessage()));
        } catch (RuntimeException e) {
            return new Launched(key, null, kvmDevice, unanswered("probe failed: " + e));
        }
    }

    /** Runs on the scanning thread, while the lanes run the next emulators. */
    private ProbeData interpret(Launched launched, Candidate c) {
        try {
            QmpProbe.Answer answer = qmp.interpret(launched.answer(), c.hostPath(), c.file(), c.binaryTarget(),
                    c.variant(), launched.kvmDevice() != null);
            Emulator e = answer.emulator();
            return new ProbeData(e.targetArch(), e.version(), e.packageVersion(), e.machines(), e.kvmSupport(), null,
                    launched.kvmDevice(), answer.kvmProblem(), false);
        } catch (QmpProbe.ProbeException e) {
            return e.transientFailure() ? unanswered(e.getMessage()) : failed(e.getMessage());
        } catch (RuntimeException e) {
            return unanswered("probe failed: " + e);
        }
    }

    /** A verdict on the binary: kept until the binary changes. */
    private static ProbeData failed(String reason) {
        return new ProbeData(null, null, null, List.of(), false, reason, null, null, false);
    }

    /** No verdict (timed out, killed, not started): reported this time, asked again next time. */
    private static ProbeData unanswered(String reason) {
        return new ProbeData(null, null, null, List.of(), false, reason, null, null, true);
    }

    /** What an accelerator's answer depends on besides the binary: its device node and the running kernel. */
    private static String deviceKey(HostEnvironment host, String accelerator) {
        return key(host.resolve("/dev/" + accelerator)) + "|" + readQuietly(host, "/proc/sys/kernel/osrelease");
    }

    /** The device key when the accelerator's device is there for us to open, else null. */
    private static String usableDeviceKey(HostEnvironment host, String accelerator) {
        Path device = host.resolve("/dev/" + accelerator);
        return Files.isReadable(device) && Files.isWritable(device) ? deviceKey(host, accelerator) : null;
    }

    /** Everything about the file that can change the answer, or null when it cannot be read. */
    static String key(Path file) {
        try {
            Map<String, Object> a = Files.readAttributes(file, "unix:size,lastModifiedTime,ctime,ino,dev");
            // the file itself, not its name: links to one binary (kvm, qemu-system-ppc64le) share one probe
            return a.get("dev") + ":" + a.get("ino") + "|" + a.get("size") + "|" + ((FileTime) a.get("lastModifiedTime")).toMillis() + "|"
                    + ((FileTime) a.get("ctime")).toMillis() + "|v"
                    + PROBE_FORMAT;
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
            return null;
        }
    }

    /**
     * The scan index of a root: one file holding the directory listings and every emulator's answer of the
     * root's last scan, so a scan in a new process reads one file instead of one per emulator and lists no
     * directory whose stat is unchanged. Rewritten whole after a scan that probed or listed anything, so
     * answers for binaries no longer there drop out.
     */
    private static String indexName(Path root) {
        return ProbeCache.fileName("scan/" + root, ".index");
    }

    private static final String INDEX_KEY = "scan-index|v" + PROBE_FORMAT;
    private static final int MAX_INDEX_ENTRIES = 100_000;

    /** @return whether the index was there and whole (false: it is rewritten after this scan) */
    private boolean readIndex(ProbeCache disk, Path root) {
        ProbeCache.Lookup<Boolean> index = disk.read(indexName(root), INDEX_KEY, new ProbeCache.Reader<>() {
            @Override
            public Boolean read(DataInputStream in) throws IOException {
                // read whole before anything is used: a file that does not parse contributes nothing
                Map<Path, Discovery.Listing> listings = new LinkedHashMap<>();
                for (int d = count(in); d > 0; d--) {
                    Path dir = Path.of(in.readUTF());
                    String key = in.readUTF();
                    List<String> names = new ArrayList<>();
                    for (int n = count(in); n > 0; n--) {
                        names.add(in.readUTF());
                    }
                    listings.put(dir, new Discovery.Listing(key, List.copyOf(names)));
                }
                Map<String, ProbeData> answers = new LinkedHashMap<>();
                for (int e = count(in); e > 0; e--) {
                    String key = in.readUTF();
                    answers.put(key, readData(in));
                }
                discovery.remember(listings);
                persisted.putAll(answers);
                return Boolean.TRUE;
            }
        });
        return index.outcome() == ProbeCache.Outcome.HIT;
    }

    private static int count(DataInputStream in) throws IOException {
        int n = in.readInt();
        if (n < 0 || n > MAX_INDEX_ENTRIES) {
            throw new IOException("implausible count " + n);
        }
        return n;
    }

    private void writeIndex(ProbeCache disk, Path root, Map<String, ProbeData> answers) {
        Map<Path, Discovery.Listing> listings = discovery.listingsUnder(root);
        disk.write(indexName(root), INDEX_KEY, out -> {
            out.writeInt(listings.size());
            for (Map.Entry<Path, Discovery.Listing> l : listings.entrySet()) {
                out.writeUTF(l.getKey().toString());
                out.writeUTF(l.getValue().key());
                out.writeInt(l.getValue().names().size());
                for (String name : l.getValue().names()) {
                    out.writeUTF(name);
                }
            }
            List<Map.Entry<String, ProbeData>> kept = answers.entrySet().stream().filter(a -> !a.getValue().retry())
                    .toList();
            out.writeInt(kept.size());
            for (Map.Entry<String, ProbeData> a : kept) {
                out.writeUTF(a.getKey());
                writeData(out, a.getValue());
            }
        });
        // before the index, answers were kept one file per binary; nothing reads those any more
        disk.removeAll("*.probe");
    }

    private static void writeData(DataOutputStream out, ProbeData d) throws IOException {
        ProbeCache.writeNullable(out, d.failure());
        if (d.failure() != null) {
            return;
        }
        out.writeUTF(d.targetArch());
        out.writeUTF(d.version());
        out.writeUTF(d.packageVersion());
        out.writeBoolean(d.kvm());
        out.writeInt(d.machines().size());
        for (EmulatorMachine m : d.machines()) {
            out.writeUTF(m.name());
            ProbeCache.writeNullable(out, m.alias());
            out.writeInt(m.maxCpus());
            out.writeBoolean(m.deprecated());
            out.writeBoolean(m.isDefault());
        }
        ProbeCache.writeNullable(out, d.kvmDevice());
        ProbeCache.writeNullable(out, d.kvmProblem());
    }

    private static ProbeData readData(DataInputStream in) throws IOException {
        String failure = ProbeCache.readNullable(in);
        if (failure != null) {
            return failed(failure);
        }
        String arch = in.readUTF();
        String version = in.readUTF();
        String pkg = in.readUTF();
        boolean kvm = in.readBoolean();
        int n = in.readInt();
        if (n < 0 || n > 10_000) {
            throw new IOException("implausible machine count " + n);
        }
        List<EmulatorMachine> machines = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            machines.add(new EmulatorMachine(in.readUTF(), ProbeCache.readNullable(in), in.readInt(), in.readBoolean(),
                    in.readBoolean()));
        }
        return new ProbeData(arch, version, pkg, machines, kvm, null, ProbeCache.readNullable(in),
                ProbeCache.readNullable(in), false);
    }

    @Override
    public Optional<String> acceleratorProblem(Emulator emulator, String accelerator, HostEnvironment host) {
        Path binary = host.resolve(emulator.path());
        String key = key(binary);
        if (key == null) {
            return Optional.of(emulator.path() + " is gone");
        }
        // the answer also depends on the accelerator's device node and the running kernel
        String deviceKey = deviceKey(host, accelerator);
        ProbeData probed = memory.get(key);
        if (accelerator.equals("kvm") && probed != null && deviceKey.equals(probed.kvmDevice())) {
            // the emulator's probe asked for KVM under this very device and kernel
            return Optional.ofNullable(probed.kvmProblem());
        }
        String fullKey = key + "|" + accelerator + "|" + deviceKey;
        String known = acceleratorMemory.get(fullKey);
        if (known != null) {
            return known.isEmpty() ? Optional.empty() : Optional.of(known);
        }
        Optional<ProbeCache> disk = Optional.ofNullable(diskCache(host));
        String name = ProbeCache.fileName(emulator.path(), "." + accelerator);
        ProbeCache.Lookup<String> cached = disk.map(d -> d.read(name, fullKey, in -> in.readUTF()))
                .orElse(new ProbeCache.Lookup<>(ProbeCache.Outcome.MISS, null));
        String problem;
        if (cached.outcome() == ProbeCache.Outcome.HIT) {
            problem = cached.value();
        } else {
            try {
                String p = qmp.acceleratorProblem(host, binary, accelerator);
                problem = p == null ? "" : p;
            } catch (IOException e) {
                // no verdict (not started, timed out, killed): said this time, kept nowhere
                return Optional.of("could not run " + emulator.path() + ": " + e.getMessage());
            }
            String written = problem;
            disk.ifPresent(d -> d.write(name, fullKey, out -> out.writeUTF(written)));
        }
        acceleratorMemory.put(fullKey, problem);
        return problem.isEmpty() ? Optional.empty() : Optional.of(problem);
    }

    private static String readQuietly(HostEnvironment host, String path) {
        try {
            return host.readFile(path).orElse("").trim();
        } catch (IOException e) {
            return "";
        }
    }

    @Override
    public Map<String, String> machineDescriptions(Emulator emulator, HostEnvironment host) {
        Path binary = host.resolve(emulator.path());
        String key = key(binary);
        if (key == null) {
            return Map.of();
        }
        Map<String, String> known = descriptionMemory.get(key);
        if (known != null) {
            return known;
        }
        Optional<ProbeCache> disk = Optional.ofNullable(diskCache(host));
        String name = ProbeCache.fileName(emulator.path(), ".machines");
        ProbeCache.Lookup<Map<String, String>> cached = disk.map(d -> d.read(name, key, in -> {
            int n = in.readInt();
            Map<String, String> m = new LinkedHashMap<>();
            for (int i = 0; i < n; i++) {
                m.put(in.readUTF(), in.readUTF());
            }
            return m;
        })).orElse(new ProbeCache.Lookup<>(ProbeCache.Outcome.MISS, null));
        Map<String, String> descriptions;
        if (cached.outcome() == ProbeCache.Outcome.HIT) {
            descriptions = Map.copyOf(cached.value());
        } else {
            try {
                Map<String, String> asked = qmp.machineDescriptions(host, binary);
                disk.ifPresent(d -> d.write(name, key, out -> {
                    out.writeInt(asked.size());
                    for (Map.Entry<String, String> e : asked.entrySet()) {
                        out.writeUTF(e.getKey());
                        out.writeUTF(e.getValue());
                    }
                }));
                descriptions = java.util.Collections.unmodifiableMap(asked);
            } catch (QmpProbe.ProbeException e) {
                if (e.transientFailure()) {
                    return Map.of(); // timed out or killed: asked again next time
                }
                descriptions = Map.of();
            } catch (IOException e) {
                return Map.of(); // not started: asked again next time
            }
        }
        Map<String, String> raced = descriptionMemory.putIfAbsent(key, descriptions);
        return raced != null ? raced : descriptions;
    }
}
