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

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.FrameworkUtil;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Modified;
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
@Component(service = CapabilitiesDocuments.class, immediate = true, configurationPid = "org.virtcaps.core",
        configurationPolicy = ConfigurationPolicy.OPTIONAL)
public class DocumentsComponent implements CapabilitiesDocuments {
    private final CompletableFuture<LibvirtXmlCodec> libvirt;
    private final SeedXmlWriter seed = new SeedXmlWriter();
    // made on first use: a one-shot command needs one format, and Jackson's set-up is ~20 ms of start-up
    private JsonDocumentWriter json;
    private JsonDocumentReader jsonReader;
    private volatile MachineDescriptions descriptions;
    /** Where probed documents' libvirt renderings are kept (the probe cache's settings); null: nowhere. */
    private volatile RenderCache renderCache;
    /** What the rendering depends on besides the document: this code and the JAXB runtime (found on first use). */
    private volatile String renderer;
    /** Whether the JAXB context is being built in the background from the start. */
    private final boolean eager;

    /**
     * Framework property. {@code eager} (default; a long-lived platform): the JAXB context is built on a
     * background thread as soon as the component exists, and renderings are kept in memory by whoever
     * serves them. {@code lazy} (what one-shot commands ask for): the libvirt renderings of probed documents
     * are cached on disk beside the probe cache, and the JAXB context is built only when a document has to
     * be read or rendered afresh, so a repeated command with nothing changed never builds it.
     */
    static final String PREPARE_PROPERTY = "virtcaps.documents.prepare";

    @Activate
    public DocumentsComponent(BundleContext context, CoreConfig config) {
        this(renderCache(context, config));
    }

    /** The on-disk render cache: only in lazy mode and when caching is on. */
    private static RenderCache renderCache(BundleContext context, CoreConfig config) {
        if (!"lazy".equals(context.getProperty(PREPARE_PROPERTY))) {
            return null;
        }
        Settings settings = Settings.from(config, context::getProperty);
        return settings.cacheEnabled() ? new RenderCache(settings.cacheDir().resolve("documents")) : null;
    }

    @Modified
    void modified(BundleContext context, CoreConfig config) {
        renderCache = renderCache(context, config);
    }

    /** For tests and embedding: nothing is cached; the JAXB context is built in the background at once. */
    public DocumentsComponent() {
        this((RenderCache) null);
    }

    /**
     * Eager unless there is a render cache to answer from. Lazy even when it is empty: a first run's probes
     * keep both cores busy, so building the context alongside them gains nothing and slows the probes
     * (measured: end to end the same, QEMU probing ~0.1 s longer).
     */
    private DocumentsComponent(RenderCache cache) {
        this.renderCache = cache;
        this.eager = cache == null;
        libvirt = new CompletableFuture<>();
        if (eager) {
            Thread init = new Thread(this::buildCodec, "virtcaps-jaxb-init");
            init.setDaemon(true);
            init.setUncaughtExceptionHandler((t, e) -> { });
            init.setContextClassLoader(getClass().getClassLoader());
            init.start();
        }
    }

    private void buildCodec() {
        try {
            libvirt.complete(new LibvirtXmlCodec());
        } catch (Throwable e) {
            libvirt.completeExceptionally(e);
        }
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

    private synchronized JsonDocumentWriter json() {
        if (json == null) {
            json = new JsonDocumentWriter();
        }
        return json;
    }

    private synchronized JsonDocumentReader jsonReader() {
        if (jsonReader == null) {
            jsonReader = new JsonDocumentReader();
        }
        return jsonReader;
    }

    private LibvirtXmlCodec codec() {
        if (!libvirt.isDone()) {
            synchronized (libvirt) {
                // lazy, or eager and still building: the background thread completes it (the first caller
                // would otherwise build a second context); lazy and not yet asked: build it here
                if (!libvirt.isDone() && !eager) {
                    buildCodec();
                }
            }
        }
        return libvirt.join();
    }

    /**
     * The bundles whose code decides how a model is rendered (this one and the JAXB runtime): name,
     * version, and their jar's size and modification time (bundles are built reproducibly, without a build
     * time in the manifest, and a snapshot keeps its version) or, for bundles not installed from a file, the
     * time the framework last installed or updated them. A rebuilt or upgraded bundle never serves an old
     * rendering.
     */
    private String renderer() {
        String identity = renderer;
        if (identity == null) {
            identity = rendererIdentity();
            renderer = identity == null ? "" : identity;
        }
        return identity == null || identity.isEmpty() ? null : identity;
    }

    private static String rendererIdentity() {
        StringBuilder identity = new StringBuilder();
        for (Class<?> type : new Class<?>[] { DocumentsComponent.class, jakarta.xml.bind.JAXBContext.class,
                org.glassfish.jaxb.runtime.v2.JAXBContextFactory.class }) {
            Bundle bundle = FrameworkUtil.getBundle(type);
            if (bundle == null) {
                return null; // not in a framework: no identity, no cache
            }
            identity.append(bundle.getSymbolicName()).append(' ').append(bundle.getVersion()).append(' ')
                    .append(origin(bundle)).append(';');
        }
        return identity.toString();
    }

    private static String origin(Bundle bundle) {
        String location = bundle.getLocation();
        String file = location.startsWith("reference:") ? location.substring("reference:".length()) : location;
        if (file.startsWith("file:")) {
            try {
                java.nio.file.Path jar = java.nio.file.Path.of(java.net.URI.create(file));
                return jar + " " + java.nio.file.Files.size(jar) + " "
                        + java.nio.file.Files.getLastModifiedTime(jar).toMillis();
            } catch (IOException | RuntimeException e) {
                // fall through to the framework's record
            }
        }
        return location + " " + bundle.getLastModified();
    }

    /**
     * libvirt XML of a probed document from the render cache when the same document was rendered by the
     * same code before; else rendered (and kept). Documents read from elsewhere are rendered every time.
     */
    private void writeLibvirt(Capabilities caps, Writer writer) throws IOException {
        boolean probed = "probe".equals(caps.source());
        RenderCache cache = renderCache;
        String identity = cache == null || !probed ? null : renderer();
        if (identity == null) {
            codec().write(caps.host(), caps.guests(), probed, writer);
            return;
        }
        byte[] key;
        try {
            key = new ModelBytes().of(java.util.List.of(caps.host(), caps.guests()));
        } catch (RuntimeException e) {
            // a model value with no canonical form (a future component type): render without the cache
            codec().write(caps.host(), caps.guests(), true, writer);
            return;
        }
        java.util.Optional<String> cached = cache.lookup("libvirt", identity, key);
        if (cached.isPresent()) {
            writer.write(cached.get());
            return;
        }
        StringWriter rendered = new StringWriter(65536);
        codec().write(caps.host(), caps.guests(), true, rendered);
        cache.store("libvirt", identity, key, rendered.toString());
        writer.write(rendered.toString());
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
            case LIBVIRT -> writeLibvirt(caps, writer);
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
