package org.virtcaps.core.internal;

import java.io.IOException;
import java.io.Writer;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.virtcaps.core.api.GuestQuery;
import org.virtcaps.core.api.GuestQueryResult;

import org.virtcaps.core.model.CacheBank;
import org.virtcaps.core.model.Capabilities;
import org.virtcaps.core.model.Diagnostic;
import org.virtcaps.core.model.DriverReport;
import org.virtcaps.core.model.Guest;
import org.virtcaps.core.model.GuestArchitecture;
import org.virtcaps.core.model.GuestDomain;
import org.virtcaps.core.model.GuestFeature;
import org.virtcaps.core.model.HardwareVirtualization;
import org.virtcaps.core.model.Host;
import org.virtcaps.core.model.HostCpu;
import org.virtcaps.core.model.Machine;
import org.virtcaps.core.model.NumaCell;
import org.virtcaps.core.model.SecurityModel;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;

/**
 * JSON: the host, the flat guest architectures (what user interfaces list and filter), libvirt's nested
 * guests, and every driver's report. Streamed with jackson-core; absent values are left out, not null.
 */
final class JsonDocumentWriter {
    // the caller owns the stream: closing a generator must not close it
    private final JsonFactory factory = JsonFactory.builder().disable(com.fasterxml.jackson.core.StreamWriteFeature.AUTO_CLOSE_TARGET).build();

    /** Machine name and arch → description, or null. */
    interface Describer {
        String describe(String machine, String arch);
    }

    void write(Capabilities caps, Writer out) throws IOException {
        write(caps, out, null);
    }

    void write(Capabilities caps, Writer out, Describer describer) throws IOException {
        try (JsonGenerator json = factory.createGenerator(out)) {
            json.useDefaultPrettyPrinter();
            json.writeStartObject();
            json.writeNumberField("generation", caps.generation());
            json.writeStringField("createdAt", caps.createdAt().toString());
            json.writeStringField("source", caps.source());
            json.writeFieldName("host");
            host(json, caps.host());
            json.writeArrayFieldStart("guestArchitectures");
            for (GuestArchitecture g : caps.architectures()) {
                architecture(json, g, describer);
            }
            json.writeEndArray();
            json.writeArrayFieldStart("guests");
            for (Guest g : caps.guests()) {
                guest(json, g);
            }
            json.writeEndArray();
            drivers(json, caps.drivers());
            json.writeEndObject();
        }
        out.write('\n');
        out.flush();
    }

    /**
     * A guest query's answer: the query as understood, the matching flat entries (as in the document),
     * and the facet counts, with machine descriptions when a describer is given.
     */
    void writeQuery(Capabilities caps, GuestQuery query, GuestQueryResult result, Writer out, Describer describer)
            throws IOException {
        try (JsonGenerator json = factory.createGenerator(out)) {
            json.useDefaultPrettyPrinter();
            json.writeStartObject();
            json.writeNumberField("generation", caps.generation());
            json.writeObjectFieldStart("query");
            if (query.fullVirt() != null) {
                json.writeBooleanField("fullvirt", query.fullVirt());
            }
            string(json, "family", query.family());
            number(json, "wordsize", query.wordsize());
            string(json, "domain", query.domainType());
            string(json, "arch", query.arch());
            json.writeEndObject();
            json.writeNumberField("count", result.matches().size());
            json.writeNumberField("total", caps.architectures().size());
            json.writeArrayFieldStart("guestArchitectures");
            for (GuestArchitecture g : result.matches()) {
                architecture(json, g, describer);
            }
            json.writeEndArray();
            json.writeObjectFieldStart("facets");
            for (Map.Entry<String, Map<String, Integer>> facet : new TreeMap<>(result.facets()).entrySet()) {
                json.writeObjectFieldStart(facet.getKey());
                for (Map.Entry<String, Integer> choice : new TreeMap<>(facet.getValue()).entrySet()) {
                    json.writeNumberField(choice.getKey(), choice.getValue());
                }
                json.writeEndObject();
            }
            json.writeEndObject();
            json.writeEndObject();
        }
        out.write('\n');
        out.flush();
    }

    /** The driver reports and the host's diagnostics: what {@code drivers} tells. */
    void writeDrivers(Capabilities caps, Writer out) throws IOException {
        try (JsonGenerator json = factory.createGenerator(out)) {
            json.useDefaultPrettyPrinter();
            json.writeStartObject();
            json.writeNumberField("generation", caps.generation());
            json.writeStringField("source", caps.source());
            drivers(json, caps.drivers());
            json.writeObjectFieldStart("host");
            diagnostics(json, caps.host().diagnostics());
            HardwareVirtualization hv = caps.host().virtualization();
            if (hv != null) {
                string(json, "hardwareVirtualization", hv.reason());
            }
            json.writeEndObject();
            json.writeEndObject();
        }
        out.write('\n');
        out.flush();
    }

