package org.virtcaps.core.internal;

import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

import org.virtcaps.core.api.DocumentException;
import org.virtcaps.core.model.CacheBank;
import org.virtcaps.core.model.Capabilities;
import org.virtcaps.core.model.CpuCounter;
import org.virtcaps.core.model.CpuSignature;
import org.virtcaps.core.model.CpuTopology;
import org.virtcaps.core.model.Diagnostic;
import org.virtcaps.core.model.DriverReport;
import org.virtcaps.core.model.DriverState;
import org.virtcaps.core.model.Guest;
import org.virtcaps.core.model.GuestArchitecture;
import org.virtcaps.core.model.GuestDomain;
import org.virtcaps.core.model.GuestFeature;
import org.virtcaps.core.model.HardwareVirtualization;
import org.virtcaps.core.model.Host;
import org.virtcaps.core.model.HostCpu;
import org.virtcaps.core.model.Machine;
import org.virtcaps.core.model.MigrationFeatures;
import org.virtcaps.core.model.NumaCell;
import org.virtcaps.core.model.PowerManagement;
import org.virtcaps.core.model.SecurityModel;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.jr.ob.JSON;

/**
 * Reads the JSON document {@link JsonDocumentWriter} writes back into the model, losslessly: what a
 * remote host serves becomes the same snapshot it holds (generation, creation time, source, driver
 * reports). Bounded in size; a missing required field or a value of the wrong type is an error naming
 * its path, never a half-filled model.
 */
final class JsonDocumentReader {
    private final JSON json = JSON.std;

