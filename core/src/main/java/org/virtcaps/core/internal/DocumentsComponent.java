package org.virtcaps.core.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;

import org.osgi.service.component.annotations.Component;
import org.virtcaps.core.api.CapabilitiesDocuments;
import org.virtcaps.core.api.DocumentException;
import org.virtcaps.core.api.DocumentFormat;
import org.virtcaps.core.internal.libvirt.LibvirtXmlCodec;
import org.virtcaps.core.model.Capabilities;

/**
 * The document formats as a service. The JAXB context is the costliest thing core creates, so it is
 * built on a background thread as soon as the component exists, while drivers probe.
 */
// Immediate, and listed before LocalCapabilitiesService in the Service-Component header (bnd sorts by
// class name; SCR activates in that order): the JAXB context, the slowest thing core builds, then starts
// before the host probe.
@Component(service = CapabilitiesDocuments.class, immediate = true)
public class DocumentsComponent implements CapabilitiesDocuments {
    private final CompletableFuture<LibvirtXmlCodec> libvirt;
    private final SeedXmlWriter seed = new SeedXmlWriter();
    private final JsonDocumentWriter json = new JsonDocumentWriter();

    public DocumentsComponent() {
        Thread.UncaughtExceptionHandler ignore = (t, e) -> { };
        libvirt = new CompletableFuture<>();
        Thread init = new Thread(() -> {
            try {
                libvirt.complete(new LibvirtXmlCodec());
            } catch (Throwable e) {
                libvirt.completeExceptionally(e);
            }
        }, "virtcaps-jaxb-init");
        init.setDaemon(true);
        init.setUncaughtExceptionHandler(ignore);
        init.setContextClassLoader(getClass().getClassLoader());
        init.start();
    }

    private LibvirtXmlCodec codec() {
        return libvirt.join();
    }

    @Override
    public void write(Capabilities capabilities, DocumentFormat format, OutputStream out) throws IOException {
        Writer writer = new OutputStreamWriter(out, StandardCharsets.UTF_8);
        write(capabilities, format, writer);
        writer.flush();
    }

    private void write(Capabilities caps, DocumentFormat format, Writer writer) throws IOException {
        switch (format) {
            // probed documents keep to libvirt 9.0's schema; read documents are written back as they came
            case LIBVIRT -> codec().write(caps.host(), caps.guests(), "probe".equals(caps.source()), writer);
            case SEED -> seed.write(caps, writer);
            case JSON -> json.write(caps, writer);
        }
    }

    @Override
    public String format(Capabilities capabilities, DocumentFormat format) {
        StringWriter out = new StringWriter(16384);
        try {
            write(capabilities, format, out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    @Override
    public Capabilities read(InputStream in, String source) throws DocumentException {
        LibvirtXmlCodec.Parsed parsed = codec().read(in);
        return new Capabilities(parsed.host(), parsed.guests(), GuestGrouping.flatten(parsed.guests()), java.util.List.of(),
                0, Instant.now(), source == null ? "document" : source);
    }
}
