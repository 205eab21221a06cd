package org.virtcaps.http.internal;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardContextSelect;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletAsyncSupported;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletPattern;
import org.virtcaps.core.api.CapabilitiesChange;
import org.virtcaps.core.api.CapabilitiesService;
import org.virtcaps.core.model.GuestArchitecture;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;

import jakarta.servlet.AsyncContext;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.Servlet;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * {@code GET /events}: change events as server-sent events. A stream opens with a {@code hello} event
 * carrying the current generation (its id), then gets one {@code capabilities} event per snapshot change
 * and a comment line when idle, so that proxies and the client notice a dead connection. A client that
 * reconnects with a {@code Last-Event-ID} older than the current generation is told at once that it
 * missed changes.
 *
 * <p>Events are written on the servlet's own thread, never on the platform thread that reports the
 * change, and without blocking, so a slow client can hold up neither the platform nor other streams. The
 * stream limit is a reservation taken atomically; a stream's slot is freed when a write to a departed
 * client fails, which the keep-alive (every second by default) makes happen within two periods.
 */
@Component(service = Servlet.class, configurationPid = EndpointConfig.PID)
@HttpWhiteboardServletPattern("/events")
@HttpWhiteboardServletAsyncSupported
@HttpWhiteboardContextSelect(EndpointContext.SELECT)
public class EventsServlet extends ReadOnlyServlet {
    private static final long serialVersionUID = 1L;

    private final transient CapabilitiesService service;
    /** Bytes queued for a client that does not read, past which its stream is closed. */
    static final int MAX_BACKLOG = 64 * 1024;

    private final transient Set<Stream> streams = ConcurrentHashMap.newKeySet();
    /** Slots taken: streams open and streams being opened. */
    private final transient AtomicInteger open = new AtomicInteger();
    private final transient ScheduledExecutorService writer;
    private final transient AutoCloseable listener;
    private final transient JsonFactory json = new JsonFactory();
    private volatile int maxStreams;