    Capabilities read(InputStream in) throws DocumentException {
        BoundedInputStream bounded = new BoundedInputStream(in, org.virtcaps.core.internal.libvirt.LibvirtXmlCodec.MAX_DOCUMENT_BYTES);
        Object tree;
        try {
            tree = json.anyFrom(bounded);
        } catch (JsonProcessingException e) {
            throw new DocumentException("not JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new DocumentException(bounded.exceeded() ? e.getMessage() : "reading JSON: " + e.getMessage(), e);
        }
        try {
            Node root = new Node("$", tree);
            root.object();
            List<GuestArchitecture> flat = root.list("guestArchitectures", JsonDocumentReader::architecture);
            return new Capabilities(host(root.get("host")), root.list("guests", JsonDocumentReader::guest), flat,
                    root.list("drivers", JsonDocumentReader::driver), root.longValue("generation", 0),
                    root.instant("createdAt"), root.string("source"));
        } catch (IllegalArgumentException e) {
            throw new DocumentException("not a virtcaps JSON document: " + e.getMessage());
        }
    }

    private static Host host(Node n) {
        Node cpu = n.get("cpu");
        Node signature = cpu.optional("signature");
        Node counter = cpu.optional("counter");
        Node topology = cpu.optional("topology");
        HostCpu hostCpu = new HostCpu(cpu.required("arch"), cpu.string("model"), cpu.string("vendor"),
                cpu.string("modelName"),
                signature == null ? null : new CpuSignature(signature.integer("family"), signature.integer("model"),
                        signature.integer("stepping")),
                cpu.optionalLong("microcode"),
                counter == null ? null : new CpuCounter(counter.required("name"), counter.longValue("frequency", 0),
                        counter.bool("scaling")),
                topology == null ? null : new CpuTopology(topology.integer("sockets"), topology.optionalInt("dies"),
                        topology.optionalInt("clusters"), topology.integer("cores"), topology.integer("threads")),
                cpu.strings("legacyFeatures"), cpu.strings("flags"), cpu.list("pageSizesKiB", Node::asLong));
        Node hv = n.optional("hardwareVirtualization");
        Node power = n.optional("powerManagement");
        Node migration = n.optional("migration");
        return new Host(n.string("uuid"), hostCpu,
                power == null ? null : new PowerManagement(power.bool("suspendMem"), power.bool("suspendDisk"),
                        power.bool("suspendHybrid")),
                n.optionalBool("iommu"),
                migration == null ? null : new MigrationFeatures(migration.bool("live"), migration.strings("uriTransports")),
                n.list("numaCells", JsonDocumentReader::cell), n.list("cache", JsonDocumentReader::cacheBank),
                n.list("securityModels", JsonDocumentReader::securityModel), n.optionalLong("memoryKiB"),
                hv == null ? null : new HardwareVirtualization(hv.string("cpuFlag"), hv.bool("kvmDevice"),
                        hv.bool("kvmUsable"), hv.string("reason")),
                n.list("diagnostics", JsonDocumentReader::diagnostic));
    }

    private static NumaCell cell(Node n) {
        List<NumaCell.PageCount> pages = new ArrayList<>();
        n.entries("pages").forEach((size, count) -> pages.add(new NumaCell.PageCount(parseLong(size), count.asLong())));
        List<NumaCell.Distance> distances = new ArrayList<>();
        n.entries("distances").forEach((id, value) -> distances.add(new NumaCell.Distance((int) parseLong(id), value.asInt())));
        return new NumaCell(n.integer("id"), n.optionalLong("memoryKiB"), pages, distances, n.optionalInt("cpuCount"),
                n.list("cpus", c -> new NumaCell.CellCpu(c.integer("id"), c.optionalInt("socketId"), c.optionalInt("dieId"),
                        c.optionalInt("clusterId"), c.optionalInt("coreId"), c.string("siblings"))));
    }

    private static CacheBank cacheBank(Node n) {
        return new CacheBank(n.integer("id"), n.integer("level"), n.required("type"), n.longValue("size", 0),
                n.required("unit"), n.required("cpus"));
    }

    private static SecurityModel securityModel(Node n) {
        List<SecurityModel.BaseLabel> labels = new ArrayList<>();
        n.entries("baseLabels").forEach((type, label) -> labels.add(new SecurityModel.BaseLabel(type, label.asString())));
        return new SecurityModel(n.string("model"), n.string("doi"), labels);
    }

    private static GuestArchitecture architecture(Node n) {
        Map<String, String> flags = new LinkedHashMap<>();
        n.entries("driverFlags").forEach((name, value) -> flags.put(name, value.asString()));
        return new GuestArchitecture(n.required("osType"), n.required("arch"), n.integer("wordsize"),
                n.required("domainType"), n.string("emulator"), n.string("loader"),
                n.list("machines", JsonDocumentReader::machine), n.list("features", JsonDocumentReader::feature), flags,
                n.string("driver"));
    }

    private static Guest guest(Node n) {
        return new Guest(n.required("osType"), n.required("arch"), n.integer("wordsize"), n.string("emulator"),
                n.string("loader"), n.list("machines", JsonDocumentReader::machine),
                n.list("domains", d -> new GuestDomain(d.required("type"), d.string("emulator"),
                        d.list("machines", JsonDocumentReader::machine))),
                n.list("features", JsonDocumentReader::feature));
    }

    private static Machine machine(Node n) {
        return new Machine(n.required("name"), n.string("canonical"), n.optionalInt("maxCpus"), n.optionalBool("deprecated"));
    }

    private static GuestFeature feature(Node n) {
        return new GuestFeature(n.required("name"), n.optionalBool("default"), n.optionalBool("toggle"));
    }

    private static DriverReport driver(Node n) {
        return new DriverReport(n.required("name"), n.enumValue("state", DriverState.class), n.integer("guests"),
                Duration.ofMillis(n.longValue("probeMillis", 0)), n.list("diagnostics", JsonDocumentReader::diagnostic));
    }

    private static Diagnostic diagnostic(Node n) {
        return new Diagnostic(n.enumValue("severity", Diagnostic.Severity.class), n.string("source"), n.required("message"));
    }

    private static long parseLong(String text) {
        try {
            return Long.parseLong(text);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + text + "' is not a number");
        }
    }

