package org.virtcaps.http.internal;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardContextSelect;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletAsyncSupported;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardServletPattern;
import org.virtcaps.core.api.MachineDescriptions;
import org.virtcaps.core.api.MachineDescriptions.MachineDescription;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;

import jakarta.servlet.Servlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * {@code GET /machines}: the description languages; {@code GET /machines/{name}?arch=&lang=}: a machine
 * type's description, in the language of {@code ?lang=} or else the best of {@code Accept-Language}.
 */
@Component(service = Servlet.class)
@HttpWhiteboardServletPattern({ "/machines", "/machines/*" })
@HttpWhiteboardServletAsyncSupported // responses are written without blocking a thread (Responses.write)
@HttpWhiteboardContextSelect(EndpointContext.SELECT)
public class MachinesServlet extends ReadOnlyServlet {
    private static final long serialVersionUID = 1L;
    private final transient JsonFactory json = new JsonFactory();

    // the descriptions bundle may come and go; the route answers 503 while it is away
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC)
    private volatile MachineDescriptions descriptions;

    @Override
    Set<String> parameters() {
        return Set.of("arch", "lang");
    }

    @Override
    void handle(HttpServletRequest request, HttpServletResponse response, Parameters parameters)
            throws IOException, HttpProblem {
        MachineDescriptions service = descriptions;
        if (service == null) {
            throw new HttpProblem(HttpServletResponse.SC_SERVICE_UNAVAILABLE,
                    "machine descriptions are not installed on this host");
        }
        String path = request.getPathInfo();
        ByteArrayOutputStream out = new ByteArrayOutputStream(512);
        if (path == null || path.equals("/")) {
            try (JsonGenerator g = json.createGenerator(out)) {
                g.writeStartObject();
                g.writeArrayFieldStart("locales");
                for (String tag : new TreeSet<>(service.locales().stream().map(Locale::toLanguageTag).toList())) {
                    g.writeString(tag);
                }
                g.writeEndArray();
                g.writeArrayFieldStart("problems");
                for (String problem : service.problems()) {
                    g.writeString(problem);
                }
                g.writeEndArray();
                g.writeEndObject();
            }
            Responses.send(request, response, RenderedDocuments.json(out), null);
            return;
        }
        String machine = path.substring(1);
        Parameters.requireToken("machine", machine);
        String arch = parameters.token("arch");
        Locale asked = parameters.locale("lang");
        boolean negotiated = asked == null;
        Locale locale = negotiated ? fromAcceptLanguage(request.getHeader("Accept-Language"), service.locales()) : asked;
        MachineDescription d = service.lookup(machine, arch, locale).orElseThrow(() -> new HttpProblem(
                HttpServletResponse.SC_NOT_FOUND, "no description of '" + machine + "'" + (arch == null ? "" : " on " + arch)));
        try (JsonGenerator g = json.createGenerator(out)) {
            g.writeStartObject();
            g.writeStringField("machine", d.machine());
            if (arch != null) {
                g.writeStringField("arch", arch);
            }
            g.writeStringField("description", d.text());
            g.writeStringField("locale", d.locale().toLanguageTag());
            g.writeEndObject();
        }
        Responses.send(request, response, RenderedDocuments.json(out), negotiated ? "Accept-Language" : null);
    }

    /** The first language range the descriptions have; English when none or no header. */
    static Locale fromAcceptLanguage(String header, Set<Locale> available) throws HttpProblem {
        if (header == null || header.isBlank()) {
            return Locale.ENGLISH;
        }
        List<Locale.LanguageRange> ranges;
        try {
            ranges = Locale.LanguageRange.parse(header.length() > 256 ? header.substring(0, 256) : header);
        } catch (IllegalArgumentException e) {
            throw new HttpProblem(HttpServletResponse.SC_BAD_REQUEST, "malformed Accept-Language header");
        }
        Locale best = Locale.lookup(ranges, available);
        if (best == null) {
            // no exact tag: the language alone still finds translations (de-AT → de)
            List<Locale> byLanguage = available.stream().map(l -> Locale.forLanguageTag(l.getLanguage())).toList();
            best = Locale.lookup(ranges, byLanguage);
        }
        return best == null ? Locale.ENGLISH : best;
    }
}
