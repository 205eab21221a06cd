package org.virtcaps.remote.internal;

import java.io.ByteArrayInputStream;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;
import java.util.stream.Stream;

import org.virtcaps.core.api.CapabilitiesChange;
import org.virtcaps.core.api.CapabilitiesDocuments;
import org.virtcaps.core.api.CapabilitiesListener;
import org.virtcaps.core.api.DocumentException;
import org.virtcaps.core.api.DocumentFormat;
import org.virtcaps.core.api.GuestQuery;
import org.virtcaps.core.api.GuestQueryResult;
import org.virtcaps.core.api.MachineDescriptions;
import org.virtcaps.core.model.Capabilities;
import org.virtcaps.core.model.Diagnostic;
import org.virtcaps.core.model.DriverReport;
import org.virtcaps.core.model.GuestArchitecture;
import org.virtcaps.core.model.Host;
import org.virtcaps.core.model.HostCpu;
import org.virtcaps.remote.RemoteHost;
import org.virtcaps.remote.internal.EndpointClient.EndpointException;

/**
 * A remote host's capabilities, fetched as the JSON document (which carries the whole model) and kept.
 * In {@link Mode#POLL} a background thread re-fetches conditionally (a 304 costs almost nothing); in
 * {@link Mode#EVENTS} it listens to the endpoint's change events and fetches when told. Either way,
 * failures are retried with exponential backoff and jitter while the last good snapshot stays, marked
 * stale.
 */
final class RemoteCapabilities implements RemoteHost {
    enum Mode {
        /** Fetch only when asked (one-shot clients). */
        NONE,
        /** Fetch every poll interval. */
        POLL,
        /** Fetch when the endpoint's event stream reports a change. */
        EVENTS
    }

    static final Duration FIRST_BACKOFF = Duration.ofSeconds(1);
    static final Duration MAX_BACKOFF = Duration.ofSeconds(60);

    private final EndpointClient client;
    private final String hostName;
    private final CapabilitiesDocuments documents;
    private final Mode mode;
    private final Duration pollInterval;
    private final Consumer<Boolean> staleObserver;
    private final RemoteDescriptions descriptions;
    private final List<CapabilitiesListener> listeners = new CopyOnWriteArrayList<>();
    private final Object fetching = new Object();

    private volatile Capabilities snapshot;
    private volatile String etag;
    private volatile String problem;
    private volatile Instant lastContact;
    private volatile boolean closed;
    private volatile Stream<String> eventStream;
    private Thread background;

    RemoteCapabilities(EndpointClient client, String hostName, CapabilitiesDocuments documents, Mode mode,
            Duration pollInterval, Consumer<Boolean> staleObserver) {
        this.client = client;
        this.hostName = hostName;
        this.documents = documents;
        this.mode = mode;
        this.pollInterval = pollInterval;
        this.staleObserver = staleObserver;
        this.descriptions = new RemoteDescriptions(client);
    }

    /** Starts the background poll or event subscription (nothing in {@link Mode#NONE}). */
    void start() {
        if (mode == Mode.NONE) {
            return;
        }
        background = new Thread(this::run, "virtcaps-remote-" + hostName);
        background.setDaemon(true);
        background.start();
    }

    @Override
    public void close() {
        closed = true;
        Stream<String> stream = eventStream;
        if (stream != null) {
            stream.close();
        }
        if (background != null) {
            background.interrupt();
        }
    }

    @Override
    public URI endpoint() {
        return client.base();
    }

    @Override
    public String hostName() {
        return hostName;
    }

    @Override
    public boolean stale() {
        return problem != null;
    }

    @Override
    public Optional<String> problem() {
        return Optional.ofNullable(problem);
    }

    @Override
    public Instant lastContact() {
        return lastContact;
    }

