package org.virtcaps.http.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;
import org.virtcaps.core.api.CapabilitiesListener;
import org.virtcaps.core.api.CapabilitiesService;
import org.virtcaps.core.api.DocumentFormat;
import org.virtcaps.core.api.GuestQuery;
import org.virtcaps.core.api.GuestQueryResult;
import org.virtcaps.core.api.MachineDescriptions;
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

        @Override
        public String format(Capabilities capabilities, DocumentFormat format, Locale locale) {
            describedRenders.incrementAndGet();
            return super.format(capabilities, format) + locale.toLanguageTag();
        }

        @Override
        public void writeQuery(Capabilities capabilities, GuestQuery query, Locale locale, OutputStream out)
                throws IOException {
            guestRenders.incrementAndGet();
            super.writeQuery(capabilities, query, locale, out);
        }
    };

    private final AtomicInteger describedRenders = new AtomicInteger();
    private final AtomicInteger guestRenders = new AtomicInteger();

    /** Descriptions in English (the fallback), French and Simplified Chinese. */
    private static final MachineDescriptions DESCRIPTIONS = new MachineDescriptions() {
        @Override
        public Optional<MachineDescription> lookup(String machine, String arch, Locale locale) {
            return Optional.of(new MachineDescription(machine, machine, Locale.ENGLISH));
        }

        @Override
        public Set<Locale> locales() {
            return Set.of(Locale.ENGLISH, Locale.FRENCH, Locale.forLanguageTag("zh-CN"));
        }
    };

    @Test
    void languageVariantsAreBoundedByTheLanguagesThatExist() throws Exception {
        RenderedDocuments rendered = new RenderedDocuments(service, documents);
        rendered.setDescriptions(DESCRIPTIONS);
        List<String> asked = new java.util.ArrayList<>(List.of("fr", "fr-CH", "fr-FR", "FR", "en", "en-US", "zh-CN",
                "zh-Hans-CN", "zh-TW", "zh", "de", "ko", "x-private"));
        for (int i = 0; i < 200; i++) {
            asked.add("q" + Integer.toString(i, 36) + (i % 2 == 0 ? "" : "-US"));
        }
        for (String tag : asked) {
            Locale locale = Locale.forLanguageTag(tag);
            rendered.document(DocumentFormat.JSON, locale);
            rendered.guests(GuestQuery.ALL, locale);
            rendered.guests(GuestQuery.ALL.withFullVirt(true), locale);
        }
        // one rendering per language that exists (fr, zh-CN and the English fallback), whatever clients send
        assertEquals(3, describedRenders.get());
        assertEquals(6, guestRenders.get());
        assertEquals(Locale.FRENCH, rendered.language(Locale.forLanguageTag("fr-CA")));
        assertEquals(Locale.forLanguageTag("zh-CN"), rendered.language(Locale.forLanguageTag("zh-Hans-CN")));
        assertEquals(Locale.ENGLISH, rendered.language(Locale.forLanguageTag("zh-TW")));
        assertEquals(null, rendered.language(null));
        // a described guest list is served from the cache like an undescribed one
        Representation fr = rendered.guests(GuestQuery.ALL, Locale.FRENCH);
        for (int i = 0; i < 100; i++) {
            assertSame(fr, rendered.guests(GuestQuery.ALL, Locale.FRENCH));
            rendered.guests(GuestQuery.ALL, null);
        }
        assertEquals(7, guestRenders.get());
        // descriptions that change (a language installed) let every kept rendering go
        rendered.setDescriptions(DESCRIPTIONS);
        rendered.guests(GuestQuery.ALL, Locale.FRENCH);
        assertEquals(8, guestRenders.get());
    }

    @Test
    void concurrentRequestsForANewSnapshotCostOneRendering() throws Exception {
        AtomicInteger slowRenders = new AtomicInteger();
        DocumentsComponent slow = new DocumentsComponent() {
            @Override
            public String format(Capabilities capabilities, DocumentFormat format) {
                slowRenders.incrementAndGet();
                try {
                    Thread.sleep(300);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                return super.format(capabilities, format);
            }
        };
        RenderedDocuments rendered = new RenderedDocuments(service, slow);
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(16);
        try {
            java.util.concurrent.CountDownLatch go = new java.util.concurrent.CountDownLatch(1);
            List<java.util.concurrent.Future<Representation>> reps = new java.util.ArrayList<>();
            for (int i = 0; i < 16; i++) {
                reps.add(pool.submit(() -> {
                    go.await();
                    return rendered.document(DocumentFormat.JSON, null);
                }));
            }
            go.countDown();
            for (java.util.concurrent.Future<Representation> rep : reps) {
                assertSame(reps.get(0).get(), rep.get());
            }
        } finally {
            pool.shutdownNow();
        }
        assertEquals(1, slowRenders.get());
    }

    @Test
    void guestListsKeptAreBounded() throws Exception {
        RenderedDocuments rendered = new RenderedDocuments(service, documents);
        for (int i = 0; i < RenderedDocuments.MAX_GUEST_LISTS + 10; i++) {
            rendered.guests(GuestQuery.ALL.withArch("arch" + i), null);
        }
        int before = guestRenders.get();
        rendered.guests(GuestQuery.ALL.withArch("arch0"), null); // the least recently used went first
        assertEquals(before + 1, guestRenders.get());
        rendered.guests(GuestQuery.ALL.withArch("arch" + (RenderedDocuments.MAX_GUEST_LISTS + 9)), null);
        assertEquals(before + 1, guestRenders.get());
    }

    @Test
    void queryComponentsAreDecodedStrictly() {
        assertEquals("a b c", Parameters.decode("a+b%20c"));
        assertEquals("\u00e9t\u00e9", Parameters.decode("%C3%A9t%c3%a9"));
        for (String malformed : new String[] { "%zz", "%", "%4", "abc%", "%E0%A4%A", "%E0%A4", "%FF", "%C0%80", "\u00e9" }) {
            assertEquals(null, Parameters.decode(malformed), malformed);
        }
    }

    @Test
    void anUnreadableTokenIsMalformedNeverAnException() {
        for (String query : new String[] { "access_token=%zz", "access_token=%", "x=1&access_token=%E0%A4%A",
                "access_token=%C0%80" }) {
            assertSame(EndpointContext.MALFORMED, EndpointContext.presentedToken(request(query, null)), query);
        }
        assertEquals("t0k", EndpointContext.presentedToken(request("access_token=t0k", null)));
        assertEquals("t0k", EndpointContext.presentedToken(request("access_token=%zz", "Bearer t0k")));
        assertEquals(null, EndpointContext.presentedToken(request("other=%zz", null)));
    }

    private static jakarta.servlet.http.HttpServletRequest request(String query, String authorization) {
        return (jakarta.servlet.http.HttpServletRequest) java.lang.reflect.Proxy.newProxyInstance(
                RenderedDocumentsTest.class.getClassLoader(), new Class<?>[] { jakarta.servlet.http.HttpServletRequest.class },
                (proxy, method, args) -> switch (method.getName()) {
                    case "getQueryString" -> query;
                    case "getHeader" -> "Authorization".equalsIgnoreCase((String) args[0]) ? authorization : null;
                    default -> null;
                });
    }

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
