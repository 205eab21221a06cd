package org.virtcaps.remote.internal;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;

/**
 * GET requests to one virtcaps endpoint over {@link HttpClient}: the bearer token on every request,
 * gzip, conditional requests, bodies bounded in size, and every failure turned into a one-line reason
 * ({@link EndpointException}).
 */
final class EndpointClient {
    /** The most a response body may hold, compressed or not: as much as core reads from a file. */
    static final int MAX_BODY_BYTES = 16 << 20;

    private final URI base;
    private final String token;
    private final Duration timeout;
    private final HttpClient http;

    EndpointClient(URI base, String token, Duration timeout) {
        this.base = base;
        this.token = token;
        this.timeout = timeout;
        this.http = HttpClient.newBuilder().connectTimeout(timeout).followRedirects(HttpClient.Redirect.NEVER)
                .version(HttpClient.Version.HTTP_1_1).build();
    }

    URI base() {
        return base;
    }

    /** A response: status 200 with its body, or 304. */
    record Response(int status, byte[] body, String contentType, String etag) {
        boolean notModified() {
            return status == 304;
        }
    }

    /** GETs a path under the endpoint (query already encoded); {@code etag} makes it conditional. */
    Response get(String pathAndQuery, String etag) throws EndpointException {
        HttpRequest.Builder request = request(pathAndQuery).header("Accept-Encoding", "gzip").timeout(timeout);
        if (etag != null) {
            request.header("If-None-Match", etag);
        }
        HttpResponse<InputStream> response;
        try {
            response = http.send(request.GET().build(), HttpResponse.BodyHandlers.ofInputStream());
        } catch (IOException e) {
            throw new EndpointException(reason(e));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new EndpointException("interrupted");
        }
        try (InputStream raw = response.body()) {
            HttpHeaders headers = response.headers();
            if (response.statusCode() == 304) {
                return new Response(304, new byte[0], null, etag);
            }
            byte[] body = bounded(raw);
            if (headers.firstValue("Content-Encoding").map(v -> v.equalsIgnoreCase("gzip")).orElse(false)) {
                try (InputStream unzipped = new GZIPInputStream(new ByteArrayInputStream(body))) {
                    body = bounded(unzipped);
                }
            }
            if (response.statusCode() != 200) {
                throw new EndpointException(response.statusCode(), problem(response.statusCode(), body));
            }
            return new Response(200, body, headers.firstValue("Content-Type").orElse(""),
                    headers.firstValue("ETag").orElse(null));
        } catch (IOException e) {
            throw new EndpointException(reason(e));
        }
    }

    /** Opens {@code /events}: lines of the server-sent event stream, until the stream ends. */
    Stream<String> events() throws EndpointException {
        try {
            HttpResponse<Stream<String>> response = http.send(request("events").header("Accept", "text/event-stream")
                    .GET().build(), HttpResponse.BodyHandlers.ofLines());
            if (response.statusCode() != 200) {
                response.body().close();
                throw new EndpointException(response.statusCode(), "event stream refused: HTTP " + response.statusCode());
            }
            return response.body();
        } catch (IOException e) {
            throw new EndpointException(reason(e));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new EndpointException("interrupted");
        }
    }

    static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private HttpRequest.Builder request(String pathAndQuery) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(base.resolve(pathAndQuery));
        if (token != null) {
            builder.header("Authorization", "Bearer " + token);
        }
        return builder;
    }

    private static byte[] bounded(InputStream in) throws IOException {
        byte[] body = in.readNBytes(MAX_BODY_BYTES + 1);
        if (body.length > MAX_BODY_BYTES) {
            throw new IOException("response larger than " + MAX_BODY_BYTES + " bytes");
        }
        return body;
    }

    private String problem(int status, byte[] body) {
        String text = new String(body, StandardCharsets.UTF_8).strip();
        int newline = text.indexOf('\n');
        String line = (newline < 0 ? text : text.substring(0, newline)).replaceAll("[^\\x20-\\x7e\\u00a0-\\uffff]", "?");
        if (line.length() > 200 || line.startsWith("<")) {
            line = ""; // an HTML error page or other noise: the status says enough
        }
        String what = switch (status) {
            case 401 -> "the endpoint wants a bearer token";
            case 404 -> "not found";
            default -> "HTTP " + status;
        };
        return line.isEmpty() ? what : what + ": " + line;
    }

    private String reason(IOException e) {
        if (e instanceof ConnectException) {
            return "cannot connect to " + base + " (" + (e.getMessage() == null ? "connection refused" : e.getMessage()) + ")";
        }
        if (e instanceof HttpTimeoutException) {
            return base + " did not answer within " + timeout.toMillis() + " ms";
        }
        String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return base + ": " + message;
    }

    /** A request that failed, with the reason in one line; the status when the server answered. */
    static final class EndpointException extends Exception {
        private static final long serialVersionUID = 1L;
        private final int status;

        EndpointException(String reason) {
            this(0, reason);
        }

        EndpointException(int status, String reason) {
            super(reason, null, false, false);
            this.status = status;
        }

        int status() {
            return status;
        }
    }
}
