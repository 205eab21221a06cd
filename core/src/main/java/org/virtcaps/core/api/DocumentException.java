package org.virtcaps.core.api;

/** A capabilities document could not be read; the message says why in one line. */
public class DocumentException extends Exception {
    private static final long serialVersionUID = 1L;

    public DocumentException(String message) {
        super(message);
    }

    public DocumentException(String message, Throwable cause) {
        super(message, cause);
    }
}
