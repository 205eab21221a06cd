package org.virtcaps.remote.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.virtcaps.core.api.DocumentFormat;
import org.virtcaps.core.internal.DocumentsComponent;
import org.virtcaps.core.model.Capabilities;
import org.virtcaps.core.model.GuestArchitecture;
import org.virtcaps.core.model.Host;
import org.virtcaps.core.model.HostCpu;
import org.virtcaps.core.model.Machine;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * The client against a real HTTP server on loopback that misbehaves on purpose: what a hostile or broken
 * endpoint sends never becomes a snapshot, and the reason is kept.
 */
class RemoteCapabilitiesTest {
    private final DocumentsComponent documents = new DocumentsComponent();
    private final AtomicReference<Answer> answer = new AtomicReference<>();
    private final AtomicInteger requests = new AtomicInteger();
    private HttpServer server;
    private URI base;

    record Answer(int status, String contentType, byte[] body, String etag) {
    }

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", this::answer);
        server.start();
        base = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/");
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    /** What /events sends on each connection, in turn; after the last, the last again. */
    private final java.util.concurrent.CopyOnWriteArrayList<EventStream> streams = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final AtomicInteger eventConnections = new AtomicInteger();

    interface EventStream {
        void send(OutputStream out) throws IOException;
    }

    private void answer(HttpExchange exchange) throws IOException {
        if (exchange.getRequestURI().getPath().equals("/events") && !streams.isEmpty()) {
            int n = eventConnections.getAndIncrement();
            exchange.getResponseHeaders().set("Content-Type", "text/event-stream");
            exchange.sendResponseHeaders(200, 0);
            try (OutputStream out = exchange.getResponseBody()) {
                streams.get(Math.min(n, streams.size() - 1)).send(out);
            } catch (IOException e) {
                // the client hung up on a hostile stream, as it should
            }
            return;
        }
        requests.incrementAndGet();
        Answer a = answer.get();
        if (a.etag() != null) {
            exchange.getResponseHeaders().set("ETag", a.etag());
            if (a.etag().equals(exchange.getRequestHeaders().getFirst("If-None-Match"))) {
                exchange.sendResponseHeaders(304, -1);
                exchange.close();
                return;
            }
        }
        exchange.getResponseHeaders().set("Content-Type", a.contentType());
        exchange.sendResponseHeaders(a.status(), a.body().length == 0 ? -1 : a.body().length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(a.body());
        }
    }

    private RemoteCapabilities client() {
        return new RemoteCapabilities(new EndpointClient(base, "t", Duration.ofSeconds(5)), "h", documents,
                RemoteCapabilities.Mode.NONE, Duration.ZERO, stale -> { });
    }

    private static Capabilities sample(long generation, String arch) {
        HostCpu cpu = new HostCpu("x86_64", null, null, null, null, null, null, null, List.of(), List.of("vmx"), List.of(4L));
        Host host = new Host(null, cpu, null, null, null, List.of(), List.of(), List.of(), null, null, List.of());
        GuestArchitecture g = new GuestArchitecture("hvm", arch, 64, "qemu", "/usr/bin/qemu-system-" + arch, null,
                List.of(new Machine("virt", null, 8, null)), List.of(), java.util.Map.of(), "qemu");
        return new Capabilities(host, List.of(), List.of(g), List.of(), generation, null, "probe");
    }

    private void serveJson(Capabilities caps, String etag) {
        answer.set(new Answer(200, "application/json",
                documents.format(caps, DocumentFormat.JSON).getBytes(StandardCharsets.UTF_8), etag));
    }

    @Test
    void fetchesConditionallyAndTellsListenersOfChanges() throws Exception {
        serveJson(sample(1, "aarch64"), "\"a\"");
        RemoteCapabilities remote = client();
        assertEquals(1, remote.settled().generation());
        List<org.virtcaps.core.api.CapabilitiesChange> changes = new java.util.ArrayList<>();
        remote.addListener(changes::add);
        remote.refresh(); // 304: nothing changes
        assertEquals(1, remote.snapshot().generation());
        assertTrue(changes.isEmpty());
        serveJson(sample(2, "riscv64"), "\"b\"");
        assertEquals(2, remote.refresh().generation());
        assertEquals(1, changes.size());
        assertEquals("riscv64", changes.get(0).guestsAdded().get(0).arch());
        assertEquals("aarch64", changes.get(0).guestsRemoved().get(0).arch());
        assertFalse(remote.stale());
    }