    @Override
    public String document(DocumentFormat format, java.util.Locale descriptions) {
        String query = "capabilities?format=" + format.name().toLowerCase(java.util.Locale.ROOT)
                + (descriptions == null ? "" : "&lang=" + EndpointClient.encode(descriptions.toLanguageTag()));
        try {
            return new String(client.get(query, null).body(), java.nio.charset.StandardCharsets.UTF_8);
        } catch (EndpointException e) {
            throw new IllegalStateException(e.getMessage());
        }
    }

    @Override
    public MachineDescriptions descriptions() {
        return descriptions;
    }

    @Override
    public Capabilities snapshot() {
        return held(e -> unreached(e.getMessage()));
    }

    @Override
    public Capabilities refresh() {
        try {
            return fetch();
        } catch (EndpointException e) {
            return snapshot();
        }
    }

    /** The document, fetched if none was yet; fails with the reason when the host cannot be reached at all. */
    @Override
    public Capabilities settled() {
        return held(e -> {
            throw new IllegalStateException(e.getMessage());
        });
    }

    /** The snapshot held, or the first one fetched now; what a first fetch that fails gives is the caller's. */
    private Capabilities held(java.util.function.Function<EndpointException, Capabilities> unreachable) {
        Capabilities current = snapshot;
        if (current != null) {
            return current;
        }
        try {
            return fetch();
        } catch (EndpointException e) {
            return unreachable.apply(e);
        }
    }

    @Override
    public GuestQueryResult query(GuestQuery query) {
        return query.evaluate(snapshot().architectures());
    }

    @Override
    public AutoCloseable addListener(CapabilitiesListener listener) {
        listeners.add(listener);
        return () -> listeners.remove(listener);
    }

    /** Fetches the current document (conditionally when one is held), tells listeners when it changed. */
    Capabilities fetch() throws EndpointException {
        synchronized (fetching) {
            Capabilities previous = snapshot;
            try {
                EndpointClient.Response response = client.get("capabilities?format=json", previous == null ? null : etag);
                if (!response.notModified()) {
                    Capabilities next = parse(response);
                    snapshot = next;
                    etag = response.etag();
                    if (previous != null && !previous.equals(next)) {
                        tell(change(previous, next));
                    }
                }
                lastContact = Instant.now();
                problem(null);
                return snapshot;
            } catch (EndpointException e) {
                problem(e.getMessage());
                throw e;
            }
        }
    }

    private Capabilities parse(EndpointClient.Response response) throws EndpointException {
        String type = response.contentType().toLowerCase(java.util.Locale.ROOT);
        DocumentFormat format = type.contains("json") ? DocumentFormat.JSON
                : type.contains("xml") ? DocumentFormat.LIBVIRT : null;
        if (format == null) {
            throw new EndpointException("the endpoint answered '" + response.contentType()
                    + "', not a capabilities document");
        }
        try {
            // a libvirt document has no generation or driver reports of its own: it came from the endpoint
            return documents.read(new ByteArrayInputStream(response.body()), format, client.base().toString());
        } catch (DocumentException e) {
            throw new EndpointException("the endpoint's document is unreadable: " + e.getMessage());
        }
    }

    private void problem(String reason) {
        boolean wasStale = problem != null;
        problem = reason;
        if (wasStale != (reason != null)) {
            staleObserver.accept(reason != null);
        }
    }

    private void tell(CapabilitiesChange change) {
        for (CapabilitiesListener listener : listeners) {
            try {
                listener.capabilitiesChanged(change);
            } catch (RuntimeException e) {
                // one failing listener must not keep the change from the others
            }
        }
    }

