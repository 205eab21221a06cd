package org.virtcaps.http.internal;

import java.io.IOException;
import java.util.Set;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardContextSelect;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletAsyncSupported;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletPattern;
import org.virtcaps.core.api.GuestQuery;

import jakarta.servlet.Servlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * {@code GET /guests?fullvirt=&family=&wordsize=&domain=&arch=&lang=}: the guest architectures matching
 * the filters, with the facet counts a user interface shows beside each choice.
 */
@Component(service = Servlet.class)
@HttpWhiteboardServletPattern("/guests")
@HttpWhiteboardServletAsyncSupported // responses are written without blocking a thread (Responses.write)
@HttpWhiteboardContextSelect(EndpointContext.SELECT)
public class GuestsServlet extends ReadOnlyServlet {
    private static final long serialVersionUID = 1L;
    private final transient RenderedDocuments rendered;

    @Activate
    public GuestsServlet(@Reference RenderedDocuments rendered) {
        this.rendered = rendered;
    }

    @Override
    Set<String> parameters() {
        return Set.of("fullvirt", "family", "wordsize", "domain", "arch", "lang");
    }

    @Override
    void handle(HttpServletRequest request, HttpServletResponse response, Parameters parameters)
            throws IOException, HttpProblem {
        String domain = parameters.token("domain");
        GuestQuery query = GuestQuery.ALL.withFullVirt(parameters.bool("fullvirt"))
                .withFamily(parameters.token("family"))
                .withWordsize(parameters.integer("wordsize", 1, 128))
                .withDomainType(domain == null ? null : domain.toLowerCase(java.util.Locale.ROOT))
                .withArch(parameters.token("arch"));
        Responses.send(request, response, rendered.guests(query, parameters.locale("lang")), null);
    }
}
