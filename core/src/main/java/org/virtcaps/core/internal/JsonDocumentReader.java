package org.virtcaps.core.internal;

import java.io.IOException;
import java.io.InputStream;
import java.math.BigInteger;
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
import org.virtcaps.core.internal.DocumentLimits.Range;
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

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.jr.ob.JSON;

import static org.virtcaps.core.internal.DocumentLimits.COUNT;
import static org.virtcaps.core.internal.DocumentLimits.MAX_CPUS;
import static org.virtcaps.core.internal.DocumentLimits.SIZE;
import static org.virtcaps.core.internal.DocumentLimits.TOPOLOGY_ID;
import static org.virtcaps.core.internal.DocumentLimits.WORDSIZE;

/**
 * Reads the JSON document {@link JsonDocumentWriter} writes back into the model, losslessly: what a
 * remote host serves becomes the same snapshot it holds (generation, creation time, source, driver
 * reports). Bounded in size; a missing required field or a value of the wrong type is an error naming
 * its path, never a half-filled model.
 */
final class JsonDocumentReader {
    /** Jackson's own bounds set to {@link DocumentLimits}: refused while parsing, before a tree is built. */
    private final JSON json = JSON.builder(JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder()
                    .maxNestingDepth(DocumentLimits.MAX_DEPTH)
                    .maxTokenCount(DocumentLimits.MAX_JSON_TOKENS)
                    .maxNumberLength(DocumentLimits.MAX_NUMBER_CHARS)
                    .maxStringLength(DocumentLimits.MAX_STRING_CHARS)
                    .maxNameLength(DocumentLimits.MAX_STRING_CHARS)
                    .build())
            .build()).build();

    Capabilities read(InputStream in) throws DocumentException {
        BoundedInputStream bounded = new BoundedInputStream(in, DocumentLimits.MAX_DOCUMENT_BYTES);
        Object tree;
        try {
            tree = json.anyFrom(bounded);
        } catch (StreamConstraintsException e) {
            // Jackson names the setting it enforced ("from `StreamReadConstraints...`"): not the user's concern
            throw new DocumentException("refused: " + oneLine(e.getOriginalMessage().replaceAll(", from `[^`]*`", "")));
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
                    root.list("drivers", JsonDocumentReader::driver), root.longValue("generation", 0, SIZE),
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
                signature == null ? null : new CpuSignature(signature.integer("family", COUNT),
                        signature.integer("model", COUNT), signature.integer("stepping", COUNT)),
                cpu.optionalLong("microcode", SIZE),
                counter == null ? null : new CpuCounter(counter.required("name"), counter.longValue("frequency", 0, SIZE),
                        counter.bool("scaling")),
                topology == null ? null : new CpuTopology(topology.integer("sockets", COUNT),
                        topology.optionalInt("dies", COUNT), topology.optionalInt("clusters", COUNT),
                        topology.integer("cores", COUNT), topology.integer("threads", COUNT)),
                cpu.strings("legacyFeatures"), cpu.strings("flags"), cpu.list("pageSizesKiB", p -> p.asLong(SIZE)));
        Node hv = n.optional("hardwareVirtualization");
        Node power = n.optional("powerManagement");
        Node migration = n.optional("migration");
        return new Host(n.string("uuid"), hostCpu,
                power == null ? null : new PowerManagement(power.bool("suspendMem"), power.bool("suspendDisk"),
                        power.bool("suspendHybrid")),
                n.optionalBool("iommu"),
                migration == null ? null : new MigrationFeatures(migration.bool("live"), migration.strings("uriTransports")),
                n.list("numaCells", JsonDocumentReader::cell), n.list("cache", JsonDocumentReader::cacheBank),
                n.list("securityModels", JsonDocumentReader::securityModel), n.optionalLong("memoryKiB", SIZE),
                hv == null ? null : new HardwareVirtualization(hv.string("cpuFlag"), hv.bool("kvmDevice"),
                        hv.bool("kvmUsable"), hv.string("reason")),
                n.list("diagnostics", JsonDocumentReader::diagnostic));
    }

    private static NumaCell cell(Node n) {
        List<NumaCell.PageCount> pages = new ArrayList<>();
        n.entries("pages").forEach((size, count) -> pages.add(
                new NumaCell.PageCount(SIZE.parse(count.path() + " (its name)", size), count.asLong(SIZE))));
        List<NumaCell.Distance> distances = new ArrayList<>();
        n.entries("distances").forEach((id, value) -> distances.add(
                new NumaCell.Distance(COUNT.parseInt(value.path() + " (its name)", id), value.asInt(COUNT))));
        return new NumaCell(n.integer("id", COUNT), n.optionalLong("memoryKiB", SIZE), pages, distances,
                n.optionalInt("cpuCount", COUNT),
                n.list("cpus", c -> new NumaCell.CellCpu(c.integer("id", COUNT), c.optionalInt("socketId", TOPOLOGY_ID),
                        c.optionalInt("dieId", TOPOLOGY_ID), c.optionalInt("clusterId", TOPOLOGY_ID),
                        c.optionalInt("coreId", TOPOLOGY_ID), c.string("siblings"))));
    }

    private static CacheBank cacheBank(Node n) {
        return new CacheBank(n.integer("id", COUNT), n.integer("level", COUNT), n.required("type"),
                n.longValue("size", 0, SIZE),
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
        return new GuestArchitecture(n.required("osType"), n.required("arch"), n.integer("wordsize", WORDSIZE),
                n.required("domainType"), n.string("emulator"), n.string("loader"),
                n.list("machines", JsonDocumentReader::machine), n.list("features", JsonDocumentReader::feature), flags,
                n.string("driver"));
    }

    private static Guest guest(Node n) {
        return new Guest(n.required("osType"), n.required("arch"), n.integer("wordsize", WORDSIZE), n.string("emulator"),
                n.string("loader"), n.list("machines", JsonDocumentReader::machine),
                n.list("domains", d -> new GuestDomain(d.required("type"), d.string("emulator"),
                        d.list("machines", JsonDocumentReader::machine))),
                n.list("features", JsonDocumentReader::feature));
    }

    private static Machine machine(Node n) {
        return new Machine(n.required("name"), n.string("canonical"), n.optionalInt("maxCpus", MAX_CPUS),
                n.optionalBool("deprecated"));
    }

    private static GuestFeature feature(Node n) {
        return new GuestFeature(n.required("name"), n.optionalBool("default"), n.optionalBool("toggle"));
    }

    private static DriverReport driver(Node n) {
        return new DriverReport(n.required("name"), n.enumValue("state", DriverState.class), n.integer("guests", COUNT),
                Duration.ofMillis(n.longValue("probeMillis", 0, SIZE)), n.list("diagnostics", JsonDocumentReader::diagnostic));
    }

    private static Diagnostic diagnostic(Node n) {
        return new Diagnostic(n.enumValue("severity", Diagnostic.Severity.class), n.string("source"), n.required("message"));
    }

    private static String oneLine(String message) {
        String line = String.valueOf(message).replaceAll("\\s+", " ").trim();
        return line.length() > 200 ? line.substring(0, 197) + "..." : line;
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

        int integer(String name, Range range) {
            return get(name).asInt(range);
        }

        Integer optionalInt(String name, Range range) {
            Node child = optional(name);
            return child == null ? null : child.asInt(range);
        }

        long longValue(String name, long absent, Range range) {
            Node child = optional(name);
            return child == null ? absent : child.asLong(range);
        }

        Long optionalLong(String name, Range range) {
            Node child = optional(name);
            return child == null ? null : child.asLong(range);
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

        /** The integer in the range; BigInteger (beyond a long) is out of every range, never wrapped. */
        long asLong(Range range) {
            if (value instanceof Integer || value instanceof Long) {
                return range.check(path, ((Number) value).longValue());
            }
            if (value instanceof BigInteger big) {
                throw range.outOfRange(path, big.toString());
            }
            throw new IllegalArgumentException(path + " is not an integer");
        }

        /** Every range an int field is checked against has int bounds. */
        int asInt(Range range) {
            return (int) asLong(range);
        }
    }
}
