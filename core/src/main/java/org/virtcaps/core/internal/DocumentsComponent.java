package org.virtcaps.core.internal;

import org.virtcaps.core.api.GuestQuery;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.virtcaps.core.api.CapabilitiesDocuments;
import org.virtcaps.core.api.DocumentException;
import org.virtcaps.core.api.DocumentFormat;
import org.virtcaps.core.api.MachineDescriptions;
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
    // made on first use: a one-shot command needs one format, and Jackson's set-up is ~20 ms of start-up
    private volatile JsonDocumentWriter json;
    private volatile JsonDocumentReader jsonReader;
    private volatile MachineDescriptions descriptions;

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

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void setDescriptions(MachineDescriptions service) {
        this.descriptions = service;
    }

    void unsetDescriptions(MachineDescriptions service) {
        if (this.descriptions == service) {
            this.descriptions = null;
        }
    }

    private JsonDocumentWriter json() {
        JsonDocumentWriter writer = json;
        if (writer == null) {
            synchronized (this) {
                if (json == null) {
                    json = new JsonDocumentWriter();
                }
                writer = json;
            }
        }
        return writer;
    }

    private JsonDocumentReader jsonReader() {
        JsonDocumentReader reader = jsonReader;
        if (reader == null) {
            synchronized (this) {
                if (jsonReader == null) {
                    jsonReader = new JsonDocumentReader();
                }
                reader = jsonReader;
            }
        }
        return reader;
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
            case JSON -> json().write(caps, writer);
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
    public String format(Capabilities capabilities, DocumentFormat format, Locale locale) {
        JsonDocumentWriter.Describer describer = describer(locale);
        if (format != DocumentFormat.JSON || describer == null) {
            return format(capabilities, format);
        }
        StringWriter out = new StringWriter(65536);
        try {
            json().write(capabilities, out, describer);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    @Override
    public Capabilities read(InputStream in, DocumentFormat format, String source) throws DocumentException {
        return switch (format) {
            case LIBVIRT -> read(in, source);
            case JSON -> jsonReader().read(in);
            case SEED -> throw new IllegalArgumentException("the seed format cannot be read back; use libvirt or json");
        };
    }

    @Override
    public void writeQuery(Capabilities capabilities, GuestQuery query, Locale locale, OutputStream out)
            throws IOException {
        Writer writer = new OutputStreamWriter(out, StandardCharsets.UTF_8);
        json().writeQuery(capabilities, query, query.evaluate(capabilities.architectures()), writer, describer(locale));
        writer.flush();
    }

    @Override
    public void writeDrivers(Capabilities capabilities, OutputStream out) throws IOException {
        Writer writer = new OutputStreamWriter(out, StandardCharsets.UTF_8);
        json().writeDrivers(capabilities, writer);
        writer.flush();
    }

    /** Descriptions in the locale, or null when none are asked for or the service is absent. */
    private JsonDocumentWriter.Describer describer(Locale locale) {
        MachineDescriptions service = descriptions;
        if (locale == null || service == null) {
            return null;
        }
        return (machine, arch) -> service.lookup(machine, arch, locale)
                .map(MachineDescriptions.MachineDescription::text).orElse(null);
    }

    @Override
    public Capabilities read(InputStream in, String source) throws DocumentException {
        LibvirtXmlCodec.Parsed parsed = codec().read(in);
        return new Capabilities(parsed.host(), parsed.guests(), GuestGrouping.flatten(parsed.guests()), java.util.List.of(),
                0, Instant.now(), source == null ? "document" : source);
    }
}
