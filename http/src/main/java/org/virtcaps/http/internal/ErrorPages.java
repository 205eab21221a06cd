package org.virtcaps.http.internal;

import jakarta.servlet.http.HttpServletRequest;

/**
 * Makes the errors the container raises itself, before any route sees the request (a malformed request
 * line, an unsupported HTTP version, a URI or header block past the container's limits), one-line
 * text/plain reasons like the endpoint's own, where the container is Jetty 12 ({@link JettyErrorPages}).
 * Elsewhere this does nothing; no Jetty class is touched before Jetty is known to be there.
 */
final class ErrorPages {
    private static volatile boolean unavailable;

    private ErrorPages() {
    }

    /** Called for every request the endpoint's context sees; cheap once the handler is in place. */
    static void ensure(HttpServletRequest request) {
        if (unavailable) {
            return;
        }
        try {
            JettyErrorPages.ensure(request);
        } catch (LinkageError | RuntimeException e) {
            // not Jetty 12 (or not reachable from this bundle): its own pages stay as they are
            unavailable = true;
        }
    }
}
