package org.virtcaps.http.internal;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

import org.eclipse.jetty.ee10.servlet.ServletContextRequest;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

import jakarta.servlet.http.HttpServletRequest;

/**
 * Jetty's server-wide error handler, answering what Jetty refuses before routing (400 for a malformed
 * request, 414, 431, 505) with a one-line text/plain reason instead of its HTML page. Errors inside a
 * servlet context still go to the handler it replaced (Felix's), whose behaviour is kept.
 *
 * <p>Felix HTTP has no setting for Jetty's error handler (only extra headers for its pages) and does not
 * publish the Jetty {@link Server}. The server is reached from the first request the endpoint sees,
 * through Jetty's public {@link ServletContextRequest#getServletContextRequest}; so until the first
 * request after Jetty (re)starts, Jetty's own pages are still HTML.
 */
final class JettyErrorPages implements Request.Handler {
    private final Request.Handler replaced;

    private JettyErrorPages(Request.Handler replaced) {
        this.replaced = replaced;
    }

    static void ensure(HttpServletRequest request) {
        ServletContextRequest jetty = ServletContextRequest.getServletContextRequest(request);
        if (jetty == null) {
            return;
        }
        Server server = jetty.getConnectionMetaData().getConnector().getServer();
        if (server.getErrorHandler() instanceof JettyErrorPages) {
            return;
        }
        synchronized (JettyErrorPages.class) {
            Request.Handler current = server.getErrorHandler();
            if (!(current instanceof JettyErrorPages)) {
                server.setErrorHandler(new JettyErrorPages(current));
            }
        }
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        if (replaced != null && Request.as(request, ServletContextRequest.class) != null) {
            return replaced.handle(request, response, callback);
        }
        int status = request.getAttribute(ErrorHandler.ERROR_STATUS) instanceof Integer s ? s : response.getStatus();
        Object message = request.getAttribute(ErrorHandler.ERROR_MESSAGE);
        byte[] body = (reason(status, message instanceof String m ? m : null) + "\n").getBytes(StandardCharsets.UTF_8);
        response.getHeaders().put("Content-Type", "text/plain; charset=utf-8");
        response.getHeaders().put("Cache-Control", "no-store");
        response.getHeaders().put("X-Content-Type-Options", "nosniff");
        response.getHeaders().put("Content-Length", Integer.toString(body.length));
        response.write(true, "HEAD".equals(request.getMethod()) ? null : ByteBuffer.wrap(body), callback);
        return true;
    }

    /** "bad request: No URI": the status's phrase and Jetty's detail, printable ASCII, one short line. */
    static String reason(int status, String message) {
        String phrase = HttpStatus.getMessage(status);
        phrase = phrase == null ? "error " + status : phrase.toLowerCase(Locale.ROOT);
        String text = message == null || message.isBlank() || message.equalsIgnoreCase(phrase) ? phrase
                : phrase + ": " + message;
        text = text.replaceAll("[^\\x20-\\x7e]", "?");
        return text.length() > 160 ? text.substring(0, 157) + "..." : text;
    }
}
