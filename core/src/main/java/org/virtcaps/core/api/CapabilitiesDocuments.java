package org.virtcaps.core.api;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

import org.osgi.annotation.versioning.ProviderType;
import org.virtcaps.core.model.Capabilities;

/** Writes capabilities in every {@link DocumentFormat} and reads libvirt capabilities XML. */
@ProviderType
public interface CapabilitiesDocuments {

    /** Writes the document in the format, UTF-8 encoded. */
    void write(Capabilities capabilities, DocumentFormat format, OutputStream out) throws IOException;

    /** The document as a string. */
    String format(Capabilities capabilities, DocumentFormat format);

    /**
     * The document as a string, with machine descriptions in the locale where the format carries them
     * (JSON) and a {@link MachineDescriptions} service is present.
     */
    String format(Capabilities capabilities, DocumentFormat format, java.util.Locale descriptions);

    /**
     * Reads a libvirt capabilities document (e.g. saved {@code virsh capabilities} output). External
     * entities and DTDs are refused.
     *
     * @param source where it came from, kept as {@link Capabilities#source()}
     * @throws DocumentException when the input is not a well-formed capabilities document
     */
    Capabilities read(InputStream in, String source) throws DocumentException;
}
