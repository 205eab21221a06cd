package org.virtcaps.core.internal.libvirt;

import org.virtcaps.core.internal.BoundedInputStream;
import org.virtcaps.core.internal.DocumentLimits;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.io.Writer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;

import org.virtcaps.core.api.DocumentException;
import org.virtcaps.core.model.Guest;
import org.virtcaps.core.model.Host;

import jakarta.xml.bind.JAXBContext;
import jakarta.xml.bind.JAXBException;
import jakarta.xml.bind.Marshaller;
import jakarta.xml.bind.UnmarshalException;
import jakarta.xml.bind.Unmarshaller;

/**
 * libvirt capabilities XML through JAXB. The context is created once per codec; it is created through
 * the Glassfish runtime's factory directly because the API's service lookup finds no implementation
 * inside an OSGi framework.
 */
public final class LibvirtXmlCodec {
    /** Larger inputs are refused: real documents are tens of KiB. */
    public static final int MAX_DOCUMENT_BYTES = DocumentLimits.MAX_DOCUMENT_BYTES;

    private final JAXBContext context;
    private final XMLInputFactory inputFactory;

    public LibvirtXmlCodec() {
        try {
            context = new org.glassfish.jaxb.runtime.v2.JAXBContextFactory().createContext(
                    new Class<?>[] { XmlCapabilities.class, XmlCapabilities.XmlToggle.class }, Map.of());
        } catch (JAXBException e) {
            throw new IllegalStateException("cannot create the JAXB context for libvirt XML", e);
        }
        inputFactory = XMLInputFactory.newFactory();
        // XXE-safe: no DTDs, no external entities, no entity expansion
        inputFactory.setProperty(XMLInputFactory.SUPPORT_DTD, false);
        inputFactory.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
        inputFactory.setProperty(XMLInputFactory.IS_REPLACING_ENTITY_REFERENCES, false);
    }

    /** Writes host and guests; strict keeps to libvirt 9.0's schema vocabulary. */
    public void write(Host host, List<Guest> guests, boolean strict, Writer out) throws IOException {
        try {
            Marshaller marshaller = context.createMarshaller();
            marshaller.setProperty(Marshaller.JAXB_FRAGMENT, true);
            LibvirtStyleXmlWriter writer = new LibvirtStyleXmlWriter(out);
            marshaller.marshal(LibvirtMapping.toXml(host, guests, strict), writer);
            writer.writeEndDocument();
            out.flush();
        } catch (JAXBException e) {
            throw new IOException("cannot write libvirt XML: " + e.getMessage(), e);
        }
    }

    /** A read document: its host and nested guests. */
    public record Parsed(Host host, List<Guest> guests) {
    }

    public Parsed read(InputStream in) throws DocumentException {
        BoundedInputStream bounded = new BoundedInputStream(in, MAX_DOCUMENT_BYTES);
        XMLStreamReader reader = null;
        try {
            reader = new LimitedXmlReader(inputFactory.createXMLStreamReader(decoded(bounded)), "features");
            while (reader.hasNext() && reader.next() != XMLStreamConstants.START_ELEMENT) {
                if (reader.getEventType() == XMLStreamConstants.DTD) {
                    throw new DocumentException("DOCTYPE declarations are not accepted in capabilities documents");
                }
            }
            if (reader.getEventType() != XMLStreamConstants.START_ELEMENT) {
                throw new DocumentException("no XML element in the input");
            }
            String root = reader.getLocalName();
            if ("domainCapabilities".equals(root)) {
                throw new DocumentException("this is a domain capabilities document (virsh domcapabilities); "
                        + "expected host capabilities (virsh capabilities)");
            }
            if (!"capabilities".equals(root)) {
                throw new DocumentException("root element is <" + root + ">, expected <capabilities>");
            }
            Unmarshaller unmarshaller = context.createUnmarshaller();
            XmlCapabilities xml = unmarshaller.unmarshal(reader, XmlCapabilities.class).getValue();
            Host host = LibvirtMapping.toHost(xml.host);
            List<Guest> guests = new ArrayList<>();
            for (int i = 0; i < xml.guests.size(); i++) {
                guests.add(LibvirtMapping.toGuest(xml.guests.get(i), "/capabilities/guest[" + (i + 1) + "]"));
            }
            return new Parsed(host, guests);
        } catch (XMLStreamException e) {
            throw new DocumentException(reason(e, bounded, "malformed XML: "), e);
        } catch (UnmarshalException e) {
            Throwable cause = e.getLinkedException() != null ? e.getLinkedException() : e;
            throw new DocumentException(reason(cause, bounded, "malformed capabilities document: "), e);
        } catch (IOException e) {
            throw new DocumentException(reason(e, bounded, "reading XML: "), e);
        } catch (JAXBException | IllegalArgumentException e) {
            throw new DocumentException("malformed capabilities document: " + oneLine(e.getMessage()), e);
        } finally {
            if (reader != null) {
                try {
                    reader.close();
                } catch (XMLStreamException e) {
                    // nothing left to release
                }
            }
        }
    }

