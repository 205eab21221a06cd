package org.virtcaps.http.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

import jakarta.servlet.AsyncContext;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/** Sending bodies with validators and compression, and short plain-text problems. */
final class Responses {
    /** Bodies smaller than this are sent as they are: gzip would gain little and cost a header. */
    static final int GZIP_THRESHOLD = 512;

    private Responses() {
    }

    /**
     * Sends a representation: ETag, {@code If-None-Match} answered with 304, gzip when the client accepts
     * it, and {@code Vary} naming the request headers that chose this representation.
     */
    static void send(HttpServletRequest request, HttpServletResponse response, Representation rep, String vary)
            throws IOException {
        boolean gzip = rep.body().length >= GZIP_THRESHOLD && acceptsGzip(request.getHeader("Accept-Encoding"));
        String etag = gzip ? rep.gzipEtag() : rep.etag();
        response.setHeader("ETag", etag);
        response.setHeader("Vary", vary == null ? "Accept-Encoding" : vary + ", Accept-Encoding");
        // clients may keep a copy but must revalidate: a document changes whenever the host does
        response.setHeader("Cache-Control", "no-cache");
        response.setHeader("X-Content-Type-Options", "nosniff");
        if (matches(request.getHeader("If-None-Match"), etag)) {
            response.setStatus(HttpServletResponse.SC_NOT_MODIFIED);
            return;
        }
        byte[] bytes = gzip ? rep.gzipped() : rep.body();
        response.setStatus(HttpServletResponse.SC_OK);
        response.setContentType(rep.mediaType());
        if (gzip) {
            response.setHeader("Content-Encoding", "gzip");
        }
        response.setContentLength(bytes.length);
        if (!"HEAD".equals(request.getMethod())) {
            write(request, response, bytes);
        }
    }

    /**
     * Writes a whole body without ever blocking the calling thread: the body is handed to the container
     * with a {@link WriteListener} and the request completes when the container has sent it. A client that
     * does not read (a full receive window) then holds its own connection, not one of the container's
     * threads; the container's idle timeout closes the connection when no byte moves for that long.
     * The bytes must not change afterwards (representations are immutable and shared).
     */
    static void write(HttpServletRequest request, HttpServletResponse response, byte[] bytes) throws IOException {
        if (!request.isAsyncSupported() || request.isAsyncStarted()) {
            response.getOutputStream().write(bytes); // not reached by the endpoint's routes: all are asynchronous
            return;
        }
        AsyncContext async = request.startAsync();
        async.setTimeout(0); // bounded by the connection's idle timeout, which a write in progress keeps alive
        ServletOutputStream out = response.getOutputStream();
        out.setWriteListener(new WriteListener() {
            private boolean written;

            @Override
            public void onWritePossible() throws IOException {
                // called again when a write that could not finish at once has finished
                while (out.isReady()) {
                    if (written) {
                        async.complete();
                        return;
                    }
                    written = true;
                    out.write(bytes);
                }
            }

            @Override
            public void onError(Throwable failure) {
                // the client went away or stalled past the idle timeout: nothing to tell it
                try {
                    async.complete();
                } catch (RuntimeException e) {
                    // already completed by the container
                }
            }
        });
    }

    /**
     * Sends a status with a one-line plain-text reason; never a stack trace. No Content-Length is set: a
     * short body then stays in the response buffer and the container sends it (with its length) after the
     * handler returns, without blocking a thread on a client that does not read.
     */
    static void problem(HttpServletResponse response, int status, String reason) throws IOException {
        if (response.isCommitted()) {
            return;
        }
        response.resetBuffer();
        response.setStatus(status);
        response.setHeader("Cache-Control", "no-store");
        response.setHeader("X-Content-Type-Options", "nosniff");
        response.setContentType("text/plain; charset=utf-8");
        byte[] body = (reason + "\n").getBytes(StandardCharsets.UTF_8);
        response.getOutputStream().write(body);
    }

    /** Weak comparison, as RFC 9110 prescribes for If-None-Match; {@code *} matches any current body. */
    static boolean matches(String ifNoneMatch, String etag) {
        if (ifNoneMatch == null) {
            return false;
        }
        for (String candidate : ifNoneMatch.split(",")) {
            String tag = candidate.trim();
            if (tag.equals("*")) {
                return true;
            }
            if (tag.startsWith("W/")) {
                tag = tag.substring(2);
            }
            if (tag.equals(etag)) {
                return true;
            }
        }
        return false;
    }

    static boolean acceptsGzip(String acceptEncoding) {
        if (acceptEncoding == null) {
            return false;
        }
        for (String part : acceptEncoding.split(",")) {
            String[] pieces = part.trim().split(";");
            String coding = pieces[0].trim().toLowerCase(Locale.ROOT);
            if (coding.equals("gzip") || coding.equals("x-gzip")) {
                return quality(pieces) > 0;
            }
        }
        return false;
    }

    /** The q parameter of a header element (1 when absent or unreadable). */
    static double quality(String[] pieces) {
        for (int i = 1; i < pieces.length; i++) {
            String p = pieces[i].trim();
            if (p.startsWith("q=")) {
                try {
                    return Double.parseDouble(p.substring(2));
                } catch (NumberFormatException e) {
                    return 1;
                }
            }
        }
        return 1;
    }
}
