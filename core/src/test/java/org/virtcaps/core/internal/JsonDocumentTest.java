package org.virtcaps.core.internal;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.virtcaps.core.api.DocumentException;
import org.virtcaps.core.api.DocumentFormat;
import org.virtcaps.core.api.GuestQuery;
import org.virtcaps.core.model.Capabilities;
import org.virtcaps.core.model.Diagnostic;
import org.virtcaps.core.model.DriverReport;
import org.virtcaps.core.model.DriverState;
import org.virtcaps.core.model.GuestArchitecture;
import org.virtcaps.core.model.GuestFeature;
import org.virtcaps.core.model.Host;
import org.virtcaps.core.model.Machine;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** The JSON document reads back into exactly the model it was written from: what a remote client relies on. */
class JsonDocumentTest {
    private final DocumentsComponent documents = new DocumentsComponent();

    static List<String> documentsFromOtherHosts() {
        return LibvirtDocumentTest.documentsFromOtherHosts().toList();
    }

    private Capabilities roundTrip(Capabilities caps) throws DocumentException {
        byte[] json = documents.format(caps, DocumentFormat.JSON).getBytes(StandardCharsets.UTF_8);
        return documents.read(new ByteArrayInputStream(json), DocumentFormat.JSON, "ignored");
    }

    private Capabilities withDrivers(Capabilities caps) {
        return new Capabilities(caps.host(), caps.guests(), caps.architectures(),
                List.of(new DriverReport("qemu", DriverState.ACTIVE, caps.architectures().size(), Duration.ofMillis(42),
                        List.of(new Diagnostic(Diagnostic.Severity.WARNING, "qemu", "skipped /usr/bin/qemu-system-junk: not QEMU")))),
                17, Instant.parse("2026-11-25T21:00:00.123456Z"), "probe");
    }

    @ParameterizedTest
    @MethodSource("documentsFromOtherHosts")
    void documentsOfOtherHostsSurviveTheRoundTrip(String name) throws Exception {
        Capabilities caps = withDrivers(documents.read(
                new ByteArrayInputStream(HostTree.resource("/fixtures/" + name).getBytes(StandardCharsets.UTF_8)), name));
        assertEquals(caps, roundTrip(caps));
        // and so every format written from the copy is the same text
        Capabilities back = roundTrip(caps);
        for (DocumentFormat f : DocumentFormat.values()) {
            assertEquals(documents.format(caps, f), documents.format(back, f), name + " " + f);
        }
    }

    @Test
    void thisHostSurvivesTheRoundTrip() throws Exception {
        Host host = new LinuxHostProber(new HostFiles(Path.of("/")), System.getProperty("os.arch")).probe();
        GuestArchitecture odd = new GuestArchitecture("hvm", "avr", 8, "qemu", "/usr/bin/qemu-system-avr", null,
                List.of(new Machine("mega2560", null, 1, null), new Machine("old", "new", null, true)),
                List.of(new GuestFeature("acpi", true, false), new GuestFeature("pae", null, null)),
                Map.of("uses-kvm", "no"), "qemu");
        Capabilities caps = withDrivers(new Capabilities(host, List.of(), List.of(odd), List.of(), 1, null, "probe"));
        assertEquals(caps, roundTrip(caps));
    }

    @Test
    void malformedJsonGivesAReasonWithItsPath() {
        DocumentException notJson = assertThrows(DocumentException.class, () -> read("{\"host\": "));
        assertTrue(notJson.getMessage().startsWith("not JSON"), notJson.getMessage());
        DocumentException noHost = assertThrows(DocumentException.class, () -> read("{\"generation\": 1}"));
        assertEquals("not a virtcaps JSON document: $.host is missing", noHost.getMessage());
        DocumentException wrongType = assertThrows(DocumentException.class,
                () -> read("{\"host\":{\"cpu\":{\"arch\":\"x86_64\"}},\"guestArchitectures\":[{\"arch\":\"x86_64\","
                        + "\"osType\":\"hvm\",\"domainType\":\"qemu\",\"wordsize\":\"64\"}]}"));
        assertEquals("not a virtcaps JSON document: $.guestArchitectures[0].wordsize is not an integer",
                wrongType.getMessage());
        DocumentException array = assertThrows(DocumentException.class, () -> read("[1,2]"));
        assertEquals("not a virtcaps JSON document: $ is not an object", array.getMessage());
    }

    @Test
    void oversizedJsonIsRefused() {
        InputStream endless = new InputStream() {
            @Override
            public int read() {
                return ' ';
            }
        };
        DocumentException e = assertThrows(DocumentException.class,
                () -> documents.read(endless, DocumentFormat.JSON, "endless"));
        assertTrue(e.getMessage().contains("larger than"), e.getMessage());
    }

    private static final String HOST = "\"host\":{\"cpu\":{\"arch\":\"x86_64\"}}";

