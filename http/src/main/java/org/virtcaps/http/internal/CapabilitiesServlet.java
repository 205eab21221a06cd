package org.virtcaps.http.internal;

import java.io.IOException;
import java.util.Locale;
import java.util.Set;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardContextSelect;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletAsyncSupported;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletPattern;
import org.virtcaps.core.api.DocumentFormat;

import jakarta.servlet.Servlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * {@code GET /capabilities}: libvirt XML by default; JSON by {@code Accept: application/json} or
 * {@code ?format=json}; the proposal's XML by {@code ?format=seed}. {@code ?lang=fr} adds machine
 * descriptions to the JSON.
 */
@Component(service = Servlet.class)
@HttpWhiteboardServletPattern("/capabilities")
@HttpWhiteboardServletAsyncSupported // responses are written without blocking a thread (Responses.write)
@HttpWhiteboardContextSelect(EndpointContext.SELECT)
public class CapabilitiesServlet extends ReadOnlyServlet {
    private static final long serialVersionUID = 1L;
    private final transient RenderedDocuments rendered;

    @Activate
    public CapabilitiesServlet(@Reference RenderedDocuments rendered) {
        this.rendered = rendered;
    }

    @Override
    Set<String> parameters() {
        return Set.of("format", "lang");
    }

    @Override
    void handle(HttpServletRequest request, HttpServletResponse response, Parameters parameters)
            throws IOException, HttpProblem {
        String formatName = parameters.get("format");
        DocumentFormat format;
        if (formatName != null) {
            try {
                format = DocumentFormat.parse(formatName);
            } catch (IllegalArgumentException e) {
                throw new HttpProblem(HttpServletResponse.SC_BAD_REQUEST, "unknown format '"
                        + Parameters.shorten(formatName) + "' (libvirt, seed or json)");
            }
        } else {
            format = negotiate(request.getHeader("Accept"));
        }
        Locale lang = parameters.locale("lang");
        if (lang != null && format != DocumentFormat.JSON) {
            throw new HttpProblem(HttpServletResponse.SC_BAD_REQUEST, "lang needs the JSON format");
        }
        Responses.send(request, response, rendered.document(format, lang), formatName == null ? "Accept" : null);
    }

    /**
     * libvirt XML unless the client prefers JSON; 406 when it accepts neither. Only the media types
     * matter here, so a simple q-value comparison is enough.
     */
    static DocumentFormat negotiate(String accept) throws HttpProblem {
        if (accept == null || accept.isBlank()) {
            return DocumentFormat.LIBVIRT;
        }
        double xml = 0;
        double json = 0;
        for (String element : accept.split(",")) {
            String[] pieces = element.trim().split(";");
            String type = pieces[0].trim().toLowerCase(Locale.ROOT);
            double q = Responses.quality(pieces);
            switch (type) {
                case "application/xml", "text/xml" -> xml = Math.max(xml, q);
                case "application/json" -> json = Math.max(json, q);
                // wildcards accept either; the default format wins a tie
                case "*/*", "application/*" -> xml = Math.max(xml, q);
                case "text/*" -> xml = Math.max(xml, q);
                default -> {
                }
            }
        }
        if (xml == 0 && json == 0) {
            throw new HttpProblem(HttpServletResponse.SC_NOT_ACCEPTABLE,
                    "can answer application/xml or application/json");
        }
        return json > xml ? DocumentFormat.JSON : DocumentFormat.LIBVIRT;
    }
}
