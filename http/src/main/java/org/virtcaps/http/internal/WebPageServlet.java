package org.virtcaps.http.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardContextSelect;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletAsyncSupported;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletPattern;

import jakarta.servlet.Servlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * The web page at {@code /} (and its script and style sheet), read from the bundle once; every other
 * path under the endpoint is a plain 404.
 */
@Component(service = Servlet.class)
@HttpWhiteboardServletPattern("/")
@HttpWhiteboardServletAsyncSupported // responses are written without blocking a thread (Responses.write)
@HttpWhiteboardContextSelect(EndpointContext.SELECT)
public class WebPageServlet extends ReadOnlyServlet {
    private static final long serialVersionUID = 1L;
    // the page talks to its own origin only; nothing inline, nothing from elsewhere
    private static final String POLICY = "default-src 'none'; script-src 'self'; style-src 'self'; "
            + "connect-src 'self'; img-src 'self' data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

    private final transient Map<String, Representation> files = Map.of(
            "/", load("index.html", "text/html; charset=utf-8"),
            "/index.html", load("index.html", "text/html; charset=utf-8"),
            "/app.js", load("app.js", "text/javascript; charset=utf-8"),
            "/app.css", load("app.css", "text/css; charset=utf-8"));

    @Override
    void handle(HttpServletRequest request, HttpServletResponse response, Parameters parameters)
            throws IOException, HttpProblem {
        String path = request.getServletPath() + (request.getPathInfo() == null ? "" : request.getPathInfo());
        Representation file = files.get(path.isEmpty() ? "/" : path);
        if (file == null) {
            throw new HttpProblem(HttpServletResponse.SC_NOT_FOUND, "nothing at " + Parameters.shorten(path)
                    + " (routes: /capabilities, /guests, /machines, /drivers, /events, /)");
        }
        response.setHeader("Content-Security-Policy", POLICY);
        response.setHeader("Referrer-Policy", "no-referrer");
        Responses.send(request, response, file, null);
    }

    private static Representation load(String name, String mediaType) {
        try (InputStream in = WebPageServlet.class.getResourceAsStream("/web/" + name)) {
            if (in == null) {
                throw new IllegalStateException("the bundle lacks web/" + name);
            }
            return new Representation(in.readAllBytes(), mediaType);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