    @Test
    void externalEntitiesInXmlAreRefusedAndTheLastSnapshotStays() throws Exception {
        serveJson(sample(1, "aarch64"), null);
        RemoteCapabilities remote = client();
        remote.settled();
        String xxe = "<?xml version='1.0'?><!DOCTYPE c [<!ENTITY x SYSTEM 'file:///etc/passwd'>]>"
                + "<capabilities><host><cpu><arch>&x;</arch></cpu></host></capabilities>";
        answer.set(new Answer(200, "application/xml", xxe.getBytes(StandardCharsets.UTF_8), null));
        Capabilities after = remote.refresh();
        assertEquals("aarch64", after.architectures().get(0).arch(), "the last good snapshot is kept");
        assertTrue(remote.stale());
        assertTrue(remote.problem().orElseThrow().startsWith("the endpoint's document is unreadable"),
                remote.problem().toString());
        assertFalse(remote.problem().orElseThrow().contains("root:"), "nothing of the file leaks");
    }

    @Test
    void plainLibvirtXmlFromAnyServerIsRead() throws Exception {
        answer.set(new Answer(200, "text/xml; charset=utf-8",
                documents.format(sample(5, "s390x"), DocumentFormat.LIBVIRT).getBytes(StandardCharsets.UTF_8), null));
        Capabilities caps = client().settled();
        assertEquals("x86_64", caps.host().cpu().arch());
        assertEquals(base.toString(), caps.source());
    }

    @Test
    void oversizedJunkAndErrorsGiveReasons() throws Exception {
        RemoteCapabilities remote = client();
        answer.set(new Answer(200, "application/json", new byte[EndpointClient.MAX_BODY_BYTES + 10], null));
        IllegalStateException big = assertThrows(IllegalStateException.class, remote::settled);
        assertTrue(big.getMessage().contains("larger than"), big.getMessage());

        answer.set(new Answer(200, "application/json", "{\"host\": [1,2".getBytes(StandardCharsets.UTF_8), null));
        assertTrue(assertThrows(IllegalStateException.class, remote::settled).getMessage().contains("not JSON"));

        answer.set(new Answer(200, "image/png", new byte[] { 1, 2, 3 }, null));
        assertTrue(assertThrows(IllegalStateException.class, remote::settled).getMessage().contains("image/png"));

        answer.set(new Answer(401, "text/plain", "wrong bearer token\n".getBytes(StandardCharsets.UTF_8), null));
        assertEquals("the endpoint wants a bearer token: wrong bearer token",
                assertThrows(IllegalStateException.class, remote::settled).getMessage());

        answer.set(new Answer(500, "text/html", "<html><body>boom</body></html>".getBytes(StandardCharsets.UTF_8), null));
        assertEquals("HTTP 500", assertThrows(IllegalStateException.class, remote::settled).getMessage());

        // never reached: an empty document whose host diagnostics say why, rather than an exception
        Capabilities unreached = remote.snapshot();
        assertTrue(unreached.architectures().isEmpty());
        assertEquals("not reached: HTTP 500", unreached.host().diagnostics().get(0).message());
    }

