package org.virtcaps.http.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;
import org.virtcaps.core.api.CapabilitiesListener;
import org.virtcaps.core.api.CapabilitiesService;
import org.virtcaps.core.api.DocumentFormat;
import org.virtcaps.core.api.GuestQuery;
import org.virtcaps.core.api.GuestQueryResult;
import org.virtcaps.core.internal.DocumentsComponent;
import org.virtcaps.core.model.Capabilities;
import org.virtcaps.core.model.Host;
import org.virtcaps.core.model.HostCpu;

/** Documents are serialized once per snapshot and format; validators and negotiation follow the RFCs. */
class RenderedDocumentsTest {
    private final AtomicReference<Capabilities> current = new AtomicReference<>(snapshot(1));
    private final AtomicInteger renders = new AtomicInteger();

    private static Capabilities snapshot(long generation) {
        HostCpu cpu = new HostCpu("x86_64", null, null, null, null, null, null, null, List.of(), List.of(), List.of());
        return new Capabilities(new Host(null, cpu, null, null, null, List.of(), List.of(), List.of(), null, null,
                List.of()), List.of(), List.of(), List.of(), generation, null, "probe");
    }

    private final CapabilitiesService service = new CapabilitiesService() {
        @Override
        public Capabilities snapshot() {
            return current.get();
        }

        @Override
        public Capabilities refresh() {
            return current.get();
        }

        @Override
        public Capabilities settled() {
            return current.get();
        }

        @Override
        public GuestQueryResult query(GuestQuery query) {
            return query.evaluate(current.get().architectures());
        }

        @Override
        public AutoCloseable addListener(CapabilitiesListener listener) {
            return () -> { };
        }
    };

    private final DocumentsComponent documents = new DocumentsComponent() {
        @Override
        public String format(Capabilities capabilities, DocumentFormat format) {
            renders.incrementAndGet();
            return super.format(capabilities, format);
        }
    };

    @Test
    void oneRenderingPerSnapshotAndFormat() {
        RenderedDocuments rendered = new RenderedDocuments(service, documents);
        Representation first = rendered.document(DocumentFormat.LIBVIRT, null);
        for (int i = 0; i < 100; i++) {
            assertSame(first, rendered.document(DocumentFormat.LIBVIRT, null));
        }
        assertEquals(1, renders.get());
        rendered.document(DocumentFormat.JSON, null);
        assertEquals(2, renders.get());
        // a new snapshot: rendered again, and a different tag only if the bytes differ
        current.set(snapshot(2));
        Representation json = rendered.document(DocumentFormat.JSON, null);
        assertEquals(3, renders.get());
        assertNotEquals(first.etag(), json.etag());
        assertEquals(first.etag(), rendered.document(DocumentFormat.LIBVIRT, null).etag(),
                "the libvirt XML of generation 2 is byte for byte that of generation 1: same strong tag");
        assertSame(first.gzipped().length, first.gzipped().length);
    }

    @Test
    void ifNoneMatchUsesWeakComparison() {
        assertTrue(Responses.matches("\"abc\"", "\"abc\""));
        assertTrue(Responses.matches("W/\"abc\"", "\"abc\""));
        assertTrue(Responses.matches("\"x\", \"abc\"", "\"abc\""));
        assertTrue(Responses.matches("*", "\"abc\""));
        assertFalse(Responses.matches("\"abcd\"", "\"abc\""));
        assertFalse(Responses.matches(null, "\"abc\""));
    }

    @Test
    void gzipOnlyWhenAcceptedWithAPositiveQuality() {
        assertTrue(Responses.acceptsGzip("gzip, deflate, br"));
        assertTrue(Responses.acceptsGzip("br;q=1.0, gzip;q=0.8"));
        assertFalse(Responses.acceptsGzip("gzip;q=0"));
        assertFalse(Responses.acceptsGzip("identity"));
        assertFalse(Responses.acceptsGzip(null));
    }

    @Test
    void contentNegotiation() throws Exception {
        assertEquals(DocumentFormat.LIBVIRT, CapabilitiesServlet.negotiate(null));
        assertEquals(DocumentFormat.LIBVIRT, CapabilitiesServlet.negotiate("*/*"));
        assertEquals(DocumentFormat.JSON, CapabilitiesServlet.negotiate("application/json"));
        assertEquals(DocumentFormat.JSON, CapabilitiesServlet.negotiate("application/json, */*;q=0.1"));
        assertEquals(DocumentFormat.LIBVIRT, CapabilitiesServlet.negotiate("application/json;q=0.4, text/xml"));
        HttpProblem none = assertThrows(HttpProblem.class, () -> CapabilitiesServlet.negotiate("text/csv"));
        assertEquals(406, none.status());
    }

    @Test
    void acceptLanguagePicksTheBestAvailableDescriptionLanguage() throws Exception {
        java.util.Set<java.util.Locale> available = java.util.Set.of(java.util.Locale.ENGLISH, java.util.Locale.FRENCH,
                java.util.Locale.forLanguageTag("zh-CN"));
        assertEquals(java.util.Locale.FRENCH, MachinesServlet.fromAcceptLanguage("fr-CH, fr;q=0.9, en;q=0.8", available));
        assertEquals(java.util.Locale.forLanguageTag("zh-CN"), MachinesServlet.fromAcceptLanguage("zh-CN,zh;q=0.9", available));
        assertEquals(java.util.Locale.ENGLISH, MachinesServlet.fromAcceptLanguage("ko", available));
        assertEquals(java.util.Locale.ENGLISH, MachinesServlet.fromAcceptLanguage(null, available));
        assertEquals(400, assertThrows(HttpProblem.class,
                () -> MachinesServlet.fromAcceptLanguage("fr;q=abc", available)).status());
    }
}