    /**
     * Nesting beyond the bound is refused while parsing, wherever it is: in a field the reader ignores
     * (accepted before) as in one it reads. 300,000 levels is 600 KB.
     */
    @Test
    void deeplyNestedJsonIsRefused() {
        for (int levels : new int[] { DocumentLimits.MAX_DEPTH + 1, 300_000 }) {
            String extra = "[".repeat(levels) + "]".repeat(levels);
            String objects = "{\"a\":".repeat(levels) + "1" + "}".repeat(levels);
            for (String doc : List.of("{" + HOST + ",\"extra\":" + extra + "}", "{" + HOST + ",\"extra\":" + objects + "}")) {
                DocumentException e = assertThrows(DocumentException.class, () -> read(doc));
                assertTrue(e.getMessage().startsWith("refused: ") && e.getMessage().toLowerCase(java.util.Locale.ROOT).contains("nesting depth")
                        && !e.getMessage().contains("\n"), e.getMessage());
            }
        }
        // the bound itself is allowed
        int inner = DocumentLimits.MAX_DEPTH - 1;
        assertEquals("x86_64", assertDoesNotThrow(() -> read("{" + HOST + ",\"extra\":" + "[".repeat(inner)
                + "]".repeat(inner) + "}")).host().cpu().arch());
    }

    @Test
    void jsonWithTooManyValuesIsRefused() {
        StringBuilder doc = new StringBuilder("{" + HOST + ",\"extra\":[0");
        for (long i = 0; i < DocumentLimits.MAX_JSON_TOKENS; i++) {
            doc.append(",0");
        }
        doc.append("]}");
        DocumentException e = assertThrows(DocumentException.class, () -> read(doc.toString()));
        assertTrue(e.getMessage().startsWith("refused: ") && e.getMessage().toLowerCase(java.util.Locale.ROOT).contains("token count"), e.getMessage());
        String longNumber = "{" + HOST + ",\"extra\":" + "9".repeat(DocumentLimits.MAX_NUMBER_CHARS + 1) + "}";
        DocumentException number = assertThrows(DocumentException.class, () -> read(longNumber));
        assertTrue(number.getMessage().startsWith("refused: "), number.getMessage());
    }

    @Test
    void outOfRangeNumbersAreRefusedWithTheirPath() {
        String arch = "{\"osType\":\"hvm\",\"arch\":\"x86_64\",\"domainType\":\"qemu\",\"wordsize\":";
        Map<String, String> cases = Map.of(
                "{" + HOST + ",\"guestArchitectures\":[" + arch + "64}," + arch + "99999999999999999999}]}",
                "$.guestArchitectures[1].wordsize: 99999999999999999999 is out of range (1..1024)",
                "{" + HOST + ",\"guestArchitectures\":[" + arch + "-64}]}",
                "$.guestArchitectures[0].wordsize: -64 is out of range (1..1024)",
                "{" + HOST + ",\"guestArchitectures\":[" + arch + "64,\"machines\":[{\"name\":\"pc\",\"maxCpus\":-5}]}]}",
                "$.guestArchitectures[0].machines[0].maxCpus: -5 is out of range (1..2147483647)",
                "{" + HOST + ",\"guests\":[{\"osType\":\"hvm\",\"arch\":\"x86_64\",\"wordsize\":64,"
                        + "\"machines\":[{\"name\":\"pc\",\"maxCpus\":99999999999999999999}]}]}",
                "$.guests[0].machines[0].maxCpus: 99999999999999999999 is out of range",
                "{\"host\":{\"cpu\":{\"arch\":\"x86_64\"},\"memoryKiB\":-1}}",
                "$.host.memoryKiB: -1 is out of range",
                "{\"host\":{\"cpu\":{\"arch\":\"x86_64\"},\"numaCells\":[{\"id\":0,\"pages\":{\"4\":99999999999999999999}}]}}",
                "$.host.numaCells[0].pages.4: 99999999999999999999 is out of range");
        cases.forEach((doc, reason) -> {
            DocumentException e = assertThrows(DocumentException.class, () -> read(doc), doc);
            assertTrue(e.getMessage().contains(reason), e.getMessage());
        });
    }

    @Test
    void seedCannotBeReadBack() {
        assertThrows(IllegalArgumentException.class,
                () -> documents.read(new ByteArrayInputStream(new byte[0]), DocumentFormat.SEED, "x"));
    }

    @Test
    void queryAnswerCarriesMatchesAndFacets() throws Exception {
        Capabilities caps = documents.read(new ByteArrayInputStream(
                HostTree.resource("/fixtures/libvirt-xml/kvm-x86_64.xml").getBytes(StandardCharsets.UTF_8)), "x");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        GuestQuery query = GuestQuery.ALL.withWordsize(64);
        documents.writeQuery(caps, query, null, out);
        JsonNode json = new ObjectMapper().readTree(out.toByteArray());
        long expected = caps.architectures().stream().filter(g -> g.wordsize() == 64).count();
        assertEquals(expected, json.get("count").asLong());
        assertEquals(expected, json.get("guestArchitectures").size());
        assertEquals(caps.architectures().size(), json.get("total").asInt());
        assertEquals(64, json.at("/query/wordsize").asInt());
        // the wordsize facet ignores the wordsize criterion: it counts every entry
        int sum = 0;
        for (JsonNode n : json.at("/facets/wordsize")) {
            sum += n.asInt();
        }
        assertEquals(caps.architectures().size(), sum);
    }

    private Capabilities read(String json) throws DocumentException {
        return documents.read(new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)), DocumentFormat.JSON, "t");
    }
}