    static CapabilitiesChange change(Capabilities previous, Capabilities current) {
        Set<String> before = new HashSet<>(previous.drivers().stream().map(DriverReport::name).toList());
        Set<String> after = new HashSet<>(current.drivers().stream().map(DriverReport::name).toList());
        Set<GuestArchitecture> oldGuests = new HashSet<>(previous.architectures());
        Set<GuestArchitecture> newGuests = new HashSet<>(current.architectures());
        return new CapabilitiesChange(previous, current, "remote",
                after.stream().filter(d -> !before.contains(d)).sorted().toList(),
                before.stream().filter(d -> !after.contains(d)).sorted().toList(),
                current.architectures().stream().filter(g -> !oldGuests.contains(g)).toList(),
                previous.architectures().stream().filter(g -> !newGuests.contains(g)).toList(),
                !previous.host().equals(current.host()));
    }

    /** What a never-reached host looks like: no guests, and the reason as a host diagnostic. */
    private Capabilities unreached(String reason) {
        HostCpu cpu = new HostCpu("unknown", null, null, null, null, null, null, null, List.of(), List.of(), List.of());
        Host host = new Host(null, cpu, null, null, null, List.of(), List.of(), List.of(), null, null,
                List.of(new Diagnostic(Diagnostic.Severity.ERROR, "remote", "not reached: " + reason)));
        return new Capabilities(host, List.of(), List.of(), List.of(), 0, null, client.base().toString());
    }

    private void run() {
        Duration backoff = FIRST_BACKOFF;
        while (!closed) {
            try {
                fetch();
                backoff = FIRST_BACKOFF;
                if (mode == Mode.EVENTS) {
                    listen();
                    pause(FIRST_BACKOFF); // the stream ended (the host restarts?): fetch again, then listen
                } else {
                    pause(pollInterval);
                }
            } catch (EndpointException e) {
                problem(e.getMessage());
                backoff = backOff(backoff);
            } catch (RuntimeException e) {
                // whatever else a broken or hostile host causes: marked stale with the reason, tried again
                problem("unexpected failure talking to the host: " + e);
                backoff = backOff(backoff);
            }
        }
    }

    /** Waits out {@code backoff} (with jitter) and returns the next, longer one. */
    private Duration backOff(Duration backoff) {
        pause(backoff.plusMillis(ThreadLocalRandom.current().nextLong(backoff.toMillis() / 4 + 1)));
        return backoff.multipliedBy(2).compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : backoff.multipliedBy(2);
    }

    /** Reads the event stream until it ends, fetching on every change event. */
    private void listen() throws EndpointException {
        try (Stream<String> lines = client.events()) {
            eventStream = lines;
            String[] event = { null, null }; // the event being read: its type and its id (the generation)
            long[] eventBytes = { 0 };
            lines.takeWhile(line -> !closed).forEach(line -> {
                eventBytes[0] += line.length() + 1;
                if (eventBytes[0] > EndpointClient.MAX_EVENT_BYTES) {
                    throw new java.io.UncheckedIOException(new java.io.IOException(
                            "the event stream sent an event larger than " + EndpointClient.MAX_EVENT_BYTES + " bytes"));
                }
                if (line.startsWith("event:")) {
                    event[0] = line.substring(6).trim();
                } else if (line.startsWith("id:")) {
                    event[1] = line.substring(3).trim();
                } else if (line.isEmpty()) {
                    // a change event, or the stream's greeting naming a generation other than ours (a change
                    // between our fetch and the subscription)
                    Capabilities current = snapshot;
                    if ("capabilities".equals(event[0]) || "hello".equals(event[0])
                            && (current == null || !Long.toString(current.generation()).equals(event[1]))) {
                        fetchQuietly();
                    }
                    event[0] = null;
                    event[1] = null;
                    eventBytes[0] = 0;
                }
            });
        } catch (java.io.UncheckedIOException e) {
            throw new EndpointException("event stream broke: " + e.getCause().getMessage());
        } finally {
            eventStream = null;
        }
    }

    private void fetchQuietly() {
        try {
            fetch();
        } catch (EndpointException e) {
            // recorded as the problem; the next event or reconnect tries again
        }
    }

    private void pause(Duration duration) {
        try {
            Thread.sleep(duration.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            closed = true;
        }
    }
}
