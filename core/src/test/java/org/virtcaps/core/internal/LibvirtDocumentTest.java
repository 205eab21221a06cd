package org.virtcaps.core.internal;

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