    /** A value of the parsed tree and its path, for error messages that say where. */
    private record Node(String path, Object value) {

        @SuppressWarnings("unchecked")
        Map<String, Object> object() {
            if (value instanceof Map<?, ?> map) {
                return (Map<String, Object>) map;
            }
            throw new IllegalArgumentException(path + " is not an object");
        }

        Node get(String name) {
            Node child = optional(name);
            if (child == null) {
                throw new IllegalArgumentException(path + "." + name + " is missing");
            }
            return child;
        }

        Node optional(String name) {
            Object child = object().get(name);
            return child == null ? null : new Node(path + "." + name, child);
        }

        String string(String name) {
            Node child = optional(name);
            return child == null ? null : child.asString();
        }

        String required(String name) {
            return get(name).asString();
        }

        int integer(String name) {
            return get(name).asInt();
        }

        Integer optionalInt(String name) {
            Node child = optional(name);
            return child == null ? null : child.asInt();
        }

        long longValue(String name, long absent) {
            Node child = optional(name);
            return child == null ? absent : child.asLong();
        }

        Long optionalLong(String name) {
            Node child = optional(name);
            return child == null ? null : child.asLong();
        }

        boolean bool(String name) {
            Boolean b = optionalBool(name);
            if (b == null) {
                throw new IllegalArgumentException(path + "." + name + " is missing");
            }
            return b;
        }

        Boolean optionalBool(String name) {
            Node child = optional(name);
            if (child == null) {
                return null;
            }
            if (child.value instanceof Boolean b) {
                return b;
            }
            throw new IllegalArgumentException(child.path + " is not true or false");
        }

        Instant instant(String name) {
            String text = string(name);
            try {
                return text == null ? null : Instant.parse(text);
            } catch (DateTimeParseException e) {
                throw new IllegalArgumentException(path + "." + name + " is not an ISO-8601 instant");
            }
        }

        <E extends Enum<E>> E enumValue(String name, Class<E> type) {
            String text = required(name);
            try {
                return Enum.valueOf(type, text.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(path + "." + name + ": unknown value '" + text + "'");
            }
        }

        List<String> strings(String name) {
            return list(name, Node::asString);
        }

        <T> List<T> list(String name, Function<Node, T> element) {
            Node child = optional(name);
            if (child == null) {
                return List.of();
            }
            if (!(child.value instanceof List<?> items)) {
                throw new IllegalArgumentException(child.path + " is not an array");
            }
            List<T> result = new ArrayList<>(items.size());
            for (int i = 0; i < items.size(); i++) {
                Object item = items.get(i);
                if (item == null) {
                    throw new IllegalArgumentException(child.path + "[" + i + "] is null");
                }
                result.add(element.apply(new Node(child.path + "[" + i + "]", item)));
            }
            return result;
        }

        Map<String, Node> entries(String name) {
            Node child = optional(name);
            Map<String, Node> result = new LinkedHashMap<>();
            if (child != null) {
                child.object().forEach((key, v) -> {
                    if (v == null) {
                        throw new IllegalArgumentException(child.path + "." + key + " is null");
                    }
                    result.put(key, new Node(child.path + "." + key, v));
                });
            }
            return result;
        }

        String asString() {
            if (value instanceof String s) {
                return s;
            }
            throw new IllegalArgumentException(path + " is not a string");
        }

        long asLong() {
            if (value instanceof Integer || value instanceof Long || value instanceof java.math.BigInteger) {
                return ((Number) value).longValue();
            }
            throw new IllegalArgumentException(path + " is not an integer");
        }

        int asInt() {
            long v = asLong();
            if (v < Integer.MIN_VALUE || v > Integer.MAX_VALUE) {
                throw new IllegalArgumentException(path + " is out of range");
            }
            return (int) v;
        }
    }
}
