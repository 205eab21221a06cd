package org.virtcaps.core.internal.libvirt;

import org.virtcaps.core.internal.BoundedInputStream;

import java.io.IOException;
import java.io.InputStream;
import java.io.Writer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

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
    public static final int MAX_DOCUMENT_BYTES = 16 << 20;

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
            reader = inputFactory.createXMLStreamReader(bounded);
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
            for (XmlCapabilities.XmlGuest g : xml.guests) {
                guests.add(LibvirtMapping.toGuest(g));
            }
            return new Parsed(host, guests);
        } catch (XMLStreamException e) {
            throw new DocumentException(bounded.exceeded() ? "document larger than " + MAX_DOCUMENT_BYTES + " bytes"
                    : "malformed XML: " + oneLine(e.getMessage()), e);
        } catch (UnmarshalException e) {
            Throwable cause = e.getLinkedException() != null ? e.getLinkedException() : e;
            throw new DocumentException(bounded.exceeded() ? "document larger than " + MAX_DOCUMENT_BYTES + " bytes"
                    : "malformed capabilities document: " + oneLine(String.valueOf(cause.getMessage())), e);
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

    private static String oneLine(String message) {
        if (message == null) {
            return "unknown error";
        }
        String line = message.replaceAll("\\s+", " ").trim();
        return line.length() > 200 ? line.substring(0, 197) + "..." : line;
    }
}