    private static void drivers(JsonGenerator json, List<DriverReport> drivers) throws IOException {
        json.writeArrayFieldStart("drivers");
        for (DriverReport d : drivers) {
            json.writeStartObject();
            json.writeStringField("name", d.name());
            json.writeStringField("state", d.state().name().toLowerCase(java.util.Locale.ROOT));
            json.writeNumberField("guests", d.guestCount());
            json.writeNumberField("probeMillis", d.probeTime().toMillis());
            diagnostics(json, d.diagnostics());
            json.writeEndObject();
        }
        json.writeEndArray();
    }

    private static void host(JsonGenerator json, Host host) throws IOException {
        json.writeStartObject();
        string(json, "uuid", host.uuid());
        HostCpu cpu = host.cpu();
        json.writeObjectFieldStart("cpu");
        json.writeStringField("arch", cpu.arch());
        string(json, "model", cpu.model());
        string(json, "vendor", cpu.vendor());
        string(json, "modelName", cpu.modelName());
        if (cpu.signature() != null) {
            json.writeObjectFieldStart("signature");
            json.writeNumberField("family", cpu.signature().family());
            json.writeNumberField("model", cpu.signature().model());
            json.writeNumberField("stepping", cpu.signature().stepping());
            json.writeEndObject();
        }
        if (cpu.microcode() != null) {
            json.writeNumberField("microcode", cpu.microcode());
        }
        if (cpu.counter() != null) {
            json.writeObjectFieldStart("counter");
            json.writeStringField("name", cpu.counter().name());
            json.writeNumberField("frequency", cpu.counter().frequency());
            json.writeBooleanField("scaling", cpu.counter().scaling());
            json.writeEndObject();
        }
        if (cpu.topology() != null) {
            json.writeObjectFieldStart("topology");
            json.writeNumberField("sockets", cpu.topology().sockets());
            number(json, "dies", cpu.topology().dies());
            number(json, "clusters", cpu.topology().clusters());
            json.writeNumberField("cores", cpu.topology().cores());
            json.writeNumberField("threads", cpu.topology().threads());
            json.writeEndObject();
        }
        if (!cpu.legacyFeatures().isEmpty()) {
            strings(json, "legacyFeatures", cpu.legacyFeatures());
        }
        strings(json, "flags", cpu.flags());
        json.writeArrayFieldStart("pageSizesKiB");
        for (long size : cpu.pageSizesKiB()) {
            json.writeNumber(size);
        }
        json.writeEndArray();
        json.writeEndObject();
        if (host.memoryKiB() != null) {
            json.writeNumberField("memoryKiB", host.memoryKiB());
        }
        HardwareVirtualization hv = host.virtualization();
        if (hv != null) {
            json.writeObjectFieldStart("hardwareVirtualization");
            string(json, "cpuFlag", hv.cpuFlag());
            json.writeBooleanField("present", hv.present());
            json.writeBooleanField("kvmDevice", hv.kvmDevice());
            json.writeBooleanField("kvmUsable", hv.kvmUsable());
            string(json, "reason", hv.reason());
            json.writeEndObject();
        }
        if (host.power() != null) {
            json.writeObjectFieldStart("powerManagement");
            json.writeBooleanField("suspendMem", host.power().suspendMem());
            json.writeBooleanField("suspendDisk", host.power().suspendDisk());
            json.writeBooleanField("suspendHybrid", host.power().suspendHybrid());
            json.writeEndObject();
        }
        if (host.iommu() != null) {
            json.writeBooleanField("iommu", host.iommu());
        }
        if (host.migration() != null) {
            json.writeObjectFieldStart("migration");
            json.writeBooleanField("live", host.migration().live());
            strings(json, "uriTransports", host.migration().uriTransports());
            json.writeEndObject();
        }
        json.writeArrayFieldStart("numaCells");
        for (NumaCell cell : host.cells()) {
            json.writeStartObject();
            json.writeNumberField("id", cell.id());
            if (cell.memoryKiB() != null) {
                json.writeNumberField("memoryKiB", cell.memoryKiB());
            }
            json.writeObjectFieldStart("pages");
            for (NumaCell.PageCount p : cell.pages()) {
                json.writeNumberField(Long.toString(p.sizeKiB()), p.count());
            }
            json.writeEndObject();
            json.writeObjectFieldStart("distances");
            for (NumaCell.Distance d : cell.distances()) {
                json.writeNumberField(Integer.toString(d.id()), d.value());
            }
            json.writeEndObject();
            number(json, "cpuCount", cell.cpuCount());
            json.writeArrayFieldStart("cpus");
            for (NumaCell.CellCpu c : cell.cpus()) {
                json.writeStartObject();
                json.writeNumberField("id", c.id());
                number(json, "socketId", c.socketId());
                number(json, "dieId", c.dieId());
                number(json, "clusterId", c.clusterId());
                number(json, "coreId", c.coreId());
                string(json, "siblings", c.siblings());
                json.writeEndObject();
            }
            json.writeEndArray();
            json.writeEndObject();
        }
        json.writeEndArray();
        json.writeArrayFieldStart("cache");
        for (CacheBank bank : host.cache()) {
            json.writeStartObject();
            json.writeNumberField("id", bank.id());
            json.writeNumberField("level", bank.level());
            json.writeStringField("type", bank.type());
            json.writeNumberField("size", bank.size());
            json.writeStringField("unit", bank.unit());
            json.writeStringField("cpus", bank.cpus());
            json.writeEndObject();
        }
        json.writeEndArray();
        json.writeArrayFieldStart("securityModels");
        for (SecurityModel model : host.securityModels()) {
            json.writeStartObject();
            string(json, "model", model.model());
            string(json, "doi", model.doi());
            json.writeObjectFieldStart("baseLabels");
            for (SecurityModel.BaseLabel label : model.baseLabels()) {
                json.writeStringField(label.type(), label.label());
            }
            json.writeEndObject();
            json.writeEndObject();
        }
        json.writeEndArray();
        diagnostics(json, host.diagnostics());
        json.writeEndObject();
    }

