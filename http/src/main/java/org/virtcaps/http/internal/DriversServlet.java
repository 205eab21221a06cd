package org.virtcaps.http.internal;

import java.io.ByteArrayOutputStream;
import java.io.IOException;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardContextSelect;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletAsyncSupported;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletPattern;

import jakarta.servlet.Servlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/** {@code GET /drivers}: every driver's state, guest count, probe time and diagnostics, and the host's. */
@Component(service = Servlet.class)
@HttpWhiteboardServletPattern("/drivers")
@HttpWhiteboardServletAsyncSupported // responses are written without blocking a thread (Responses.write)
@HttpWhiteboardContextSelect(EndpointContext.SELECT)
public class DriversServlet extends ReadOnlyServlet {
    private static final long serialVersionUID = 1L;
    private final transient RenderedDocuments rendered;

    @Activate
    public DriversServlet(@Reference RenderedDocuments rendered) {
        this.rendered = rendered;
    }

    @Override
    void handle(HttpServletRequest request, HttpServletResponse response, Parameters parameters) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream(4096);
        rendered.documents().writeDrivers(rendered.service().snapshot(), out);
        Responses.send(request, response, RenderedDocuments.json(out), null);
    }
}
