package org.virtcaps.core.internal.libvirt;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.util.ArrayDeque;
import java.util.Deque;

import javax.xml.namespace.NamespaceContext;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamWriter;

/**
 * An {@link XMLStreamWriter} that formats the way libvirt writes its documents: two-space indentation,
 * single-quoted attributes, empty elements self-closed, text elements on one line, a blank line around
 * each child of the root element and no XML declaration. JAXB marshals into it; the seed writer uses it
 * directly.
 */
public final class LibvirtStyleXmlWriter implements XMLStreamWriter {
    private final Writer out;
    private final Deque<Frame> open = new ArrayDeque<>();
    private boolean tagOpen;

    private static final class Frame {
        final String name;
        boolean hasChildren;

        Frame(String name) {
            this.name = name;
        }
    }

    public LibvirtStyleXmlWriter(Writer out) {
        this.out = out;
    }

    private void write(String s) {
        try {
            out.write(s);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void closeStartTag() {
        if (tagOpen) {
            write(">");
            tagOpen = false;
        }
    }

    private void newline(int depth) {
        write("\n");
        write("  ".repeat(depth));
    }

    @Override
    public void writeStartElement(String localName) {
        closeStartTag();
        Frame parent = open.peek();
        if (parent != null) {
            parent.hasChildren = true;
            if (open.size() == 1) {
                write("\n");
            }
            newline(open.size());
        }
        write("<" + localName);
        open.push(new Frame(localName));
        tagOpen = true;
    }

    @Override
    public void writeStartElement(String namespaceURI, String localName) {
        writeStartElement(localName);
    }

    @Override
    public void writeStartElement(String prefix, String localName, String namespaceURI) {
        writeStartElement(localName);
    }

    @Override
    public void writeEmptyElement(String localName) {
        writeStartElement(localName);
        writeEndElement();
    }

    @Override
    public void writeEmptyElement(String namespaceURI, String localName) {
        writeEmptyElement(localName);
    }

    @Override
    public void writeEmptyElement(String prefix, String localName, String namespaceURI) {
        writeEmptyElement(localName);
    }

    @Override
    public void writeEndElement() {
        Frame frame = open.pop();
        if (tagOpen) {
            write("/>");
            tagOpen = false;
            return;
        }
        if (frame.hasChildren) {
            if (open.isEmpty()) {
                write("\n");
            }
            newline(open.size());
        }
        write("</" + frame.name + ">");
    }

    @Override
    public void writeEndDocument() {
        while (!open.isEmpty()) {
            writeEndElement();
        }
        write("\n");
    }

    @Override
    public void writeAttribute(String localName, String value) {
        write(" " + localName + "='" + escape(value, true) + "'");
    }

    @Override
    public void writeAttribute(String prefix, String namespaceURI, String localName, String value) {
        writeAttribute(localName, value);
    }

    @Override
    public void writeAttribute(String namespaceURI, String localName, String value) {
        writeAttribute(localName, value);
    }

    @Override
    public void writeCharacters(String text) {
        if (text.isEmpty()) {
            return;
        }
        closeStartTag();
        write(escape(text, false));
    }

    @Override
    public void writeCharacters(char[] text, int start, int len) {
        writeCharacters(new String(text, start, len));
    }

    static String escape(String text, boolean attribute) {
        StringBuilder sb = null;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            String replacement = switch (c) {
                case '&' -> "&amp;";
                case '<' -> "&lt;";
                case '>' -> "&gt;";
                case '\'' -> attribute ? "&apos;" : null;
                case '"' -> attribute ? "&quot;" : null;
                default -> c < 0x20 && c != '\n' && c != '\t' && c != '\r' ? "" : null;
            };
            if (replacement != null) {
                if (sb == null) {
                    sb = new StringBuilder(text.length() + 16).append(text, 0, i);
                }
                sb.append(replacement);
            } else if (sb != null) {
                sb.append(c);
            }
        }
        return sb == null ? text : sb.toString();
    }

    // --- what JAXB may call that a namespace-free, declaration-free document does not need

    @Override
    public void writeStartDocument() {
    }

    @Override
    public void writeStartDocument(String version) {
    }

    @Override
    public void writeStartDocument(String encoding, String version) {
    }

    @Override
    public void writeComment(String data) {
        closeStartTag();
        write("<!--" + data.replace("--", "- -") + "-->");
    }

    @Override
    public void writeProcessingInstruction(String target) {
    }

    @Override
    public void writeProcessingInstruction(String target, String data) {
    }

    @Override
    public void writeCData(String data) {
        writeCharacters(data);
    }

    @Override
    public void writeDTD(String dtd) {
    }

    @Override
    public void writeEntityRef(String name) {
    }

    @Override
    public void writeNamespace(String prefix, String namespaceURI) {
    }

    @Override
    public void writeDefaultNamespace(String namespaceURI) {
    }

    @Override
    public void close() {
    }

    @Override
    public void flush() throws XMLStreamException {
        try {
            out.flush();
        } catch (IOException e) {
            throw new XMLStreamException(e);
        }
    }

    @Override
    public String getPrefix(String uri) {
        return "";
    }

    @Override
    public void setPrefix(String prefix, String uri) {
    }

    @Override
    public void setDefaultNamespace(String uri) {
    }

    @Override
    public void setNamespaceContext(NamespaceContext context) {
    }

    @Override
    public NamespaceContext getNamespaceContext() {
        return null;
    }

    @Override
    public Object getProperty(String name) {
        throw new IllegalArgumentException(name);
    }
}
