package org.virtcaps.core.internal;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.FutureTask;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.metatype.annotations.Designate;
import org.virtcaps.core.api.CapabilitiesChange;
import org.virtcaps.core.api.CapabilitiesListener;
import org.virtcaps.core.api.CapabilitiesService;
import org.virtcaps.core.api.GuestQuery;
import org.virtcaps.core.api.GuestQueryResult;
import org.virtcaps.core.model.Capabilities;
import org.virtcaps.core.model.Diagnostic;
import org.virtcaps.core.model.DriverReport;
import org.virtcaps.core.model.DriverState;
import org.virtcaps.core.model.GuestArchitecture;
import org.virtcaps.core.model.Host;
import org.virtcaps.core.spi.HypervisorDriver;
import org.virtcaps.core.spi.ConfigValues;
import org.virtcaps.core.spi.ConfigurationReport;
import org.virtcaps.core.spi.ProbeResult;

/**
 * The local host's {@link CapabilitiesService}: probes the host, binds every {@link HypervisorDriver}
 * service (dynamic, greedy, multiple), probes each in parallel under a timeout, and publishes immutable
 * snapshots atomically. A driver that throws, hangs or returns invalid entries is isolated and reported;
 * the others' guests stay in the document.
 */
@Component(service = CapabilitiesService.class, configurationPid = "org.virtcaps.core", immediate = true,
        configurationPolicy = ConfigurationPolicy.OPTIONAL, property = CapabilitiesService.HOST_PROPERTY + "=localhost")
@Designate(ocd = CoreConfig.class)
public class LocalCapabilitiesService implements CapabilitiesService {
    /** Domain types in the order libvirt lists them within a guest; others follow by name. */
    private static final List<String> DOMAIN_ORDER = List.of("qemu", "kqemu", "kvm", "xen");

    private final Settings settings;
    private final List<Diagnostic> configProblems;
    private final HostFiles files;
    private final Function<HostFiles, Host> hostProber;
    private final ExecutorService probes;
    /** Runs the drivers' programs (emulator probes): one for all their environments, so its threads are reused. */
    private final ProcessRunner processes = new ProcessRunner();
    private final ScheduledExecutorService timer;
    private final ExecutorService notifier;
    private final Map<Long, DriverSlot> slots = new ConcurrentHashMap<>();
    /** Components reporting configuration problems, by service id; asked at every snapshot built. */
    private final Map<Long, ConfigurationReport> reports = new ConcurrentHashMap<>();
    private final AtomicReference<Host> host = new AtomicReference<>();
    /** The host probe made at activation, on a probe thread so bundles go on starting meanwhile. */
    private final CompletableFuture<Host> firstHostProbe = new CompletableFuture<>();
    private final AtomicReference<Capabilities> snapshot = new AtomicReference<>();
    private final List<CapabilitiesListener> listeners = new CopyOnWriteArrayList<>();
    private final List<CapabilitiesListener> whiteboard = new CopyOnWriteArrayList<>();
    /** Driver arrivals and departures published before the first host probe ended (guarded by publishLock). */
    private final List<Runnable> beforeHost = new ArrayList<>();
    /** A change left unbuilt because nobody listened: the next reader builds the document. */
    private volatile boolean stale;
    private final Object publishLock = new Object();
    private long generation;
    private volatile boolean active = true;

    @Activate
    public LocalCapabilitiesService(BundleContext context, CoreConfig config, Map<String, Object> properties) {
        this(new ConfigValues(Settings.PID, properties), context, config);
    }

    private LocalCapabilitiesService(ConfigValues values, BundleContext context, CoreConfig config) {
        this(Settings.from(config, context::getProperty, values), values.problems());
    }

    private static Function<HostFiles, Host> defaultHostProber(Settings settings) {
        return files -> new LinuxHostProber(files, settings.liveArch()).probe();
    }

    /** For tests and embedding: explicit settings. */
    public LocalCapabilitiesService(Settings settings) {
        this(settings, List.of(), defaultHostProber(settings));
    }