    @Activate
    public EventsServlet(@Reference(target = "(" + CapabilitiesService.HOST_PROPERTY + "=localhost)")
            CapabilitiesService service, EndpointConfig config, java.util.Map<String, Object> properties) {
        this.service = service;
        this.maxStreams = readMaxStreams(config, properties);
        this.writer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "virtcaps-http-events");
            t.setDaemon(true);
            return t;
        });
        // a keep-alive is also how a departed client is noticed: the write after the one its close answered fails
        int heartbeat = heartbeatSeconds(config, new org.virtcaps.core.spi.ConfigValues(EndpointConfig.PID, properties));
        writer.scheduleWithFixedDelay(() -> broadcast(": keep-alive\n\n"), heartbeat, heartbeat, TimeUnit.SECONDS);
        this.listener = service.addListener(change -> {
            String event = event(change);
            writer.execute(() -> broadcast(event));
        });
    }

    /** A new limit applies to the next stream; open streams stay (the keep-alive period stays until restart). */
    @Modified
    void modified(EndpointConfig config, java.util.Map<String, Object> properties) {
        this.maxStreams = readMaxStreams(config, properties);
    }

    /**
     * Read key by key: a bad value costs its key (the default applies), not the event stream endpoint.
     * {@link EndpointConfigReport} reads the same keys the same way to tell what was wrong.
     */
    private static int readMaxStreams(EndpointConfig config, java.util.Map<String, Object> properties) {
        return maxEventStreams(config, new org.virtcaps.core.spi.ConfigValues(EndpointConfig.PID, properties));
    }

    static int maxEventStreams(EndpointConfig config, org.virtcaps.core.spi.ConfigValues values) {
        return values.get("maxEventStreams", config::maxEventStreams, 64, n -> n >= 1 && n <= 100_000,
                "a count from 1 to 100000");
    }

    static int heartbeatSeconds(EndpointConfig config, org.virtcaps.core.spi.ConfigValues values) {
        return values.get("heartbeatSeconds", config::heartbeatSeconds, 1, n -> n >= 1 && n <= 3600,
                "a number of seconds from 1 to 3600");
    }

    @Deactivate
    void deactivate() throws Exception {
        listener.close();
        writer.shutdownNow();
        for (Stream stream : streams) {
            stream.close();
        }
    }

    @Override
    void handle(HttpServletRequest request, HttpServletResponse response, Parameters parameters)
            throws IOException, HttpProblem {
        // the check and the count are one step: parallel clients cannot all pass a check made before any counted
        if (!reserve()) {
            throw new HttpProblem(HttpServletResponse.SC_SERVICE_UNAVAILABLE,
                    "too many event streams open (" + maxStreams + "); try again later");
        }
        boolean handedOver = false;
        try {
            response.setStatus(HttpServletResponse.SC_OK);
            response.setContentType("text/event-stream; charset=utf-8");
            response.setHeader("Cache-Control", "no-cache");
            response.setHeader("X-Accel-Buffering", "no");
            if ("HEAD".equals(request.getMethod())) {
                return;
            }
            long generation = service.snapshot().generation();
            StringBuilder first = new StringBuilder("retry: 3000\n");
            first.append("id: ").append(generation).append("\nevent: hello\ndata: {\"generation\":").append(generation)
                    .append("}\n\n");
            String lastSeen = request.getHeader("Last-Event-ID");
            if (lastSeen != null && !lastSeen.trim().equals(Long.toString(generation))) {
                first.append("id: ").append(generation).append("\nevent: capabilities\ndata: {\"generation\":")
                        .append(generation).append(",\"reason\":\"missed\"}\n\n");
            }
            AsyncContext async = request.startAsync();
            async.setTimeout(0); // open until the client leaves; keep-alives tell when it has
            Stream stream = new Stream(async, response.getOutputStream());
            handedOver = true; // from here on the stream frees the slot, once, whatever happens
            streams.add(stream);
            try {
                async.addListener(stream);
                stream.out.setWriteListener(stream);
            } catch (RuntimeException e) {
                stream.close();
                throw e;
            }
            stream.send(first.toString().getBytes(StandardCharsets.UTF_8));
        } finally {
            if (!handedOver) {
                open.decrementAndGet();
            }
        }
    }

    /** Takes a slot when one is free. */
    private boolean reserve() {
        while (true) {
            int n = open.get();
            if (n >= maxStreams) {
                return false;
            }
            if (open.compareAndSet(n, n + 1)) {
                return true;
            }
        }
    }

    private void broadcast(String event) {
        byte[] bytes = event.getBytes(StandardCharsets.UTF_8);
        for (Stream stream : streams) {
            stream.send(bytes);
        }
    }

    /**
     * One client's stream. Events are queued and written without blocking (a {@link WriteListener}): the
     * thread that broadcasts never waits for a client, and a client that does not read loses its stream
     * when its backlog passes {@link #MAX_BACKLOG} (or at the connection's idle timeout). A failed write, an
     * error or completion frees the slot, once.
     */
    private final class Stream implements WriteListener, AsyncListener {
        final AsyncContext async;
        final ServletOutputStream out;
        private final ArrayDeque<byte[]> pending = new ArrayDeque<>();
        private int pendingBytes;
        private boolean unflushed;
        private final AtomicBoolean closed = new AtomicBoolean();

        Stream(AsyncContext async, ServletOutputStream out) {
            this.async = async;
            this.out = out;
        }

        void send(byte[] bytes) {
            boolean ok;
            synchronized (this) {
                if (closed.get()) {
                    return;
                }
                pending.add(bytes);
                pendingBytes += bytes.length;
                ok = pendingBytes <= MAX_BACKLOG && drain();
            }
            if (!ok) {
                close();
            }
        }

        /** Writes what the connection takes now; false when writing failed. Called holding the lock. */
        private boolean drain() {
            try {
                while (out.isReady()) {
                    byte[] next = pending.poll();
                    if (next == null) {
                        if (!unflushed) {
                            return true;
                        }
                        unflushed = false;
                        out.flush();
                        continue;
                    }
                    pendingBytes -= next.length;
                    out.write(next);
                    unflushed = true;
                }
                return true; // the container calls onWritePossible when it can take more
            } catch (IOException | RuntimeException e) {
                return false;
            }
        }

        @Override
        public void onWritePossible() {
            boolean ok;
            synchronized (this) {
                ok = closed.get() || drain();
            }
            if (!ok) {
                close();
            }
        }

        @Override
        public void onError(Throwable failure) {
            close();
        }

        @Override
        public void onComplete(AsyncEvent event) {
            close();
        }

        @Override
        public void onTimeout(AsyncEvent event) {
            close();
        }

        @Override
        public void onError(AsyncEvent event) {
            close();
        }

        @Override
        public void onStartAsync(AsyncEvent event) {
            // not re-started
        }

        void close() {
            if (closed.compareAndSet(false, true)) {
                streams.remove(this);
                open.decrementAndGet();
                try {
                    async.complete();
                } catch (RuntimeException e) {
                    // already completed by the container
                }
            }
        }
    }

    private String event(CapabilitiesChange change) {
        StringWriter text = new StringWriter(256);
        try (JsonGenerator g = json.createGenerator(text)) {
            g.writeStartObject();
            g.writeNumberField("generation", change.current().generation());
            g.writeStringField("reason", change.reason());
            g.writeArrayFieldStart("driversAdded");
            for (String d : change.driversAdded()) {
                g.writeString(d);
            }
            g.writeEndArray();
            g.writeArrayFieldStart("driversRemoved");
            for (String d : change.driversRemoved()) {
                g.writeString(d);
            }
            g.writeEndArray();
            g.writeArrayFieldStart("guestsAdded");
            for (GuestArchitecture a : change.guestsAdded()) {
                g.writeString(a.arch() + "/" + a.osType() + "/" + a.domainType());
            }
            g.writeEndArray();
            g.writeArrayFieldStart("guestsRemoved");
            for (GuestArchitecture a : change.guestsRemoved()) {
                g.writeString(a.arch() + "/" + a.osType() + "/" + a.domainType());
            }
            g.writeEndArray();
            g.writeBooleanField("hostChanged", change.hostChanged());
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return "id: " + change.current().generation() + "\nevent: capabilities\ndata: " + text + "\n\n";
    }
}
