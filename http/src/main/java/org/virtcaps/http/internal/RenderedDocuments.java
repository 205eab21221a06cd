package org.virtcaps.http.internal;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.virtcaps.core.api.CapabilitiesDocuments;
import org.virtcaps.core.api.CapabilitiesService;
import org.virtcaps.core.api.DocumentFormat;
import org.virtcaps.core.api.GuestQuery;
import org.virtcaps.core.api.MachineDescriptions;
import org.virtcaps.core.model.Capabilities;

/**
 * The local host's documents and guest lists, serialized once per snapshot (and format, query and
 * description language), not once per request: a request for an unchanged snapshot costs a map lookup and
 * a write.
 *
 * <p>A requested language is first mapped to the language its descriptions will actually be in (fr-CH →
 * fr, an unknown one → English, the fallback), so the variants kept are bounded by the languages that
 * exist, not by what clients send.
 */
@Component(service = RenderedDocuments.class)
public class RenderedDocuments {
    /** Document variants kept per snapshot: formats times languages; only a safety bound. */
    private static final int MAX_VARIANTS = 256;
    /** Guest lists kept per snapshot (distinct filters and languages), least recently used first out. */
    static final int MAX_GUEST_LISTS = 256;

    private final CapabilitiesService service;
    private final CapabilitiesDocuments documents;
    private volatile Rendered current;

    private volatile MachineDescriptions descriptions;

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

    /**
     * The descriptions whose languages decide the variants. Descriptions that come, go or change (a
     * language installed restarts their bundle) make every kept described rendering stale: all are let go.
     */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void setDescriptions(MachineDescriptions descriptions) {
        this.descriptions = descriptions;
        this.current = null;
    }

    void unsetDescriptions(MachineDescriptions descriptions) {
        if (this.descriptions == descriptions) {
            this.descriptions = null;
            this.current = null;
        }
    }

    /**
     * The language descriptions in the asked one come out in, as the descriptions' lookup chain decides it
     * (language and country, then the language; English, the fallback, when neither is translated); null
     * when none is asked for or no descriptions are installed (the document is then undescribed).
     */
    Locale language(Locale asked) {
        MachineDescriptions d = descriptions;
        if (asked == null || d == null) {
            return null;
        }
        Set<Locale> available = d.locales();
        if (!asked.getCountry().isEmpty()) {
            Locale withCountry = new Locale(asked.getLanguage(), asked.getCountry());
            if (available.contains(withCountry)) {
                return withCountry;
            }
        }
        Locale language = new Locale(asked.getLanguage());
        return available.contains(language) ? language : Locale.ENGLISH;
    }

    /** The current snapshot's document in the format, with descriptions in the locale when not null. */
    Representation document(DocumentFormat format, Locale descriptions) {
        Capabilities snapshot = service.snapshot();
        Rendered rendered = rendered(snapshot);
        Locale lang = language(descriptions);
        String key = format.name() + (lang == null ? "" : "/" + lang.toLanguageTag());
        CompletableFuture<Representation> rep = rendered.variants.get(key);
        if (rep == null) {
            CompletableFuture<Representation> mine = new CompletableFuture<>();
            rep = rendered.variants.size() < MAX_VARIANTS ? rendered.variants.putIfAbsent(key, mine) : null;
            if (rep == null) {
                return make(mine, () -> render(snapshot, format, lang), () -> rendered.variants.remove(key, mine));
            }
        }
        return await(rep);
    }

    /** The current snapshot's guest architectures matching the query, with facets, described in the locale. */
    Representation guests(GuestQuery query, Locale descriptions) throws IOException {
        Capabilities snapshot = service.snapshot();
        Rendered rendered = rendered(snapshot);
        Locale lang = language(descriptions);
        List<Object> key = java.util.Arrays.asList(query, lang);
        CompletableFuture<Representation> rep;
        CompletableFuture<Representation> mine = new CompletableFuture<>();
        synchronized (rendered.guests) {
            rep = rendered.guests.putIfAbsent(key, mine);
        }
        if (rep != null) {
            return await(rep);
        }
        return make(mine, () -> {
            ByteArrayOutputStream out = new ByteArrayOutputStream(8192);
            try {
                documents.writeQuery(snapshot, query, lang, out);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return json(out);
        }, () -> {
            synchronized (rendered.guests) {
                rendered.guests.remove(key, mine);
            }
        });
    }

    /**
     * Renders into the future others wait on: concurrent requests for a representation not yet made (a new
     * snapshot under load) cost one rendering, not one each. A failed rendering is not kept.
     */
    private static Representation make(CompletableFuture<Representation> future, Supplier<Representation> render,
            Runnable forget) {
        try {
            Representation rep = render.get();
            future.complete(rep);
            return rep;
        } catch (RuntimeException | Error e) {
            forget.run();
            future.completeExceptionally(e);
            throw e;
        }
    }

    private static Representation await(CompletableFuture<Representation> future) {
        try {
            return future.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw e;
        }
    }

    private Rendered rendered(Capabilities snapshot) {
        Rendered rendered = current;
        if (rendered == null || rendered.snapshot != snapshot) {
            // a race here renders a document twice at worst; readers never see a mix of snapshots
            rendered = new Rendered(snapshot);
            current = rendered;
        }
        return rendered;
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
        final Map<String, CompletableFuture<Representation>> variants = new ConcurrentHashMap<>();
        final Map<List<Object>, CompletableFuture<Representation>> guests = new LinkedHashMap<>(64, 0.75f, true) {
            private static final long serialVersionUID = 1L;

            @Override
            protected boolean removeEldestEntry(Map.Entry<List<Object>, CompletableFuture<Representation>> eldest) {
                return size() > MAX_GUEST_LISTS;
            }
        };

        Rendered(Capabilities snapshot) {
            this.snapshot = snapshot;
        }
    }
}