    /** @param hostProber probes the host from its files (tests put a stuck one in its place) */
    LocalCapabilitiesService(Settings settings, Function<HostFiles, Host> hostProber) {
        this(settings, List.of(), hostProber);
    }

    /**
     * @param configProblems the configuration values replaced by their defaults: told with the host's
     *        diagnostics, which {@code drivers} and {@code /drivers} show
     */
    LocalCapabilitiesService(Settings settings, List<Diagnostic> configProblems) {
        this(settings, configProblems, defaultHostProber(settings));
    }

    private LocalCapabilitiesService(Settings settings, List<Diagnostic> configProblems,
            Function<HostFiles, Host> hostProber) {
        this.settings = settings;
        this.configProblems = List.copyOf(configProblems);
        this.hostProber = hostProber;
        this.files = new HostFiles(settings.root());
        this.probes = Executors.newCachedThreadPool(daemon("virtcaps-probe"));
        java.util.concurrent.ScheduledThreadPoolExecutor timerPool = new java.util.concurrent.ScheduledThreadPoolExecutor(1,
                daemon("virtcaps-probe-timer"));
        // a finished probe cancels its timeout; removing it at once keeps no driver (and its class loader) alive
        timerPool.setRemoveOnCancelPolicy(true);
        this.timer = timerPool;
        this.notifier = Executors.newSingleThreadExecutor(daemon("virtcaps-notify"));
        probes.execute(() -> {
            Host probed;
            try {
                probed = probeHost();
            } catch (Throwable e) {
                firstHostProbe.completeExceptionally(e);
                return;
            }
            host.compareAndSet(null, probed); // a refresh may have been quicker
            try {
                // the first document, with the drivers known so far as they were before the host was; then,
                // in order, the drivers added or removed meanwhile and (see finish) the outcomes that came in,
                // so that listeners hear of them as changes
                publish("host", List.of(), List.of());
                synchronized (publishLock) {
                    List<Runnable> waiting = new ArrayList<>(beforeHost);
                    beforeHost.clear();
                    waiting.forEach(Runnable::run);
                }
            } finally {
                firstHostProbe.complete(probed);
            }
        });
        long every = settings.refreshInterval().toMillis();
        if (every > 0) {
            // picks up what changed on the host (an emulator upgraded, kvm loaded) without being asked
            // the refresh runs on a probe thread: the timer must stay free to cancel probes at their timeout
            java.util.concurrent.atomic.AtomicBoolean running = new java.util.concurrent.atomic.AtomicBoolean();
            timer.scheduleWithFixedDelay(() -> {
                if (active && running.compareAndSet(false, true)) {
                    probes.execute(() -> {
                        try {
                            refresh();
                        } catch (RuntimeException e) {
                            // the next round tries again; failures are in the drivers' reports
                        } finally {
                            running.set(false);
                        }
                    });
                }
            }, every, every, TimeUnit.MILLISECONDS);
        }
    }

    @Deactivate
    public void deactivate() {
        active = false;
        firstHostProbe.completeExceptionally(new IllegalStateException("the capabilities service was deactivated"));
        probes.shutdownNow();
        timer.shutdownNow();
        notifier.shutdown();
        processes.close();
    }

