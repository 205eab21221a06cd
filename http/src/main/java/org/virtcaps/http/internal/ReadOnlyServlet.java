package org.virtcaps.http.internal;

import java.io.IOException;
import java.util.Set;

import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * What every route shares: GET and HEAD only (405 otherwise, with {@code Allow}), bounded parameters,
 * refusals as short reasons, and no stack trace ever reaching a client.
 */
abstract class ReadOnlyServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;

    /** The query parameters the route accepts (none unless it says otherwise). */
    Set<String> parameters() {
        return Set.of();
    }

    /** Answers a GET (or HEAD) whose parameters passed the bounds. */
    abstract void handle(HttpServletRequest request, HttpServletResponse response, Parameters parameters)
            throws IOException, HttpProblem;

    private static final RateLimitedLog INTERNAL_ERRORS = new RateLimitedLog(10, java.util.concurrent.TimeUnit.SECONDS);

    /** Request bodies read and dropped before a refusal, so that the connection stays usable. */
    private static final int DISCARD_LIMIT = 64 * 1024;

    /**
     * Reads a refused request's body: an unread body would leave the connection unusable for the
     * client's next request. A body past the limit is not worth reading: the connection is closed instead.
     */
    private static void discardBody(HttpServletRequest request, HttpServletResponse response) {
        try (java.io.InputStream body = request.getInputStream()) {
            long skipped = 0;
            byte[] buffer = new byte[8192];
            int n;
            while ((n = body.read(buffer)) >= 0) {
                skipped += n;
                if (skipped > DISCARD_LIMIT) {
                    response.setHeader("Connection", "close");
                    return;
                }
            }
        } catch (IOException | RuntimeException e) {
            response.setHeader("Connection", "close");
        }
    }

    @Override
    protected void service(HttpServletRequest request, HttpServletResponse response)
            throws ServletException, IOException {
        String method = request.getMethod();
        if (!method.equals("GET") && !method.equals("HEAD")) {
            discardBody(request, response);
            response.setHeader("Allow", "GET, HEAD");
            Responses.problem(response, HttpServletResponse.SC_METHOD_NOT_ALLOWED,
                    Parameters.shorten(method) + " is not allowed: the endpoint is read-only (GET, HEAD)");
            return;
        }
        try {
            handle(request, response, Parameters.of(request, parameters()));
        } catch (HttpProblem e) {
            Responses.problem(response, e.status(), e.getMessage());
        } catch (IOException e) {
            throw e; // the client went away; nothing to tell it
        } catch (RuntimeException e) {
            // the reason goes to the operator, not to the client, and at a rate no client can raise
            INTERNAL_ERRORS.log(Parameters.shorten(String.valueOf(request.getRequestURI())) + ": " + e);
            Responses.problem(response, HttpServletResponse.SC_INTERNAL_SERVER_ERROR, "internal error");
        }
    }
}
