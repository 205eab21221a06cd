package org.virtcaps.core.internal.libvirt;

import javax.xml.stream.Location;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;
import javax.xml.stream.util.StreamReaderDelegate;

import org.virtcaps.core.internal.DocumentLimits;

/**
 * Counts elements and nesting depth as the document is pulled, and refuses the document the moment it
 * passes {@link DocumentLimits#MAX_DEPTH} or {@link DocumentLimits#MAX_ELEMENTS}: before anything is
 * built from it, so the refusal costs no more than reading that far.
 */
final class LimitedXmlReader extends StreamReaderDelegate {
    /** A document beyond a limit; its message is the one-line reason. */
    static final class LimitException extends XMLStreamException {
        private static final long serialVersionUID = 1L;

        LimitException(String message) {
            super(message);
        }
    }

    private final int maxDepth;
    private final int maxElements;
    /** Elements whose content is kept as it came (DOM), each costing far more than a bound one. */
    private final String openContainer;
    private final int maxOpenElements;
    private int depth;
    private int elements;
    /** The depth of the open container being read, 0 outside one. */
    private int openDepth;
    private int openElements;

    /** @param openContainer name of the elements whose content JAXB keeps as DOM */
    LimitedXmlReader(XMLStreamReader reader, String openContainer) {
        this(reader, DocumentLimits.MAX_DEPTH, DocumentLimits.MAX_ELEMENTS, openContainer,
                DocumentLimits.MAX_OPEN_ELEMENTS);
    }

    LimitedXmlReader(XMLStreamReader reader, int maxDepth, int maxElements, String openContainer,
            int maxOpenElements) {
        super(reader);
        this.maxDepth = maxDepth;
        this.maxElements = maxElements;
        this.openContainer = openContainer;
        this.maxOpenElements = maxOpenElements;
    }

    @Override
    public int next() throws XMLStreamException {
        int event = super.next();
        if (event == XMLStreamConstants.START_ELEMENT) {
            depth++;
            elements++;
            if (depth > maxDepth) {
                throw new LimitException("elements nested deeper than " + maxDepth + " levels" + at());
            }
            if (elements > maxElements) {
                throw new LimitException("more than " + maxElements + " elements" + at());
            }
            if (openDepth > 0) {
                if (++openElements > maxOpenElements) {
                    throw new LimitException("more than " + maxOpenElements + " elements inside <" + openContainer
                            + "> blocks" + at());
                }
            } else if (openContainer.equals(getLocalName())) {
                openDepth = depth;
            }
        } else if (event == XMLStreamConstants.END_ELEMENT) {
            if (depth == openDepth) {
                openDepth = 0;
            }
            depth--;
        }
        return event;
    }

    // the delegate's own nextTag() would pull events past next() and so past the counts
    @Override
    public int nextTag() throws XMLStreamException {
        int event = next();
        while (event == XMLStreamConstants.CHARACTERS && isWhiteSpace()
                || event == XMLStreamConstants.CDATA && isWhiteSpace()
                || event == XMLStreamConstants.SPACE || event == XMLStreamConstants.COMMENT
                || event == XMLStreamConstants.PROCESSING_INSTRUCTION) {
            event = next();
        }
        if (event != XMLStreamConstants.START_ELEMENT && event != XMLStreamConstants.END_ELEMENT) {
            throw new XMLStreamException("expected a start or end tag", getLocation());
        }
        return event;
    }

    // likewise: the delegate's own would consume the end tag without counting it
    @Override
    public String getElementText() throws XMLStreamException {
        if (getEventType() != XMLStreamConstants.START_ELEMENT) {
            throw new XMLStreamException("not at a start tag", getLocation());
        }
        StringBuilder text = new StringBuilder();
        for (int event = next(); event != XMLStreamConstants.END_ELEMENT; event = next()) {
            switch (event) {
                case XMLStreamConstants.CHARACTERS, XMLStreamConstants.CDATA, XMLStreamConstants.SPACE,
                        XMLStreamConstants.ENTITY_REFERENCE -> text.append(getText());
                case XMLStreamConstants.COMMENT, XMLStreamConstants.PROCESSING_INSTRUCTION -> {
                }
                default -> throw new XMLStreamException("an element with text only was expected", getLocation());
            }
        }
        return text.toString();
    }

    private String at() {
        Location location = getLocation();
        return location == null || location.getLineNumber() < 0 ? ""
                : " (line " + location.getLineNumber() + ", column " + location.getColumnNumber() + ")";
    }
}