    /**
     * The input as characters, decoded here rather than by the parser: the JDK's parser prints
     * "[Fatal Error]" lines on stderr for bytes that are not valid in the document's encoding, which a
     * strict decoder refuses quietly. The encoding is the byte-order mark's, else the XML declaration's,
     * else UTF-8 (libvirt's).
     */
    private static Reader decoded(InputStream in) throws IOException, DocumentException {
        BufferedInputStream buffered = new BufferedInputStream(in, 8192);
        buffered.mark(DECLARATION_BYTES);
        byte[] head = buffered.readNBytes(DECLARATION_BYTES);
        buffered.reset();
        Charset charset = StandardCharsets.UTF_8;
        int bom = 0;
        if (head.length >= 3 && (head[0] & 0xff) == 0xef && (head[1] & 0xff) == 0xbb && (head[2] & 0xff) == 0xbf) {
            bom = 3;
        } else if (head.length >= 2 && (head[0] & 0xff) == 0xfe && (head[1] & 0xff) == 0xff) {
            charset = StandardCharsets.UTF_16BE;
            bom = 2;
        } else if (head.length >= 2 && (head[0] & 0xff) == 0xff && (head[1] & 0xff) == 0xfe) {
            charset = StandardCharsets.UTF_16LE;
            bom = 2;
        } else {
            Matcher declared = DECLARED_ENCODING.matcher(new String(head, StandardCharsets.ISO_8859_1));
            if (declared.find()) {
                try {
                    charset = Charset.forName(declared.group(1));
                } catch (IllegalArgumentException e) {
                    throw new DocumentException("unsupported encoding '" + declared.group(1) + "'");
                }
            }
        }
        buffered.skipNBytes(bom);
        return new InputStreamReader(buffered, charset.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT));
    }

    private static final int DECLARATION_BYTES = 256;
    private static final Pattern DECLARED_ENCODING = Pattern
            .compile("^<\\?xml\\s[^>]*?encoding\\s*=\\s*[\"']([A-Za-z0-9._:-]{1,40})[\"']");

    /** The one-line reason for a failure, from the most telling exception in its chain. */
    private static String reason(Throwable failure, BoundedInputStream bounded, String prefix) {
        if (bounded.exceeded()) {
            return "document larger than " + MAX_DOCUMENT_BYTES + " bytes";
        }
        int hops = 0;
        for (Throwable t = failure; t != null && hops < 16; t = t.getCause(), hops++) {
            if (t instanceof LimitedXmlReader.LimitException) {
                return "refused: " + t.getMessage();
            }
            if (t instanceof CharacterCodingException) {
                return prefix + "the input is not text in its encoding (binary data?)";
            }
        }
        return prefix + oneLine(failure.getMessage());
    }

    private static String oneLine(String message) {
        if (message == null) {
            return "unknown error";
        }
        String line = message.replaceAll("\\s+", " ").trim();
        return line.length() > 200 ? line.substring(0, 197) + "..." : line;
    }
}
