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

    /**
     * Reads a document in a format that carries the whole model: {@link DocumentFormat#LIBVIRT} (as
     * {@link #read(InputStream, String)}) or {@link DocumentFormat#JSON}, which comes back exactly as it was
     * written, driver reports, generation and source included (what a remote host serves). Input is
     * limited in size.
     *
     * @throws DocumentException when the input is not such a document, with the reason in one line
     * @throws IllegalArgumentException for {@link DocumentFormat#SEED}, which cannot be read back
     * @since 1.1
     */
    Capabilities read(InputStream in, DocumentFormat format, String source) throws DocumentException;

    /**
     * Writes a guest query's answer as JSON: the query, the matching guest architectures (as in the JSON
     * document), their count and the total, and the facet counts; with machine descriptions in the locale
     * when one is given and a {@link MachineDescriptions} service is present.
     *
     * @since 1.1
     */
    void writeQuery(Capabilities capabilities, GuestQuery query, java.util.Locale descriptions, OutputStream out)
            throws IOException;

    /**
     * Writes the driver reports and the host's diagnostics as JSON.
     *
     * @since 1.1
     */
    void writeDrivers(Capabilities capabilities, OutputStream out) throws IOException;
}
