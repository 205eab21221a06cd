package org.virtcaps.assembly;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.virtcaps.core.api.CapabilitiesService;
import org.virtcaps.core.model.Capabilities;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The HTTP endpoint of a real container (Felix HTTP on Jetty 12), over real HTTP on loopback: every
 * route, status code and content type, validators, compression, the token and malformed requests.
 */
class HttpEndpointIT {
    @TempDir
    static Path dir;
    static TestContainer container;
    static CapabilitiesService service;
    static URI base;
    final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    final ObjectMapper json = new ObjectMapper();

    @BeforeAll
    static void start() throws Exception {
        container = new TestContainer(dir, Map.of());
        service = container.capabilities();
        service.settled();
        base = container.endpoint();
        HttpEndpointAwait.up(base);
    }

    @AfterAll
    static void stop() throws Exception {
        container.close();
    }

    HttpResponse<byte[]> get(String path, String... headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(20));
        if (headers.length > 0) {
            request.headers(headers);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    HttpResponse<byte[]> send(String method, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(base.resolve(path)).method(method, HttpRequest.BodyPublishers.ofString("x"))
                .build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    static String text(HttpResponse<byte[]> response) {
        return new String(response.body(), StandardCharsets.UTF_8);
    }

    static String type(HttpResponse<byte[]> response) {
        return response.headers().firstValue("Content-Type").orElse("");
    }

    @Test
    void capabilitiesInEveryFormat() throws Exception {
        HttpResponse<byte[]> libvirt = get("capabilities");
        assertEquals(200, libvirt.statusCode());
        assertTrue(type(libvirt).startsWith("application/xml"), type(libvirt));
        assertTrue(text(libvirt).startsWith("<capabilities>"), text(libvirt));
        // the served document is the service's snapshot, as core writes it
        Capabilities snapshot = service.snapshot();
        assertTrue(text(libvirt).contains("<arch>" + snapshot.host().cpu().arch() + "</arch>"));

        HttpResponse<byte[]> byAccept = get("capabilities", "Accept", "application/json");
        assertEquals(200, byAccept.statusCode());
        assertEquals("application/json", type(byAccept));
        JsonNode doc = json.readTree(byAccept.body());
        assertEquals(snapshot.architectures().size(), doc.get("guestArchitectures").size());
        assertEquals("Accept, Accept-Encoding", byAccept.headers().firstValue("Vary").orElse(""));

        HttpResponse<byte[]> byParameter = get("capabilities?format=json");
        assertEquals(text(byAccept), text(byParameter));

        HttpResponse<byte[]> seed = get("capabilities?format=seed");
        assertTrue(type(seed).startsWith("application/xml"));
        assertTrue(text(seed).contains("<guest_architectures>"), text(seed));

        HttpResponse<byte[]> described = get("capabilities?format=json&lang=fr");
        assertTrue(text(described).contains("\"description\""), "lang=fr adds machine descriptions");

        // a client that prefers XML over JSON gets XML
        assertTrue(type(get("capabilities", "Accept", "application/json;q=0.5, application/xml")).startsWith("application/xml"));
        HttpResponse<byte[]> head = http.send(HttpRequest.newBuilder(base.resolve("capabilities"))
                .method("HEAD", HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(200, head.statusCode());
        assertEquals(0, head.body().length);
        assertEquals(libvirt.body().length, head.headers().firstValueAsLong("Content-Length").orElse(-1));
    }

    @Test
    void etagsAndConditionalRequests() throws Exception {
        HttpResponse<byte[]> first = get("capabilities");
        String etag = first.headers().firstValue("ETag").orElseThrow();
        assertTrue(etag.matches("\"[0-9a-f]{32}\""), etag);
        assertEquals(etag, get("capabilities").headers().firstValue("ETag").orElseThrow(), "same snapshot, same tag");
        HttpResponse<byte[]> notModified = get("capabilities", "If-None-Match", etag);
        assertEquals(304, notModified.statusCode());
        assertEquals(0, notModified.body().length);
        assertEquals(304, get("capabilities", "If-None-Match", "\"other\", W/" + etag).statusCode());
        assertEquals(200, get("capabilities", "If-None-Match", "\"other\"").statusCode());
        // another format is another representation
        assertNotEquals(etag, get("capabilities?format=json").headers().firstValue("ETag").orElseThrow());
        assertEquals(304, get("guests?family=pc", "If-None-Match",
                get("guests?family=pc").headers().firstValue("ETag").orElseThrow()).statusCode());
    }

    @Test
    void gzipWhenAsked() throws Exception {
        HttpResponse<byte[]> plain = get("capabilities");
        HttpResponse<byte[]> zipped = get("capabilities", "Accept-Encoding", "gzip");
        assertEquals("gzip", zipped.headers().firstValue("Content-Encoding").orElse(""));
        assertTrue(zipped.body().length < plain.body().length / 3, zipped.body().length + " vs " + plain.body().length);
        try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(zipped.body()))) {
            assertEquals(text(plain), new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
        String zippedTag = zipped.headers().firstValue("ETag").orElseThrow();
        assertNotEquals(plain.headers().firstValue("ETag").orElseThrow(), zippedTag, "a different body, a different tag");
        assertEquals(304, get("capabilities", "Accept-Encoding", "gzip", "If-None-Match", zippedTag).statusCode());
        assertFalse(get("capabilities", "Accept-Encoding", "gzip;q=0").headers().firstValue("Content-Encoding").isPresent());
    }

    @Test
    void guestsWithFacets() throws Exception {
        Capabilities snapshot = service.snapshot();
        HttpResponse<byte[]> all = get("guests");
        assertEquals(200, all.statusCode());
        assertEquals("application/json", type(all));
        assertEquals(snapshot.architectures().size(), json.readTree(all.body()).get("count").asInt());

        JsonNode pc64 = json.readTree(get("guests?fullvirt=true&family=pc&wordsize=64").body());
        long expected = snapshot.architectures().stream()
                .filter(g -> g.fullVirt() && g.family().equals("x86") && g.wordsize() == 64).count();
        assertTrue(expected > 0, "this host's QEMU offers 64-bit PC guests");
        assertEquals(expected, pc64.get("count").asLong());
        assertEquals("x86", pc64.at("/query/family").asText());
        for (JsonNode g : pc64.get("guestArchitectures")) {
            assertEquals(64, g.get("wordsize").asInt());
            assertEquals("x86", g.get("family").asText());
        }
        // the wordsize facet counts what ticking 32 or 64 would give with the other filters kept
        long pc32 = snapshot.architectures().stream()
                .filter(g -> g.fullVirt() && g.family().equals("x86") && g.wordsize() == 32).count();
        assertEquals(pc32, pc64.at("/facets/wordsize/32").asLong());
        JsonNode kvm = json.readTree(get("guests?domain=KVM").body());
        assertEquals(snapshot.architectures().stream().filter(g -> g.domainType().equals("kvm")).count(),
                kvm.get("count").asLong());
        JsonNode described = json.readTree(get("guests?family=x86&lang=de").body());
        assertTrue(described.at("/guestArchitectures/0/machines/0/description").isTextual(), described.toString());
    }

    @Test
    void machinesAndDrivers() throws Exception {
        HttpResponse<byte[]> index = get("machines");
        assertEquals(200, index.statusCode());
        JsonNode locales = json.readTree(index.body()).get("locales");
        assertTrue(locales.toString().contains("\"fr\"") && locales.toString().contains("\"en\""), locales.toString());

        JsonNode pc = json.readTree(get("machines/pc?lang=de").body());
        assertEquals("de", pc.get("locale").asText());
        assertEquals("Standard-PC (i440FX + PIIX, 1996)", pc.get("description").asText());
        HttpResponse<byte[]> negotiated = get("machines/q35", "Accept-Language", "fr-CH, fr;q=0.9, en;q=0.8");
        assertEquals("fr", json.readTree(negotiated.body()).get("locale").asText());
        assertTrue(negotiated.headers().firstValue("Vary").orElse("").contains("Accept-Language"));
        assertEquals("en", json.readTree(get("machines/q35").body()).get("locale").asText());
        JsonNode virt = json.readTree(get("machines/virt?arch=riscv64").body());
        assertTrue(virt.get("description").asText().contains("RISC-V"), virt.toString());
        HttpResponse<byte[]> unknown = get("machines/no-such-board");
        assertEquals(404, unknown.statusCode());
        assertEquals("no description of 'no-such-board'\n", text(unknown));

        HttpResponse<byte[]> drivers = get("drivers");
        assertEquals(200, drivers.statusCode());
        JsonNode reports = json.readTree(drivers.body()).get("drivers");
        assertEquals(service.snapshot().drivers().size(), reports.size());
        assertTrue(reports.toString().contains("\"name\":\"qemu\""), reports.toString());
    }

    @Test
    void malformedRequestsGetShortReasons() throws Exception {
        Map<String, Integer> cases = new java.util.LinkedHashMap<>();
        cases.put("capabilities?format=yaml", 400);
        cases.put("capabilities?format=libvirt&lang=fr", 400);
        cases.put("capabilities?format=json&lang=%25%25", 400);
        cases.put("capabilities?colour=blue", 400);
        cases.put("capabilities?format=json&format=seed", 400);
        cases.put("guests?wordsize=sixty-four", 400);
        cases.put("guests?wordsize=100000", 400);
        cases.put("guests?fullvirt=maybe", 400);
        cases.put("guests?family=" + "x".repeat(200), 400);
        cases.put("guests?arch=%3Cscript%3E", 400);
        cases.put("guests?family=" + "x".repeat(3000), 414);
        cases.put("machines/%3Cb%3E", 400);
        cases.put("drivers?verbose=1", 400);
        cases.put("no/such/route", 404);
        for (Map.Entry<String, Integer> c : cases.entrySet()) {
            HttpResponse<byte[]> response = get(c.getKey());
            assertEquals(c.getValue(), response.statusCode(), c.getKey() + ": " + text(response));
            assertTrue(type(response).startsWith("text/plain"), c.getKey() + ": " + type(response));
            String reason = text(response);
            assertTrue(reason.endsWith("\n") && reason.indexOf('\n') == reason.length() - 1, "one line: " + reason);
            assertFalse(reason.contains("Exception") || reason.contains("\tat "), "no stack trace: " + reason);
        }
        assertEquals(406, get("capabilities", "Accept", "text/csv").statusCode());
        // what java.net.URI refuses to build, a raw client can still send
        for (String target : new String[] { "/guests?arch=%ZZ", "/capabilities?format=%E0%A4%A", "/machines/%00" }) {
            String answer = raw("GET " + target + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
            assertTrue(answer.startsWith("HTTP/1.1 400"), target + ": " + answer);
            assertFalse(answer.contains("Exception") || answer.contains("\tat "), "no stack trace: " + answer);
        }
        for (String method : new String[] { "POST", "PUT", "DELETE", "PATCH" }) {
            for (String path : new String[] { "capabilities", "guests", "machines/pc", "drivers", "events", "" }) {
                HttpResponse<byte[]> response = send(method, path);
                assertEquals(405, response.statusCode(), method + " /" + path);
                assertEquals("GET, HEAD", response.headers().firstValue("Allow").orElse(""), method + " /" + path);
            }
        }
    }

    @Test
    void requestsJettyRefusesItselfGetOneLineReasons() throws Exception {
        get("drivers"); // as in any running endpoint, a request has been served before
        Map<String, Integer> cases = new java.util.LinkedHashMap<>();
        cases.put("GARBAGE\r\n\r\n", 400);
        cases.put("GET / HTTP/9.9\r\nHost: localhost\r\n\r\n", 505);
        cases.put("GET / HTTP/1.1\r\n\r\n", 400); // no Host
        cases.put("GET / HTTP/1.1\r\nHost: localhost\r\nContent-Length: abc\r\n\r\n", 400);
        cases.put("GET /a/../../b HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n", 400);
        cases.put("GET /%zz HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n", 400);
        cases.put("GET /" + "a".repeat(70_000) + " HTTP/1.1\r\nHost: localhost\r\n\r\n", 414);
        cases.put("GET / HTTP/1.1\r\nHost: localhost\r\nX-Big: " + "a".repeat(70_000) + "\r\n\r\n", 431);
        for (Map.Entry<String, Integer> c : cases.entrySet()) {
            String what = c.getKey().length() > 60 ? c.getKey().substring(0, 60) + "..." : c.getKey();
            String answer = raw(c.getKey());
            assertTrue(answer.startsWith("HTTP/1.1 " + c.getValue() + " "), what + ": " + answer);
            int end = answer.indexOf("\r\n\r\n");
            String head = answer.substring(0, end).toLowerCase(java.util.Locale.ROOT);
            String body = answer.substring(end + 4);
            assertTrue(head.contains("content-type: text/plain"), what + ": " + answer);
            assertTrue(head.contains("x-content-type-options: nosniff"), what + ": " + answer);
            assertTrue(body.endsWith("\n") && body.indexOf('\n') == body.length() - 1, what + ": one line: " + body);
            assertFalse(body.contains("<") || body.contains("Exception"), what + ": " + body);
        }
    }

    /** Sends bytes as they are and reads the whole answer. */
    static String raw(String request) throws Exception {
        try (java.net.Socket socket = new java.net.Socket(base.getHost(), base.getPort())) {
            socket.setSoTimeout(10_000);
            try {
                socket.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
            } catch (java.net.SocketException e) {
                // the server answered and closed before taking all of an over-long request
            }
            java.io.ByteArrayOutputStream answer = new java.io.ByteArrayOutputStream();
            try {
                socket.getInputStream().transferTo(answer);
            } catch (java.net.SocketException e) {
                // reset after the answer (the rest of the request was not read)
            }
            return answer.toString(StandardCharsets.ISO_8859_1);
        }
    }

    @Test
    void webPageAndItsFiles() throws Exception {
        HttpResponse<byte[]> page = get("");
        assertEquals(200, page.statusCode());
        assertTrue(type(page).startsWith("text/html"));
        assertTrue(text(page).contains("app.js"));
        assertTrue(page.headers().firstValue("Content-Security-Policy").orElse("").contains("default-src 'none'"));
        assertTrue(type(get("app.js")).startsWith("text/javascript"));
        assertTrue(type(get("app.css")).startsWith("text/css"));
    }

    @Test
    void tokenGuardsEveryRoute() throws Exception {
        Path cfg = container.configs.resolve("org.virtcaps.http.cfg");
        configure(cfg, "token = s3cret-token\n", 401);
        try {
            for (String path : new String[] { "capabilities", "guests", "machines", "machines/pc", "drivers", "events", "" }) {
                HttpResponse<byte[]> refused = get(path);
                assertEquals(401, refused.statusCode(), path);
                assertEquals("Bearer realm=\"virtcaps\"", refused.headers().firstValue("WWW-Authenticate").orElse(""));
                assertFalse(text(refused).contains("s3cret"), "the token is never echoed");
            }
            assertEquals(401, get("capabilities", "Authorization", "Bearer wrong").statusCode());
            assertEquals(200, get("capabilities", "Authorization", "Bearer s3cret-token").statusCode());
            assertEquals(200, get("guests?access_token=s3cret-token&family=x86").statusCode());
            assertEquals(401, get("guests?access_token=s3cret-tokenX").statusCode());
        } finally {
            // overwritten, not deleted: FileInstall deletes a file written again right after a deletion
            configure(cfg, "# defaults\n", 200);
        }
    }

    @Test
    void eventStreamsAreBounded() throws Exception {
        Path cfg = container.configs.resolve("org.virtcaps.http.cfg");
        Files.writeString(cfg, "maxEventStreams = 1\n");
        HttpResponse<Stream<String>> first = null;
        try {
            // the limit applies once the configuration has arrived: until then a second stream still opens;
            // a stream another test closed counts until a keep-alive write to it fails (two seconds at most)
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(40);
            while (true) {
                first = http.send(HttpRequest.newBuilder(base.resolve("events")).build(), HttpResponse.BodyHandlers.ofLines());
                if (first.statusCode() == 503) {
                    first.body().close();
                    first = null;
                    assertTrue(System.nanoTime() < deadline, "a closed stream was never let go");
                    Thread.sleep(500);
                    continue;
                }
                assertEquals(200, first.statusCode());
                HttpResponse<Stream<String>> second = http.send(HttpRequest.newBuilder(base.resolve("events")).build(),
                        HttpResponse.BodyHandlers.ofLines());
                if (second.statusCode() == 503) {
                    String reason;
                    try (Stream<String> body = second.body()) {
                        reason = body.findFirst().orElse("");
                    }
                    assertTrue(reason.startsWith("too many event streams open (1)"), reason);
                    break;
                }
                second.body().close();
                first.body().close();
                assertTrue(System.nanoTime() < deadline, "the stream limit never applied");
                Thread.sleep(200);
            }
        } finally {
            if (first != null) {
                first.body().close();
            }
            Files.writeString(cfg, "# defaults\n");
        }
    }

    /**
     * Writes the endpoint's configuration file and waits until /drivers answers the status it implies.
     * FileInstall can lose a file written while it still processes the previous change (it deletes it, or
     * writes the previous configuration back): the file is written again until the change shows.
     */
    private void configure(Path cfg, String content, int status) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (true) {
            Files.writeString(cfg, content);
            long again = System.nanoTime() + TimeUnit.SECONDS.toNanos(3);
            while (System.nanoTime() < again) {
                if (get("drivers").statusCode() == status) {
                    return;
                }
                Thread.sleep(100);
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("/drivers never answered " + status + " with " + content.trim());
            }
        }
    }

    @Test
    void eventsFollowDrivers() throws Exception {
        BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        HttpResponse<Stream<String>> stream = http.send(HttpRequest.newBuilder(base.resolve("events")).build(),
                HttpResponse.BodyHandlers.ofLines());
        assertEquals(200, stream.statusCode());
        assertTrue(stream.headers().firstValue("Content-Type").orElse("").startsWith("text/event-stream"));
        Thread reader = new Thread(() -> stream.body().forEach(lines::add));
        reader.setDaemon(true);
        reader.start();
        try {
            await(lines, "event: hello");
            String etagBefore = get("capabilities").headers().firstValue("ETag").orElseThrow();
            Path driver = container.drivers.resolve("test-driver.jar");
            Files.copy(TestContainer.exampleDriver(), driver, StandardCopyOption.REPLACE_EXISTING);
            await(lines, "event: capabilities");
            String data = await(lines, "data: ");
            JsonNode event = json.readTree(data.substring(6));
            assertTrue(event.get("generation").asLong() > 0);
            assertNotNull(event.get("reason"));
            container.await(service, c -> c.driver("test") != null, Duration.ofSeconds(15));
            assertNotEquals(etagBefore, get("capabilities").headers().firstValue("ETag").orElseThrow(),
                    "a new snapshot, a new tag");
            assertTrue(text(get("guests?domain=test")).contains("\"domainType\" : \"test\""));
            Files.delete(driver);
            await(lines, "event: capabilities");
            container.await(service, c -> c.driver("test") == null, Duration.ofSeconds(15));
        } finally {
            stream.body().close();
        }
    }

    /** The next line starting with the prefix, skipping others; fails after 20 s. */
    static String await(BlockingQueue<String> lines, String prefix) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (System.nanoTime() < deadline) {
            String line = lines.poll(100, TimeUnit.MILLISECONDS);
            if (line != null && line.startsWith(prefix)) {
                return line;
            }
        }
        throw new AssertionError("no '" + prefix + "' line on the event stream");
    }
}