    /** A hostile stream: a line without end, then an event of endless short lines; then a well-behaved one. */
    @Test
    void aHostileEventStreamMarksTheHostStaleAndItRecoversWhenTheHostBehaves() throws Exception {
        serveJson(sample(1, "aarch64"), null);
        byte[] kib = "x".repeat(1024).getBytes(StandardCharsets.UTF_8);
        java.util.concurrent.CountDownLatch wellBehaved = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.CountDownLatch finished = new java.util.concurrent.CountDownLatch(1);
        streams.add(out -> { // 64 MiB on one line: far past the bound, and past what a test heap should hold twice
            out.write("event: capabilities\ndata: ".getBytes(StandardCharsets.UTF_8));
            for (int i = 0; i < 64 * 1024; i++) {
                out.write(kib);
            }
        });
        streams.add(out -> { // short lines without the blank line that ends an event
            out.write("event: capabilities\n".getBytes(StandardCharsets.UTF_8));
            byte[] line = ("data: " + "y".repeat(1000) + "\n").getBytes(StandardCharsets.UTF_8);
            for (int i = 0; i < 64 * 1024; i++) {
                out.write(line);
            }
        });
        streams.add(out -> {
            wellBehaved.countDown();
            out.write("id: 1\nevent: hello\ndata: {}\n\n".getBytes(StandardCharsets.UTF_8));
            out.flush();
            try {
                finished.await(30, java.util.concurrent.TimeUnit.SECONDS); // an open, quiet stream
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        List<String> reasons = new java.util.concurrent.CopyOnWriteArrayList<>();
        RemoteCapabilities[] holder = new RemoteCapabilities[1];
        RemoteCapabilities remote = new RemoteCapabilities(new EndpointClient(base, "t", Duration.ofSeconds(5)), "h",
                documents, RemoteCapabilities.Mode.EVENTS, Duration.ZERO,
                stale -> reasons.add(stale + " " + holder[0].problem().orElse("")));
        holder[0] = remote;
        remote.start();
        try {
            assertTrue(wellBehaved.await(30, java.util.concurrent.TimeUnit.SECONDS), "it kept reconnecting: " + reasons);
            long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(20);
            while (remote.stale() && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertFalse(remote.stale(), "recovered once the host behaved: " + reasons);
            assertTrue(reasons.stream().anyMatch(r -> r.startsWith("true ") && r.contains("line longer than")),
                    reasons.toString());
            assertEquals("aarch64", remote.snapshot().architectures().get(0).arch(), "the snapshot stayed");
            assertTrue(eventConnections.get() >= 3, "reconnected after each hostile stream");
        } finally {
            finished.countDown();
            remote.close();
        }
    }

    @Test
    void deeplyNestedDescriptionsAreRefused() {
        String deep = "{\"machine\":" + "[".repeat(5000) + "]".repeat(5000) + "}";
        answer.set(new Answer(200, "application/json", deep.getBytes(StandardCharsets.UTF_8), null));
        IllegalStateException refused = assertThrows(IllegalStateException.class,
                () -> client().descriptions().lookup("pc", null, java.util.Locale.FRENCH));
        assertTrue(refused.getMessage().contains("not JSON") && refused.getMessage().contains("depth"),
                refused.getMessage());
    }

    @Test
    void eventStreamLinesAreBounded() {
        java.io.ByteArrayInputStream in = new java.io.ByteArrayInputStream(
                "a\r\nbb\n\nccccc\n".getBytes(StandardCharsets.UTF_8));
        EventStreamLines lines = new EventStreamLines(in, 4);
        assertEquals("a", lines.next());
        assertEquals("bb", lines.next());
        assertEquals("", lines.next());
        java.io.UncheckedIOException tooLong = assertThrows(java.io.UncheckedIOException.class, lines::next);
        assertTrue(tooLong.getCause().getMessage().contains("longer than 4 bytes"));
        assertFalse(lines.hasNext(), "nothing after a refused line");
    }

    @Test
    void anUnreachableHostSaysSo() {
        server.stop(0);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> client().settled());
        assertTrue(e.getMessage().startsWith("cannot connect to " + base), e.getMessage());
    }

    @Test
    void endpointUrlsAsUsersGiveThem() {
        Endpoints.Parsed parsed = Endpoints.parse(URI.create("http://lab:8470?token=a%20b"));
        assertEquals(URI.create("http://lab:8470/"), parsed.base());
        assertEquals("a b", parsed.token());
        assertEquals(URI.create("https://lab/virtcaps/"), Endpoints.parse(URI.create("https://lab/virtcaps")).base());
        assertThrows(IllegalArgumentException.class, () -> Endpoints.parse(URI.create("ftp://lab/")));
        assertThrows(IllegalArgumentException.class, () -> Endpoints.parse(URI.create("http://lab/?colour=blue")));
        assertThrows(IllegalArgumentException.class, () -> Endpoints.parse(URI.create("lab:8470")));
    }
}
