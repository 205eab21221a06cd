package org.virtcaps.core.internal;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import javax.xml.parsers.DocumentBuilderFactory;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.virtcaps.core.api.DocumentException;
import org.virtcaps.core.api.DocumentFormat;
import org.virtcaps.core.model.Capabilities;
import org.virtcaps.core.model.GuestArchitecture;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.xml.sax.InputSource;

/** Reading real libvirt documents and writing them back. */
class LibvirtDocumentTest {
    private final DocumentsComponent documents = new DocumentsComponent();

    static Stream<String> documentsFromOtherHosts() {
        return Stream.of("libvirt-xml/kvm-aarch64.xml", "libvirt-xml/kvm-s390x.xml", "libvirt-xml/kvm-x86_64.xml",
                "libvirt-xml/libvirt-0.10.2-caps-qemu-kvm.xml", "libvirt-xml/lxc.xml", "libvirt-xml/xen-rhel5.4.xml",
                "xen/xen-i686.xml", "xen/xen-i686-pae.xml", "xen/xen-ia64.xml", "xen/xen-x86_64.xml",
                "xen/xen-x86_64-hvm.xml");
    }

    private Capabilities read(String xml) throws DocumentException {
        return documents.read(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)), "test");
    }

    @ParameterizedTest
    @MethodSource("documentsFromOtherHosts")
    void parsesAndWritesBackEquivalent(String name) throws Exception {
        String original = HostTree.resource("/fixtures/" + name);
        Capabilities caps = read(original);
        String written = documents.format(caps, DocumentFormat.LIBVIRT);
        assertEquals(canonical(original), canonical(written), name);
        // and reading what we wrote gives the same model
        assertEquals(caps.guests(), read(written).guests());
        assertEquals(caps.host(), read(written).host());
    }

    @Test
    void newerVocabularySurvivesTheRoundTrip() throws Exception {
        String doc = """
                <capabilities>
                  <host><cpu><arch>loongarch64</arch></cpu></host>
                  <guest>
                    <os_type>hvm</os_type>
                    <arch name='loongarch64'>
                      <wordsize>64</wordsize>
                      <emulator>/usr/bin/qemu-system-loongarch64</emulator>
                      <machine maxCpus='256'>virt</machine>
                      <domain type='qemu'/>
                      <domain type='hvf'/>
                    </arch>
                    <features><externalSnapshot/></features>
                  </guest>
                </capabilities>
                """;
        Capabilities caps = read(doc);
        assertEquals(List.of("qemu", "hvf"), caps.architectures().stream().map(GuestArchitecture::domainType).toList());
        assertEquals(canonical(doc), canonical(documents.format(caps, DocumentFormat.LIBVIRT)));
    }

    @Test
    void libvirtFormattingConventions() throws Exception {
        String written = documents.format(read(HostTree.resource("/fixtures/libvirt-xml/kvm-x86_64.xml")),
                DocumentFormat.LIBVIRT);
        assertTrue(written.startsWith("<capabilities>\n\n  <host>\n    <uuid>"), written.substring(0, 60));
        assertTrue(written.contains("<machine canonical='pc-i440fx-"), "aliases are written as libvirt does");
        assertTrue(written.contains("      <domain type='qemu'/>\n"), "empty elements self-close");
        assertTrue(written.endsWith("  </guest>\n\n</capabilities>\n"));
    }

    @Test
    void externalEntitiesAreRefused() {
        String xxe = """
                <?xml version="1.0"?>
                <!DOCTYPE capabilities [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
                <capabilities><host><cpu><arch>&xxe;</arch></cpu></host></capabilities>
                """;
        DocumentException e = assertThrows(DocumentException.class, () -> read(xxe));
        assertTrue(e.getMessage().contains("DOCTYPE"), e.getMessage());
        String billionLaughs = "<!DOCTYPE lolz [<!ENTITY lol \"lol\"><!ENTITY lol2 \"&lol;&lol;\">]>"
                + "<capabilities><host><cpu><arch>&lol2;</arch></cpu></host></capabilities>";
        assertThrows(DocumentException.class, () -> read(billionLaughs));
    }

    @Test
    void malformedDocumentsGiveOneLineReasons() {
        for (String bad : List.of("", "not xml", "<capabilities>", "<capabilities><host/></capabilities>",
                "<capabilities><host><cpu><arch>x86_64</arch></cpu></host><guest><os_type>hvm</os_type>"
                        + "<arch name='x86_64'><domain type='qemu'/></arch></guest></capabilities>",
                "<virsh>output</virsh>")) {
            DocumentException e = assertThrows(DocumentException.class, () -> read(bad), bad);
            assertTrue(!e.getMessage().contains("\n") && !e.getMessage().isBlank(), e.getMessage());
        }
        DocumentException domcaps = assertThrows(DocumentException.class,
                () -> read(HostTree.resource("/fixtures/libvirt-xml/kvm-x86_64-domcaps-latest.xml")));
        assertTrue(domcaps.getMessage().contains("domain capabilities"), domcaps.getMessage());
    }

    @Test
    void oversizedInputIsRefused() {
        byte[] huge = new byte[org.virtcaps.core.internal.libvirt.LibvirtXmlCodec.MAX_DOCUMENT_BYTES + 100];
        byte[] head = "<capabilities><host><cpu><arch>x86_64</arch></cpu></host><!--".getBytes(StandardCharsets.UTF_8);
        System.arraycopy(head, 0, huge, 0, head.length);
        java.util.Arrays.fill(huge, head.length, huge.length, (byte) 'a');
        DocumentException e = assertThrows(DocumentException.class,
                () -> documents.read(new ByteArrayInputStream(huge), "huge"));
        assertTrue(e.getMessage().contains("larger than"), e.getMessage());
    }

    private static final String HOST = "<host><cpu><arch>x86_64</arch></cpu></host>";

    private static String guest(String wordsize, String machine) {
        return "<guest><os_type>hvm</os_type><arch name='x86_64'><wordsize>" + wordsize + "</wordsize>" + machine
                + "<domain type='qemu'/></arch></guest>";
    }

    private static String nested(String open, String close, int levels) {
        return open.repeat(levels) + close.repeat(levels);
    }

    /**
     * Nesting is refused wherever it is: in an open-vocabulary block (kept as DOM, where JAXB's cost grew
     * quadratically: 300,000 levels ran for minutes), in an unknown element (skipped), in a bound one. 100
     * levels was accepted before; 300,000 levels (2 MB) did not finish.
     */
    static Stream<String> deeplyNested() {
        return Stream.of(
                "<capabilities>" + HOST + "<guest><os_type>hvm</os_type><arch name='x86_64'><wordsize>64</wordsize>"
                        + "<domain type='qemu'/></arch><features>" + nested("<a>", "</a>", 100)
                        + "</features></guest></capabilities>",
                "<capabilities>" + HOST + nested("<unknown>", "</unknown>", 100) + "</capabilities>",
                "<capabilities><host>" + nested("<x>", "</x>", 100) + "<cpu><arch>x86_64</arch></cpu></host></capabilities>",
                "<capabilities>" + HOST + "<guest><os_type>hvm</os_type><arch name='x86_64'><wordsize>64</wordsize>"
                        + "<domain type='qemu'/></arch><features>" + nested("<a>", "</a>", 300_000)
                        + "</features></guest></capabilities>");
    }

    @ParameterizedTest
    @MethodSource("deeplyNested")
    @org.junit.jupiter.api.Timeout(value = 2, unit = java.util.concurrent.TimeUnit.MINUTES) // a hang guard only
    void deeplyNestedDocumentsAreRefused(String doc) {
        DocumentException e = assertThrows(DocumentException.class, () -> read(doc));
        assertEquals("refused: elements nested deeper than " + DocumentLimits.MAX_DEPTH + " levels",
                e.getMessage().replaceAll(" \\(line .*\\)$", ""));
    }

    @Test
    void documentsWithTooManyElementsAreRefused() {
        String many = "<capabilities>" + HOST + "<z/>".repeat(DocumentLimits.MAX_ELEMENTS) + "</capabilities>";
        DocumentException e = assertThrows(DocumentException.class, () -> read(many));
        assertTrue(e.getMessage().startsWith("refused: more than " + DocumentLimits.MAX_ELEMENTS + " elements"),
                e.getMessage());
        // the open-vocabulary blocks cost a DOM document apiece: a tighter bound, over all of them together
        String features = "<capabilities>" + HOST + (guest("64", "").replace("</guest>",
                "<features>" + "<acpi/>".repeat(DocumentLimits.MAX_OPEN_ELEMENTS / 2 + 1) + "</features></guest>"))
                .repeat(2) + "</capabilities>";
        DocumentException open = assertThrows(DocumentException.class, () -> read(features));
        assertTrue(open.getMessage().startsWith("refused: more than " + DocumentLimits.MAX_OPEN_ELEMENTS
                + " elements inside <features> blocks"), open.getMessage());
        // at the bound it still reads
        String atBound = "<capabilities>" + HOST + guest("64", "").replace("</guest>",
                "<features>" + "<acpi/>".repeat(DocumentLimits.MAX_OPEN_ELEMENTS) + "</features></guest>")
                + "</capabilities>";
        assertDoesNotThrow(() -> read(atBound));
    }

    static Stream<org.junit.jupiter.params.provider.Arguments> outOfRangeNumbers() {
        String ok = guest("64", "");
        return Stream.of(
                org.junit.jupiter.params.provider.Arguments.of(
                        ok + ok + guest("99999999999999999999", ""),
                        "/capabilities/guest[3]/arch/wordsize: 99999999999999999999 is out of range (1..1024)"),
                org.junit.jupiter.params.provider.Arguments.of(guest("-64", ""),
                        "/capabilities/guest[1]/arch/wordsize: -64 is out of range (1..1024)"),
                org.junit.jupiter.params.provider.Arguments.of(guest("2147483648", ""),
                        "/capabilities/guest[1]/arch/wordsize: 2147483648 is out of range (1..1024)"),
                org.junit.jupiter.params.provider.Arguments.of(
                        guest("64", "<machine>pc</machine><machine maxCpus='-5'>q35</machine>"),
                        "/capabilities/guest[1]/arch/machine[2]/@maxCpus: -5 is out of range (1..2147483647)"),
                org.junit.jupiter.params.provider.Arguments.of(
                        guest("64", "<machine maxCpus='99999999999999999999'>pc</machine>"),
                        "/capabilities/guest[1]/arch/machine[1]/@maxCpus: 99999999999999999999 is out of range"),
                org.junit.jupiter.params.provider.Arguments.of(
                        guest("64", "<machine maxCpus='abc'>pc</machine>"),
                        "/capabilities/guest[1]/arch/machine[1]/@maxCpus: 'abc' is not a number"),
                org.junit.jupiter.params.provider.Arguments.of(guest("64", "").replace("<domain type='qemu'/>",
                        "<domain type='kvm'><machine maxCpus='4294967297'>pc</machine></domain>"),
                        "/capabilities/guest[1]/arch/domain[1]/machine[1]/@maxCpus: 4294967297 is out of range"));
    }

    @ParameterizedTest
    @MethodSource("outOfRangeNumbers")
    void outOfRangeNumbersAreRefusedWithTheirPath(String guests, String reason) {
        DocumentException e = assertThrows(DocumentException.class,
                () -> read("<capabilities>" + HOST + guests + "</capabilities>"));
        assertTrue(e.getMessage().contains(reason), e.getMessage());
    }

    @Test
    void hostNumbersAreCheckedToo() {
        String cell = "<capabilities><host><cpu><arch>x86_64</arch><topology sockets='1' cores='-2' threads='1'/></cpu>"
                + "</host></capabilities>";
        assertTrue(assertThrows(DocumentException.class, () -> read(cell)).getMessage()
                .contains("/capabilities/host/cpu/topology/@cores: -2 is out of range"));
        String memory = "<capabilities><host><cpu><arch>x86_64</arch></cpu><topology><cells num='1'><cell id='0'>"
                + "<memory unit='GiB'>9223372036854775807</memory></cell></cells></topology></host></capabilities>";
        assertTrue(assertThrows(DocumentException.class, () -> read(memory)).getMessage()
                .contains("/capabilities/host/topology/cells/cell[1]/memory: 9223372036854775807 GiB in KiB is out of range"));
        String pages = "<capabilities><host><cpu><arch>x86_64</arch></cpu><topology><cells num='1'><cell id='0'>"
                + "<pages unit='KiB' size='4'>1</pages><pages unit='KiB' size='2048'>-1</pages>"
                + "</cell></cells></topology></host></capabilities>";
        assertTrue(assertThrows(DocumentException.class, () -> read(pages)).getMessage()
                .contains("/capabilities/host/topology/cells/cell[1]/pages[2]: -1 is out of range"));
        String cpu = "<capabilities><host><cpu><arch>x86_64</arch></cpu><topology><cells num='1'><cell id='0'>"
                + "<cpus num='1'><cpu id='0' socket_id='99999999999' core_id='0' siblings='0'/></cpus>"
                + "</cell></cells></topology></host></capabilities>";
        assertTrue(assertThrows(DocumentException.class, () -> read(cpu)).getMessage()
                .contains("/capabilities/host/topology/cells/cell[1]/cpus/cpu[1]/@socket_id: 99999999999 is out of range"));
    }

    /** Bytes that are not text: one line, and nothing from the parser on stderr ("[Fatal Error] :-1:-1: ..."). */
    @Test
    void binaryInputGivesOneLineAndNothingElse() throws Exception {
        byte[] random = new byte[4096];
        new java.util.Random(15).nextBytes(random);
        List<byte[]> inputs = List.of(random, new byte[] { (byte) 0xff, (byte) 0xfe, 0, 1 },
                "<capabilities><host><cpu><arch>\u00e9</arch></cpu></host></capabilities>"
                        .getBytes(StandardCharsets.ISO_8859_1),
                "<capabilities a=\"\u00c3\u0028\"/>".getBytes(StandardCharsets.ISO_8859_1),
                new byte[8192]);
        java.io.PrintStream stderr = System.err;
        java.io.ByteArrayOutputStream captured = new java.io.ByteArrayOutputStream();
        List<String> reasons = new ArrayList<>();
        System.setErr(new java.io.PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            for (byte[] input : inputs) {
                reasons.add(assertThrows(DocumentException.class,
                        () -> documents.read(new ByteArrayInputStream(input), "binary")).getMessage());
            }
        } finally {
            System.setErr(stderr);
        }
        assertEquals("", captured.toString(StandardCharsets.UTF_8));
        for (String reason : reasons) {
            assertTrue(!reason.contains("\n") && !reason.isBlank(), reason);
        }
        // a document in another encoding that says so is still read
        byte[] latin1 = "<?xml version='1.0' encoding='ISO-8859-1'?><capabilities><host><cpu><arch>x86_64</arch>"
                .concat("<vendor>\u00e9</vendor></cpu></host></capabilities>").getBytes(StandardCharsets.ISO_8859_1);
        assertEquals("\u00e9", documents.read(new ByteArrayInputStream(latin1), "latin1").host().cpu().vendor());
    }

    @Test
    void flatViewOfANestedDocument() throws Exception {
        Capabilities caps = read(HostTree.resource("/fixtures/libvirt-xml/libvirt-0.10.2-caps-qemu-kvm.xml"));
        assertEquals(caps.guests().stream().mapToInt(g -> g.domains().size()).sum(), caps.architectures().size());
        assertTrue(caps.architectures().stream().anyMatch(g -> g.domainType().equals("kvm") && g.fullVirt()));
    }

    // ---------------------------------------------------------------- canonical form for comparison

    /** Elements, attributes (sorted) and trimmed text; comments and whitespace ignored. */
    static String canonical(String xml) throws Exception {
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        Element root = factory.newDocumentBuilder().parse(new InputSource(new StringReader(xml))).getDocumentElement();
        StringBuilder sb = new StringBuilder();
        canonical(root, sb, 0);
        return sb.toString();
    }

    private static void canonical(Element e, StringBuilder sb, int depth) {
        sb.append("  ".repeat(depth)).append('<').append(e.getTagName());
        Map<String, String> attributes = new TreeMap<>();
        for (int i = 0; i < e.getAttributes().getLength(); i++) {
            Node a = e.getAttributes().item(i);
            attributes.put(a.getNodeName(), a.getNodeValue());
        }
        attributes.forEach((k, v) -> sb.append(' ').append(k).append("='").append(v).append('\''));
        sb.append('>');
        List<Element> children = new ArrayList<>();
        StringBuilder text = new StringBuilder();
        for (Node n = e.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element child) {
                children.add(child);
            } else if (n.getNodeType() == Node.TEXT_NODE) {
                text.append(n.getNodeValue());
            }
        }
        sb.append(text.toString().trim()).append('\n');
        for (Element child : children) {
            canonical(child, sb, depth + 1);
        }
    }
}
