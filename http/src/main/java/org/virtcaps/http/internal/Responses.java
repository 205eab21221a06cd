package org.virtcaps.http.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

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
            response.getOutputStream().write(bytes);
        }
    }

    /** Sends a status with a one-line plain-text reason; never a stack trace. */
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
        response.setContentLength(body.length);
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