    private static ThreadFactory daemon(String name) {
        AtomicInteger count = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, name + "-" + count.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    /**
     * The host, probed under the probe timeout like a driver: every driver and every reader waits for it,
     * and a host tree may hold a file whose read never ends (one swapped for a FIFO after it was checked,
     * a stalled network file system). On timeout the probe is interrupted (a read blocked in the kernel may
     * stay so; its thread is a daemon) and the host comes without its facts, with a diagnostic saying why.
     */
    private Host probeHost() {
        return withConfigProblems(probeHostInTime());
    }

    private Host probeHostInTime() {
        FutureTask<Host> task = new FutureTask<>(() -> hostProber.apply(files));
        try {
            probes.execute(task);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            task.run(); // deactivated: nothing left to wait beside
        }
        long seconds = settings.probeTimeout().toSeconds();
        try {
            return task.get(settings.probeTimeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            task.cancel(true);
            return LinuxHostProber.unprobed(settings.liveArch(),
                    "the host probe did not finish within " + seconds + " s and was interrupted: host facts unknown");
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            return LinuxHostProber.unprobed(settings.liveArch(), "the host probe failed: "
                    + LinuxHostProber.abbreviate(cause.getClass().getSimpleName() + ": " + cause.getMessage()));
        } catch (InterruptedException e) {
            task.cancel(true);
            Thread.currentThread().interrupt();
            return LinuxHostProber.unprobed(settings.liveArch(), "interrupted while probing the host");
        }
    }

    // ------------------------------------------------------------------ driver whiteboard

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    public void addDriver(HypervisorDriver driver, Map<String, Object> properties) {
        long id = (Long) properties.get(Constants.SERVICE_ID);
        String name = driverName(driver, properties);
        DriverSlot slot = new DriverSlot(driver, id, name);
        slots.put(id, slot);
        publish("driver-added", List.of(name), List.of());
        probe(slot);
    }

    public void removeDriver(HypervisorDriver driver, Map<String, Object> properties) {
        DriverSlot slot = slots.remove((Long) properties.get(Constants.SERVICE_ID));
        if (slot != null) {
            slot.removed = true;
            publish("driver-removed", List.of(), List.of(slot.name));
        }
    }

    private static String driverName(HypervisorDriver driver, Map<String, Object> properties) {
        Object property = properties.get(HypervisorDriver.NAME_PROPERTY);
        if (property instanceof String s && !s.isBlank()) {
            return s;
        }
        try {
            String name = driver.name();
            if (name != null && !name.isBlank()) {
                return name;
            }
        } catch (RuntimeException e) {
            // a driver that cannot even name itself is still named, by its service id
        }
        return "driver-" + properties.get(Constants.SERVICE_ID);
    }

    /**
     * Components that are no driver tell the configuration values they could not use here; they join the
     * host's diagnostics in the next snapshot.
     */
    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void addConfigurationReport(ConfigurationReport report, Map<String, Object> properties) {
        reports.put((Long) properties.get(Constants.SERVICE_ID), report);
        publish("configuration", List.of(), List.of(), true);
    }

    void removeConfigurationReport(ConfigurationReport report, Map<String, Object> properties) {
        if (reports.remove((Long) properties.get(Constants.SERVICE_ID)) != null) {
            publish("configuration", List.of(), List.of(), true);
        }
    }

    /** The host with the reported configuration problems added to its diagnostics. */
    private Host reported(Host h) {
        if (reports.isEmpty()) {
            return h;
        }
        List<Diagnostic> diagnostics = new ArrayList<>(h.diagnostics());
        for (ConfigurationReport report : new java.util.TreeMap<>(reports).values()) {
            try {
                diagnostics.addAll(report.configurationProblems());
            } catch (RuntimeException e) {
                diagnostics.add(Diagnostic.warning("configuration", "a configuration report failed: " + e));
            }
        }
        return new Host(h.uuid(), h.cpu(), h.power(), h.iommu(), h.migration(), h.cells(), h.cache(),
                h.securityModels(), h.memoryKiB(), h.virtualization(), diagnostics);
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void addListenerService(CapabilitiesListener listener) {
        whiteboard.add(listener);
    }

    void removeListenerService(CapabilitiesListener listener) {
        whiteboard.remove(listener);
    }

    // ------------------------------------------------------------------ probing

    /**
     * Starts a probe of the driver unless one is already running, and returns its outcome. The probe runs
     * on its own thread; the timer cancels (interrupts) it at the timeout.
     */
    private CompletableFuture<DriverSlot.Outcome> probe(DriverSlot slot) {
        synchronized (slot) {
            if (slot.inFlight != null && !slot.inFlight.isDone()) {
                return slot.inFlight;
            }
            CompletableFuture<DriverSlot.Outcome> result = new CompletableFuture<>();
            slot.inFlight = result;
            if (!slot.running.compareAndSet(false, true)) {
                // its previous probe ignored the interrupt and is still stuck: do not pile up threads
                DriverSlot.Outcome stuck = new DriverSlot.Outcome(DriverState.TIMED_OUT, List.of(),
                        List.of(Diagnostic.error(slot.name, "an earlier probe is still running after its timeout of "
                                + settings.probeTimeout().toSeconds() + " s; not probed again")),
                        slot.outcome.time());
                finish(slot, stuck, result);
                return result;
            }
            long start = System.nanoTime();
            AtomicReference<java.util.concurrent.ScheduledFuture<?>> timeout = new AtomicReference<>();
            FutureTask<ProbeResult> task = new FutureTask<>(() -> {
                try {
                    return slot.driver.probe(environmentFor(slot.name));
                } finally {
                    slot.running.set(false);
                }
            }) {
                @Override
                protected void done() {
                    java.util.concurrent.ScheduledFuture<?> pending = timeout.get();
                    if (pending != null) {
                        pending.cancel(false);
                    }
                    DriverSlot.Outcome outcome = outcome(slot, this, Duration.ofNanos(System.nanoTime() - start));
                    // a driver that did not need the host can be done before the first document exists: its
                    // outcome then goes in right after it, not into it (no waiting here: done() may run on the
                    // timer thread)
                    firstHostProbe.whenComplete((h, e) -> finish(slot, outcome, result));
                }
            };
            try {
                timeout.set(timer.schedule(() -> task.cancel(true), settings.probeTimeout().toMillis(),
                        TimeUnit.MILLISECONDS));
                probes.execute(task);
            } catch (java.util.concurrent.RejectedExecutionException e) {
                slot.running.set(false);
                result.complete(slot.outcome);
            }
            return result;
        }
    }

    private DriverSlot.Outcome outcome(DriverSlot slot, FutureTask<ProbeResult> task, Duration time) {
        List<Diagnostic> diagnostics = new ArrayList<>();
        try {
            ProbeResult result = task.get();
            if (result == null) {
                diagnostics.add(Diagnostic.error(slot.name, "probe returned null"));
                return new DriverSlot.Outcome(DriverState.FAILED, List.of(), diagnostics, time);
            }
            diagnostics.addAll(result.diagnostics());
            List<GuestArchitecture> valid = EntryValidator.validate(slot.name, result.guests(), diagnostics);
            return new DriverSlot.Outcome(valid.isEmpty() ? DriverState.EMPTY : DriverState.ACTIVE, valid, diagnostics,
                    time);
        } catch (CancellationException e) {
            diagnostics.add(Diagnostic.error(slot.name,
                    "probe did not finish within " + settings.probeTimeout().toSeconds() + " s and was interrupted"));
            return new DriverSlot.Outcome(DriverState.TIMED_OUT, List.of(), diagnostics, time);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            diagnostics.add(Diagnostic.error(slot.name, "probe failed: " + cause.getClass().getSimpleName()
                    + (cause.getMessage() == null ? "" : ": " + LinuxHostProber.abbreviate(cause.getMessage()))));
            return new DriverSlot.Outcome(DriverState.FAILED, List.of(), diagnostics, time);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new DriverSlot.Outcome(DriverState.FAILED, List.of(), diagnostics, time);
        } catch (RuntimeException e) {
            // a malformed result (e.g. a list holding the wrong types) fails only this driver
            diagnostics.add(Diagnostic.error(slot.name, "probe returned an unusable result: " + e));
            return new DriverSlot.Outcome(DriverState.FAILED, List.of(), diagnostics, time);
        }
    }

    private void finish(DriverSlot slot, DriverSlot.Outcome outcome, CompletableFuture<DriverSlot.Outcome> result) {
        slot.outcome = outcome;
        if (!slot.removed && active) {
            publish("driver-probed", List.of(), List.of());
        }
        result.complete(outcome);
    }

    private LocalHostEnvironment environmentFor(String driverName) {
        Path cache = settings.cacheEnabled() ? settings.cacheDir().resolve(driverName.replaceAll("[^A-Za-z0-9_.-]", "_"))
                : null;
        return new LocalHostEnvironment(files, this::host, cache, settings.searchPath(), processes);
    }

    /** The host as probed, with the configuration problems told among its diagnostics. */
    private Host withConfigProblems(Host h) {
        if (configProblems.isEmpty()) {
            return h;
        }
        List<Diagnostic> diagnostics = new ArrayList<>(h.diagnostics());
        diagnostics.addAll(configProblems);
        return new Host(h.uuid(), h.cpu(), h.power(), h.iommu(), h.migration(), h.cells(), h.cache(),
                h.securityModels(), h.memoryKiB(), h.virtualization(), diagnostics);
    }

    /** The host part: the latest probe's, waiting for the first one when it is still running. */
    private Host host() {
        Host current = host.get();
        return current != null ? current : firstHostProbe.join();
    }

    // ------------------------------------------------------------------ snapshots

    /**
     * Builds a snapshot from the host and every slot's latest outcome and publishes it when its content
     * differs from the current one. Serialized so that snapshots and change events stay in order.
     */
    private void publish(String reason, List<String> added, List<String> removed) {
        publish(reason, added, removed, false);
    }

    /**
     * @param build build the document even when nobody listens (a reader asks for it)
     */
    private void publish(String reason, List<String> added, List<String> removed, boolean build) {
        CapabilitiesChange change;
        synchronized (publishLock) {
            if (host.get() == null) {
                // the first host probe is still running and publishes when it ends, with every driver known
                // by then: no document before it; a driver added or removed is told about right after it
                if (!added.isEmpty() || !removed.isEmpty()) {
                    beforeHost.add(() -> publish(reason, added, removed));
                }
                return;
            }
            if (!build && snapshot.get() != null && listeners.isEmpty() && whiteboard.isEmpty() && probing()) {
                // nobody to tell and more outcomes to come: the last probe to finish (or the next reader) builds
                // the document once for all of them (a one-shot run's drivers finishing one by one would
                // otherwise build it once each), still on a probe thread, off the reader's way
                stale = true;
                return;
            }
            stale = false;
            Capabilities previous = snapshot.get();
            List<DriverSlot> ordered = new ArrayList<>(slots.values());
            // drivers in libvirt's domain-type order (qemu, kqemu, kvm, xen), then by name: the document lists
            // guests in the order this gives, as libvirt lists the QEMU driver's arches before anything else
            ordered.sort(Comparator.comparingInt((DriverSlot s) -> domainRank(s.name)).thenComparing(s -> s.name)
                    .thenComparingLong(s -> s.serviceId));
            // Conflicts (two drivers giving the same os type + arch + domain type, or different wordsizes for
            // one arch) go to the driver named after the domain type, then to the first driver by name.
            Map<DriverSlot, DriverSlot.Outcome> outcomes = new HashMap<>();
            List<Object[]> contributions = new ArrayList<>();
            for (DriverSlot slot : ordered) {
                DriverSlot.Outcome outcome = slot.outcome;
                outcomes.put(slot, outcome);
                for (GuestArchitecture e : outcome.guests()) {
                    contributions.add(new Object[] { slot, e });
                }
            }
            contributions.sort(Comparator.comparingInt(c -> ((DriverSlot) c[0]).name
                    .equals(((GuestArchitecture) c[1]).domainType()) ? 0 : 1));
            Map<String, DriverSlot> taken = new HashMap<>();
            Map<String, Integer> wordsizes = new HashMap<>();
            Map<DriverSlot, List<Diagnostic>> conflicts = new HashMap<>();
            Map<DriverSlot, Integer> counts = new HashMap<>();
            List<GuestArchitecture> entries = new ArrayList<>();
            for (Object[] c : contributions) {
                DriverSlot slot = (DriverSlot) c[0];
                GuestArchitecture e = (GuestArchitecture) c[1];
                String key = e.osType() + "/" + e.arch() + "/" + e.domainType();
                Integer wordsize = wordsizes.putIfAbsent(e.osType() + "/" + e.arch(), e.wordsize());
                if (wordsize != null && wordsize != e.wordsize()) {
                    conflicts.computeIfAbsent(slot, s -> new ArrayList<>()).add(Diagnostic.warning(slot.name, key
                            + ": wordsize " + e.wordsize() + " contradicts " + wordsize + " given by another driver: ignored"));
                } else if (taken.putIfAbsent(key, slot) != null && taken.get(key) != slot) {
                    conflicts.computeIfAbsent(slot, s -> new ArrayList<>()).add(Diagnostic.warning(slot.name,
                            key + " is already contributed by another driver: ignored"));
                } else {
                    entries.add(e);
                    counts.merge(slot, 1, Integer::sum);
                }
            }
            List<DriverReport> reports = new ArrayList<>();
            for (DriverSlot slot : ordered) {
                DriverSlot.Outcome outcome = outcomes.get(slot);
                List<Diagnostic> diagnostics = new ArrayList<>(outcome.diagnostics());
                diagnostics.addAll(conflicts.getOrDefault(slot, List.of()));
                reports.add(new DriverReport(slot.name, outcome.state(), counts.getOrDefault(slot, 0), outcome.time(),
                        diagnostics));
            }
            List<GuestArchitecture> ordering = orderEntries(entries);
            long nextGeneration = generation;
            Capabilities next = new Capabilities(reported(host()), GuestGrouping.group(ordering), ordering, reports,
                    nextGeneration, Instant.now(), "probe");
            if (previous != null && sameContent(previous, next)) {
                // same document: keep its generation (clients' ETags stay valid), refresh probe times silently
                snapshot.set(new Capabilities(next.host(), next.guests(), next.architectures(), next.drivers(),
                        previous.generation(), previous.createdAt(), next.source()));
                if (added.isEmpty() && removed.isEmpty()) {
                    return;
                }
            } else {
                generation++;
                next = new Capabilities(next.host(), next.guests(), next.architectures(), next.drivers(), generation,
                        next.createdAt(), next.source());
                snapshot.set(next);
            }
            if (previous == null) {
                return;
            }
            List<CapabilitiesListener> targets = new ArrayList<>(listeners);
            targets.addAll(whiteboard);
            if (targets.isEmpty() || !active) {
                return; // nobody to tell: no need to work out what changed
            }
            Capabilities current = snapshot.get();
            List<GuestArchitecture> guestsAdded = new ArrayList<>(current.architectures());
            guestsAdded.removeAll(previous.architectures());
            List<GuestArchitecture> guestsRemoved = new ArrayList<>(previous.architectures());
            guestsRemoved.removeAll(current.architectures());
            change = new CapabilitiesChange(previous, current, reason, added, removed, guestsAdded, guestsRemoved,
                    previous.host() != current.host() && !previous.host().equals(current.host()));
            notifier.execute(() -> notifyAll(targets, change));
        }
    }

    /** Whether a driver's probe is still running (its outcome will be published when it ends). */
    private boolean probing() {
        for (DriverSlot slot : slots.values()) {
            if (slot.running.get()) {
                return true;
            }
        }
        return false;
    }

    /** Drivers in name order, and within a guest the domain types in libvirt's order. */
    private static List<GuestArchitecture> orderEntries(List<GuestArchitecture> entries) {
        Map<String, Integer> firstSeen = new HashMap<>();
        for (GuestArchitecture e : entries) {
            firstSeen.putIfAbsent(e.osType() + "/" + e.arch(), firstSeen.size());
        }
        List<GuestArchitecture> ordered = new ArrayList<>(entries);
        ordered.sort(Comparator.comparingInt((GuestArchitecture e) -> firstSeen.get(e.osType() + "/" + e.arch()))
                .thenComparingInt(e -> domainRank(e.domainType())).thenComparing(GuestArchitecture::domainType));
        return ordered;
    }

    private static int domainRank(String type) {
        int index = DOMAIN_ORDER.indexOf(type);
        return index < 0 ? DOMAIN_ORDER.size() : index;
    }

    /**
     * Cheap tests first: identity and sizes settle most comparisons without calling records' equals, whose
     * first call per record type costs a bootstrap that a one-shot process notices.
     */
    private static boolean sameContent(Capabilities a, Capabilities b) {
        if (a.drivers().size() != b.drivers().size() || a.architectures().size() != b.architectures().size()
                || (a.host() != b.host() && !a.host().equals(b.host()))) {
            return false;
        }
        for (int i = 0; i < a.drivers().size(); i++) {
            if (a.drivers().get(i).state() != b.drivers().get(i).state()
                    || a.drivers().get(i).guestCount() != b.drivers().get(i).guestCount()) {
                return false;
            }
        }
        if (!a.architectures().equals(b.architectures())) {
            return false;
        }
        for (int i = 0; i < a.drivers().size(); i++) {
            DriverReport x = a.drivers().get(i);
            DriverReport y = b.drivers().get(i);
            if (!x.name().equals(y.name()) || x.state() != y.state() || x.guestCount() != y.guestCount()
                    || !x.diagnostics().equals(y.diagnostics())) {
                return false;
            }
        }
        return true;
    }

    private static void notifyAll(List<CapabilitiesListener> targets, CapabilitiesChange change) {
        for (CapabilitiesListener listener : targets) {
            try {
                listener.capabilitiesChanged(change);
            } catch (RuntimeException e) {
                // one listener's failure must not keep the others from hearing about the change
            }
        }
    }

    // ------------------------------------------------------------------ CapabilitiesService

    @Override
    public Capabilities snapshot() {
        Capabilities current = snapshot.get();
        if (current == null || stale) {
            // asked before the first host probe was published (wait for it), or with changes nobody was told
            // about yet: build now (building the same content again changes nothing)
            host();
            publish("host", List.of(), List.of(), true);
            current = snapshot.get();
        }
        return current;
    }

    @Override
    public Capabilities refresh() {
        Host probed = probeHost();
        if (!Objects.equals(probed, host.getAndSet(probed))) {
            publish("host", List.of(), List.of());
        }
        List<CompletableFuture<DriverSlot.Outcome>> pending = new ArrayList<>();
        for (DriverSlot slot : slots.values()) {
            pending.add(probe(slot));
        }
        long deadline = System.nanoTime() + settings.probeTimeout().plusSeconds(5).toNanos();
        for (CompletableFuture<DriverSlot.Outcome> f : pending) {
            try {
                f.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (TimeoutException | ExecutionException e) {
                // reported through the slot's outcome
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        publish("refresh", List.of(), List.of());
        return snapshot();
    }

    @Override
    public Capabilities settled() {
        List<CompletableFuture<DriverSlot.Outcome>> pending = new ArrayList<>();
        for (DriverSlot slot : slots.values()) {
            synchronized (slot) {
                if (slot.inFlight != null) {
                    pending.add(slot.inFlight);
                }
            }
        }
        try {
            CompletableFuture.allOf(pending.toArray(CompletableFuture[]::new))
                    .get(settings.probeTimeout().plusSeconds(5).toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException | ExecutionException e) {
            // outcomes are reported per driver
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return snapshot();
    }

    @Override
    public GuestQueryResult query(GuestQuery query) {
        return (query == null ? GuestQuery.ALL : query).evaluate(snapshot().architectures());
    }

    @Override
    public AutoCloseable addListener(CapabilitiesListener listener) {
        listeners.add(Objects.requireNonNull(listener));
        return () -> listeners.remove(listener);
    }
}
