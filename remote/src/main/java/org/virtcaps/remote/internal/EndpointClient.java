package org.virtcaps.remote.internal;

import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.HttpURLConnection;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import java.util.zip.GZIPInputStream;

/**
 * GET requests to one virtcaps endpoint: the bearer token on every request, gzip, conditional requests,
 * bodies bounded in size, and every failure turned into a one-line reason ({@link EndpointException}).
 *
 * <p>Built on {@link HttpURLConnection} (with the JDK's keep-alive connection cache) rather than
 * {@code java.net.http.HttpClient}: in a fresh JVM the latter took ~0.4 s to its first answer here against
 * ~0.05 s, and a one-shot {@code --connect} pays that on every run.
 */
final class EndpointClient {
    /** The most a response body may hold, compressed or not: as much as core reads from a file. */
    static final int MAX_BODY_BYTES = 16 << 20;
    /** The longest line an event stream may send: the endpoint's change events are a few kilobytes. */
    static final int MAX_EVENT_LINE_BYTES = 1 << 20;
    /** The most one event (the lines up to a blank one) may hold. */
    static final int MAX_EVENT_BYTES = 4 << 20;
    /** Event streams carry a keep-alive comment every 15 s by default: silence this long means a dead peer. */
    static final Duration EVENT_SILENCE = Duration.ofSeconds(60);

    private final URI base;
    private final String token;
    private final Duration timeout;

    EndpointClient(URI base, String token, Duration timeout) {
        this.base = base;
        this.token = token;
        this.timeout = timeout;
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
        HttpURLConnection connection = open(pathAndQuery, timeout);
        connection.setRequestProperty("Accept-Encoding", "gzip");
        if (etag != null) {
            connection.setRequestProperty("If-None-Match", etag);
        }
        try {
            int status = connection.getResponseCode();
            if (status == 304) {
                drain(connection.getInputStream());
                return new Response(304, new byte[0], null, etag);
            }
            InputStream raw = status >= 400 ? connection.getErrorStream() : connection.getInputStream();
            byte[] body = raw == null ? new byte[0] : bounded(raw);
            if ("gzip".equalsIgnoreCase(connection.getContentEncoding())) {
                try (InputStream unzipped = new GZIPInputStream(new ByteArrayInputStream(body))) {
                    body = bounded(unzipped);
                }
            }
            if (status != 200) {
                throw new EndpointException(status, problem(status, body));
            }
            return new Response(200, body, connection.getContentType() == null ? "" : connection.getContentType(),
                    connection.getHeaderField("ETag"));
        } catch (IOException e) {
            connection.disconnect(); // a broken exchange: do not hand the connection to the next request
            throw new EndpointException(reason(e));
        }
    }

    /**
     * Opens {@code /events}: lines of the server-sent event stream, until the stream ends or stays silent
     * past {@link #EVENT_SILENCE}. Closing the stream closes the connection.
     */
    Stream<String> events() throws EndpointException {
        HttpURLConnection connection = open("events", EVENT_SILENCE);
        connection.setRequestProperty("Accept", "text/event-stream");
        try {
            int status = connection.getResponseCode();
            if (status != 200) {
                connection.disconnect();
                throw new EndpointException(status, "event stream refused: HTTP " + status);
            }
            EventStreamLines lines = new EventStreamLines(new BufferedInputStream(connection.getInputStream()),
                    MAX_EVENT_LINE_BYTES);
            return StreamSupport.stream(Spliterators.spliteratorUnknownSize(lines, Spliterator.ORDERED), false)
                    .onClose(connection::disconnect);
        } catch (IOException e) {
            connection.disconnect();
            throw new EndpointException(reason(e));
        }
    }

    static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
    }

    private HttpURLConnection open(String pathAndQuery, Duration readTimeout) throws EndpointException {
        try {
            HttpURLConnection connection = (HttpURLConnection) base.resolve(pathAndQuery).toURL().openConnection();
            connection.setInstanceFollowRedirects(false);
            connection.setConnectTimeout((int) timeout.toMillis());
            connection.setReadTimeout((int) readTimeout.toMillis());
            connection.setUseCaches(false);
            if (token != null) {
                connection.setRequestProperty("Authorization", "Bearer " + token);
            }
            return connection;
        } catch (IOException | IllegalArgumentException e) {
            throw new EndpointException(base + ": " + e.getMessage());
        }
    }

    private static void drain(InputStream in) throws IOException {
        try (in) {
            in.readAllBytes(); // lets the connection go back to the keep-alive cache
        }
    }

    private static byte[] bounded(InputStream in) throws IOException {
        try (in) {
            byte[] body = in.readNBytes(MAX_BODY_BYTES + 1);
            if (body.length > MAX_BODY_BYTES) {
                throw new IOException("response larger than " + MAX_BODY_BYTES + " bytes");
            }
            return body;
        }
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
        if (e instanceof SocketTimeoutException) {
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