    private static void architecture(JsonGenerator json, GuestArchitecture g, Describer describer)
            throws IOException {
        json.writeStartObject();
        json.writeStringField("arch", g.arch());
        json.writeNumberField("wordsize", g.wordsize());
        json.writeStringField("osType", g.osType());
        json.writeStringField("virtualization", g.virtualization());
        json.writeStringField("family", g.family());
        json.writeStringField("domainType", g.domainType());
        string(json, "emulator", g.emulator());
        string(json, "loader", g.loader());
        machines(json, g.machines(), describer, g.arch());
        features(json, g.features());
        json.writeObjectFieldStart("driverFlags");
        for (Map.Entry<String, String> flag : g.driverFlags().entrySet()) {
            json.writeStringField(flag.getKey(), flag.getValue());
        }
        json.writeEndObject();
        string(json, "driver", g.driver());
        json.writeEndObject();
    }

    private static void guest(JsonGenerator json, Guest g) throws IOException {
        json.writeStartObject();
        json.writeStringField("osType", g.osType());
        json.writeStringField("arch", g.arch());
        json.writeNumberField("wordsize", g.wordsize());
        string(json, "emulator", g.emulator());
        string(json, "loader", g.loader());
        machines(json, g.machines());
        json.writeArrayFieldStart("domains");
        for (GuestDomain d : g.domains()) {
            json.writeStartObject();
            json.writeStringField("type", d.type());
            string(json, "emulator", d.emulator());
            if (!d.machines().isEmpty()) {
                machines(json, d.machines());
            }
            json.writeEndObject();
        }
        json.writeEndArray();
        features(json, g.features());
        json.writeEndObject();
    }

    private static void machines(JsonGenerator json, List<Machine> machines) throws IOException {
        machines(json, machines, null, null);
    }

    private static void machines(JsonGenerator json, List<Machine> machines, Describer describer, String arch)
            throws IOException {
        json.writeArrayFieldStart("machines");
        for (Machine m : machines) {
            json.writeStartObject();
            json.writeStringField("name", m.name());
            if (describer != null) {
                string(json, "description", describer.describe(m.name(), arch));
            }
            string(json, "canonical", m.canonical());
            number(json, "maxCpus", m.maxCpus());
            if (m.deprecated() != null) {
                json.writeBooleanField("deprecated", m.deprecated());
            }
            json.writeEndObject();
        }
        json.writeEndArray();
    }

    private static void features(JsonGenerator json, List<GuestFeature> features) throws IOException {
        json.writeArrayFieldStart("features");
        for (GuestFeature f : features) {
            json.writeStartObject();
            json.writeStringField("name", f.name());
            if (f.defaultOn() != null) {
                json.writeBooleanField("default", f.defaultOn());
            }
            if (f.toggle() != null) {
                json.writeBooleanField("toggle", f.toggle());
            }
            json.writeEndObject();
        }
        json.writeEndArray();
    }

    private static void diagnostics(JsonGenerator json, List<Diagnostic> diagnostics) throws IOException {
        json.writeArrayFieldStart("diagnostics");
        for (Diagnostic d : diagnostics) {
            json.writeStartObject();
            json.writeStringField("severity", d.severity().name().toLowerCase(java.util.Locale.ROOT));
            json.writeStringField("source", d.source());
            json.writeStringField("message", d.message());
            json.writeEndObject();
        }
        json.writeEndArray();
    }

    private static void strings(JsonGenerator json, String name, List<String> values) throws IOException {
        json.writeArrayFieldStart(name);
        for (String v : values) {
            json.writeString(v);
        }
        json.writeEndArray();
    }

    private static void string(JsonGenerator json, String name, String value) throws IOException {
        if (value != null) {
            json.writeStringField(name, value);
        }
    }

    private static void number(JsonGenerator json, String name, Integer value) throws IOException {
        if (value != null) {
            json.writeNumberField(name, value);
        }
    }
}
