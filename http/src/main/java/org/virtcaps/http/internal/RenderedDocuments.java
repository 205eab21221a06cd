package org.virtcaps.http.internal;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.virtcaps.core.api.CapabilitiesDocuments;
import org.virtcaps.core.api.CapabilitiesService;
import org.virtcaps.core.api.DocumentFormat;
import org.virtcaps.core.model.Capabilities;

/**
 * The local host's documents, serialized once per snapshot and format (and description language), not
 * once per request: a request for an unchanged snapshot costs a map lookup and a write.
 */
@Component(service = RenderedDocuments.class)
public class RenderedDocuments {
    /** Representations kept per snapshot; language variants past this are rendered but not kept. */
    private static final int MAX_VARIANTS = 32;

    private final CapabilitiesService service;
    private final CapabilitiesDocuments documents;
    private volatile Rendered current;

    @Activate
    public RenderedDocuments(@Reference(target = "(" + CapabilitiesService.HOST_PROPERTY + "=localhost)")
            CapabilitiesService service, @Reference CapabilitiesDocuments documents) {
        this.service = service;
        this.documents = documents;
    }

    CapabilitiesService service() {
        return service;
    }

    CapabilitiesDocuments documents() {
        return documents;
    }

    /** The current snapshot's document in the format, with descriptions in the locale when not null. */
    Representation document(DocumentFormat format, Locale descriptions) {
        Capabilities snapshot = service.snapshot();
        Rendered rendered = current;
        if (rendered == null || rendered.snapshot != snapshot) {
            // a race here renders a document twice at worst; readers never see a mix of snapshots
            rendered = new Rendered(snapshot);
            current = rendered;
        }
        String key = format.name() + (descriptions == null ? "" : "/" + descriptions.toLanguageTag());
        Representation rep = rendered.variants.get(key);
        if (rep == null) {
            rep = render(snapshot, format, descriptions);
            if (rendered.variants.size() < MAX_VARIANTS) {
                rendered.variants.putIfAbsent(key, rep);
            }
        }
        return rep;
    }

    private Representation render(Capabilities snapshot, DocumentFormat format, Locale descriptions) {
        String text = descriptions == null ? documents.format(snapshot, format)
                : documents.format(snapshot, format, descriptions);
        String mediaType = format == DocumentFormat.JSON ? "application/json" : format.mediaType() + "; charset=utf-8";
        return new Representation(text.getBytes(StandardCharsets.UTF_8), mediaType);
    }

    /** A JSON body rendered by the caller into a stream. */
    static Representation json(ByteArrayOutputStream out) {
        return new Representation(out.toByteArray(), "application/json");
    }

    private static final class Rendered {
        final Capabilities snapshot;
        final Map<String, Representation> variants = new ConcurrentHashMap<>();

        Rendered(Capabilities snapshot) {
            this.snapshot = snapshot;
        }
    }
}
