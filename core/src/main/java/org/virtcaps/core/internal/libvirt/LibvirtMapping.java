package org.virtcaps.core.internal.libvirt;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import javax.xml.namespace.QName;

import org.virtcaps.core.internal.DocumentLimits;
import org.virtcaps.core.model.CacheBank;
import org.virtcaps.core.model.CpuCounter;
import org.virtcaps.core.model.CpuSignature;
import org.virtcaps.core.model.CpuTopology;
import org.virtcaps.core.model.Guest;
import org.virtcaps.core.model.GuestDomain;
import org.virtcaps.core.model.GuestFeature;
import org.virtcaps.core.model.Host;
import org.virtcaps.core.model.HostCpu;
import org.virtcaps.core.model.Machine;
import org.virtcaps.core.model.MigrationFeatures;
import org.virtcaps.core.model.NumaCell;
import org.virtcaps.core.model.PowerManagement;
import org.virtcaps.core.model.SecurityModel;
import org.w3c.dom.Element;

import jakarta.xml.bind.JAXBElement;

import static org.virtcaps.core.internal.DocumentLimits.COUNT;
import static org.virtcaps.core.internal.DocumentLimits.MAX_CPUS;
import static org.virtcaps.core.internal.DocumentLimits.SIZE;
import static org.virtcaps.core.internal.DocumentLimits.TOPOLOGY_ID;
import static org.virtcaps.core.internal.DocumentLimits.WORDSIZE;

/**
 * Model ↔ JAXB beans. In strict mode (probed documents) only what libvirt 9.0's schema names is written;
 * otherwise (documents read from other libvirt hosts) everything is written back as it came.
 */
final class LibvirtMapping {
    private LibvirtMapping() {
    }

    // ---------------------------------------------------------------- model → xml

    static XmlCapabilities toXml(Host host, List<Guest> guests, boolean strict) {
        XmlCapabilities caps = new XmlCapabilities();
        caps.host = toXml(host, strict);
        for (Guest guest : guests) {
            XmlCapabilities.XmlGuest xml = toXml(guest, strict);
            if (xml != null) {
                caps.guests.add(xml);
            }
        }
        return caps;
    }

    private static XmlCapabilities.XmlHost toXml(Host host, boolean strict) {
        XmlCapabilities.XmlHost xml = new XmlCapabilities.XmlHost();
        xml.uuid = host.uuid();
        xml.cpu = toXml(host.cpu(), strict);
        if (host.power() != null) {
            PowerManagement p = host.power();
            xml.power = new XmlCapabilities.XmlPower();
            xml.power.suspendMem = p.suspendMem() ? new XmlCapabilities.Empty() : null;
            xml.power.suspendDisk = p.suspendDisk() ? new XmlCapabilities.Empty() : null;
            xml.power.suspendHybrid = p.suspendHybrid() ? new XmlCapabilities.Empty() : null;
        }
        if (host.iommu() != null) {
            xml.iommu = new XmlCapabilities.XmlIommu();
            xml.iommu.support = host.iommu() ? "yes" : "no";
        }
        if (host.migration() != null) {
            MigrationFeatures m = host.migration();
            xml.migration = new XmlCapabilities.XmlMigration();
            xml.migration.live = m.live() ? new XmlCapabilities.Empty() : null;
            List<String> transports = strict
                    ? m.uriTransports().stream().filter(LibvirtVocabulary.MIGRATION_TRANSPORTS::contains).toList()
                    : m.uriTransports();
            xml.migration.transports = transports.isEmpty() ? null : new ArrayList<>(transports);
        }
        if (!host.cells().isEmpty()) {
            xml.topology = new XmlCapabilities.XmlTopology();
            xml.topology.cells = new XmlCapabilities.XmlCells();
            xml.topology.cells.num = text(host.cells().size());
            for (NumaCell cell : host.cells()) {
                xml.topology.cells.cells.add(toXml(cell, strict));
            }
        }
        if (!host.cache().isEmpty()) {
            xml.cache = new ArrayList<>();
            for (CacheBank bank : host.cache()) {
                XmlCapabilities.XmlBank b = new XmlCapabilities.XmlBank();
                b.id = text(bank.id());
                b.level = text(bank.level());
                b.type = bank.type();
                b.size = text(bank.size());
                b.unit = bank.unit();
                b.cpus = bank.cpus();
                xml.cache.add(b);
            }
        }
        for (SecurityModel model : host.securityModels()) {
            XmlCapabilities.XmlSecmodel s = new XmlCapabilities.XmlSecmodel();
            s.model = model.model();
            s.doi = model.doi();
            for (SecurityModel.BaseLabel label : model.baseLabels()) {
                XmlCapabilities.XmlBaseLabel l = new XmlCapabilities.XmlBaseLabel();
                l.type = label.type();
                l.label = label.label();
                s.baselabels.add(l);
            }
            xml.secmodels.add(s);
        }
        return xml;
    }

    private static XmlCapabilities.XmlCpu toXml(HostCpu cpu, boolean strict) {
        XmlCapabilities.XmlCpu xml = new XmlCapabilities.XmlCpu();
        xml.arch = cpu.arch();
        List<String> legacy = strict
                ? cpu.legacyFeatures().stream().filter(LibvirtVocabulary.HOST_LEGACY_FEATURES::contains).toList()
                : cpu.legacyFeatures();
        if (!legacy.isEmpty()) {
            xml.legacyFeatures = new XmlCapabilities.XmlAnyFeatures();
            for (String name : legacy) {
                xml.legacyFeatures.features.add(element(name, new XmlCapabilities.XmlToggle()));
            }
        }
        xml.model = cpu.model();
        xml.vendor = cpu.vendor();
        if (cpu.microcode() != null) {
            xml.microcode = new XmlCapabilities.XmlMicrocode();
            xml.microcode.version = text(cpu.microcode());
        }
        if (cpu.signature() != null) {
            CpuSignature s = cpu.signature();
            xml.signature = new XmlCapabilities.XmlSignature();
            xml.signature.family = text(s.family());
            xml.signature.model = text(s.model());
            xml.signature.stepping = text(s.stepping());
        }
        if (cpu.counter() != null) {
            CpuCounter c = cpu.counter();
            xml.counter = new XmlCapabilities.XmlCounter();
            xml.counter.name = c.name();
            xml.counter.frequency = text(c.frequency());
            xml.counter.scaling = c.scaling() ? "yes" : "no";
        }
        if (cpu.topology() != null) {
            CpuTopology t = cpu.topology();
            xml.topology = new XmlCapabilities.XmlCpuTopology();
            xml.topology.sockets = text(t.sockets());
            xml.topology.dies = text(t.dies());
            xml.topology.clusters = strict ? null : text(t.clusters());
            xml.topology.cores = text(t.cores());
            xml.topology.threads = text(t.threads());
        }
        for (String flag : cpu.flags()) {
            XmlCapabilities.XmlNamed f = new XmlCapabilities.XmlNamed();
            f.name = flag;
            xml.features.add(f);
        }
        for (long size : cpu.pageSizesKiB()) {
            XmlCapabilities.XmlPages p = new XmlCapabilities.XmlPages();
            p.unit = "KiB";
            p.size = text(size);
            xml.pages.add(p);
        }
        return xml;
    }

    private static XmlCapabilities.XmlCell toXml(NumaCell cell, boolean strict) {
        XmlCapabilities.XmlCell xml = new XmlCapabilities.XmlCell();
        xml.id = text(cell.id());
        if (cell.memoryKiB() != null) {
            xml.memory = new XmlCapabilities.XmlMemory();
            xml.memory.unit = "KiB";
            xml.memory.value = text(cell.memoryKiB());
        }
        for (NumaCell.PageCount pages : cell.pages()) {
            XmlCapabilities.XmlPages p = new XmlCapabilities.XmlPages();
            p.unit = "KiB";
            p.size = text(pages.sizeKiB());
            p.count = Long.toString(pages.count());
            xml.pages.add(p);
        }
        if (!cell.distances().isEmpty()) {
            xml.distances = new ArrayList<>();
            for (NumaCell.Distance d : cell.distances()) {
                XmlCapabilities.XmlSibling s = new XmlCapabilities.XmlSibling();
                s.id = text(d.id());
                s.value = text(d.value());
                xml.distances.add(s);
            }
        }
        if (cell.cpuCount() != null || !cell.cpus().isEmpty()) {
            xml.cpus = new XmlCapabilities.XmlCellCpus();
            xml.cpus.num = text(cell.cpuCount() != null ? cell.cpuCount() : cell.cpus().size());
            for (NumaCell.CellCpu cpu : cell.cpus()) {
                XmlCapabilities.XmlCellCpu c = new XmlCapabilities.XmlCellCpu();
                c.id = text(cpu.id());
                c.socketId = text(cpu.socketId());
                c.dieId = text(cpu.dieId());
                c.clusterId = strict ? null : text(cpu.clusterId());
                c.coreId = text(cpu.coreId());
                c.siblings = cpu.siblings();
                xml.cpus.cpus.add(c);
            }
        }
        return xml;
    }

    private static XmlCapabilities.XmlGuest toXml(Guest guest, boolean strict) {
        List<GuestDomain> domains = strict
                ? guest.domains().stream().filter(d -> LibvirtVocabulary.DOMAIN_TYPES.contains(d.type())).toList()
                : guest.domains();
        if (strict && (!LibvirtVocabulary.OS_TYPES.contains(guest.osType())
                || !LibvirtVocabulary.ARCHES.contains(guest.arch()) || domains.isEmpty()
                || (guest.wordsize() != 31 && guest.wordsize() != 32 && guest.wordsize() != 64))) {
            return null;
        }
        XmlCapabilities.XmlGuest xml = new XmlCapabilities.XmlGuest();
        xml.osType = guest.osType();
        xml.arch = new XmlCapabilities.XmlArch();
        xml.arch.name = guest.arch();
        xml.arch.wordsize = text(guest.wordsize());
        xml.arch.emulator = guest.emulator();
        xml.arch.loader = guest.loader();
        xml.arch.machines = machines(guest.machines());
        for (GuestDomain domain : domains) {
            XmlCapabilities.XmlDomain d = new XmlCapabilities.XmlDomain();
            d.type = domain.type();
            d.emulator = domain.emulator();
            d.machines = machines(domain.machines());
            xml.arch.domains.add(d);
        }
        List<GuestFeature> features = strict ? guest.features().stream().filter(LibvirtMapping::schemaFeature).toList()
                : guest.features();
        if (!features.isEmpty()) {
            xml.features = new XmlCapabilities.XmlAnyFeatures();
            for (GuestFeature feature : features) {
                XmlCapabilities.XmlToggle toggle = new XmlCapabilities.XmlToggle();
                if (feature.defaultOn() != null) {
                    toggle.defaultState = feature.defaultOn() ? "on" : "off";
                }
                if (feature.toggle() != null) {
                    toggle.toggle = feature.toggle() ? "yes" : "no";
                }
                xml.features.features.add(element(feature.name(), toggle));
            }
        }
        return xml;
    }

    private static boolean schemaFeature(GuestFeature f) {
        return LibvirtVocabulary.BARE_FEATURES.contains(f.name()) && f.isBare()
                || LibvirtVocabulary.TOGGLE_FEATURES.contains(f.name()) && f.defaultOn() != null && f.toggle() != null;
    }

    private static List<XmlCapabilities.XmlMachine> machines(List<Machine> machines) {
        List<XmlCapabilities.XmlMachine> result = new ArrayList<>();
        for (Machine machine : machines) {
            XmlCapabilities.XmlMachine m = new XmlCapabilities.XmlMachine();
            m.name = machine.name();
            m.canonical = machine.canonical();
            m.maxCpus = text(machine.maxCpus());
            m.deprecated = Boolean.TRUE.equals(machine.deprecated()) ? "yes" : null;
            result.add(m);
        }
        return result;
    }

    private static JAXBElement<XmlCapabilities.XmlToggle> element(String name, XmlCapabilities.XmlToggle value) {
        return new JAXBElement<>(new QName(name), XmlCapabilities.XmlToggle.class, value);
    }

    // ---------------------------------------------------------------- xml → model

    private static final String HOST = "/capabilities/host";

    static Host toHost(XmlCapabilities.XmlHost xml) {
        if (xml == null || xml.cpu == null || xml.cpu.arch == null || xml.cpu.arch.isBlank()) {
            throw new IllegalArgumentException("the document has no <host><cpu><arch>");
        }
        XmlCapabilities.XmlCpu c = xml.cpu;
        String cpuPath = HOST + "/cpu";
        List<String> legacy = c.legacyFeatures == null ? List.of() : names(c.legacyFeatures.features);
        List<String> flags = c.features.stream().map(f -> f.name).filter(n -> n != null && !n.isBlank()).toList();
        List<Long> pages = new ArrayList<>();
        for (int i = 0; i < c.pages.size(); i++) {
            XmlCapabilities.XmlPages p = c.pages.get(i);
            if (p.size != null) {
                pages.add(kib(cpuPath + "/pages[" + (i + 1) + "]/@size", p.size, p.unit));
            }
        }
        CpuSignature signature = null;
        if (c.signature != null && c.signature.family != null) {
            String at = cpuPath + "/signature/@";
            signature = new CpuSignature(integer(at + "family", c.signature.family, COUNT),
                    orZero(integer(at + "model", c.signature.model, COUNT)),
                    orZero(integer(at + "stepping", c.signature.stepping, COUNT)));
        }
        CpuCounter counter = c.counter == null ? null
                : new CpuCounter(c.counter.name, orZero(number(cpuPath + "/counter/@frequency", c.counter.frequency, SIZE)),
                        "yes".equals(c.counter.scaling));
        CpuTopology topology = null;
        if (c.topology != null) {
            String at = cpuPath + "/topology/@";
            topology = new CpuTopology(orZero(integer(at + "sockets", c.topology.sockets, COUNT)),
                    integer(at + "dies", c.topology.dies, COUNT), integer(at + "clusters", c.topology.clusters, COUNT),
                    orZero(integer(at + "cores", c.topology.cores, COUNT)),
                    orZero(integer(at + "threads", c.topology.threads, COUNT)));
        }
        HostCpu cpu = new HostCpu(c.arch.trim(), c.model, c.vendor, null, signature,
                c.microcode == null ? null : number(cpuPath + "/microcode/@version", c.microcode.version, SIZE),
                counter, topology, legacy, flags, pages);

        PowerManagement power = xml.power == null ? null
                : new PowerManagement(xml.power.suspendMem != null, xml.power.suspendDisk != null,
                        xml.power.suspendHybrid != null);
        Boolean iommu = xml.iommu == null ? null : "yes".equals(xml.iommu.support);
        MigrationFeatures migration = xml.migration == null ? null
                : new MigrationFeatures(xml.migration.live != null,
                        xml.migration.transports == null ? List.of() : xml.migration.transports);
        List<NumaCell> cells = new ArrayList<>();
        if (xml.topology != null && xml.topology.cells != null) {
            String cellsPath = HOST + "/topology/cells";
            // not kept (the cells are counted), yet checked like every number the document carries
            integer(cellsPath + "/@num", xml.topology.cells.num, COUNT);
            for (int i = 0; i < xml.topology.cells.cells.size(); i++) {
                cells.add(toCell(xml.topology.cells.cells.get(i), cellsPath + "/cell[" + (i + 1) + "]"));
            }
        }
        List<CacheBank> cache = new ArrayList<>();
        if (xml.cache != null) {
            for (int i = 0; i < xml.cache.size(); i++) {
                XmlCapabilities.XmlBank b = xml.cache.get(i);
                String at = HOST + "/cache/bank[" + (i + 1) + "]/@";
                cache.add(new CacheBank(orZero(integer(at + "id", b.id, COUNT)), orZero(integer(at + "level", b.level, COUNT)),
                        b.type, orZero(number(at + "size", b.size, SIZE)), b.unit, b.cpus));
            }
        }
        List<SecurityModel> secmodels = new ArrayList<>();
        for (XmlCapabilities.XmlSecmodel s : xml.secmodels) {
            secmodels.add(new SecurityModel(s.model, s.doi, s.baselabels.stream()
                    .map(l -> new SecurityModel.BaseLabel(l.type, l.label)).toList()));
        }
        return new Host(xml.uuid, cpu, power, iommu, migration, cells, cache, secmodels, null, null, List.of());
    }

    private static NumaCell toCell(XmlCapabilities.XmlCell cell, String path) {
        Long memory = cell.memory == null || cell.memory.value == null ? null
                : kib(path + "/memory", cell.memory.value, cell.memory.unit);
        List<NumaCell.PageCount> pages = new ArrayList<>();
        for (int i = 0; i < cell.pages.size(); i++) {
            XmlCapabilities.XmlPages p = cell.pages.get(i);
            String at = path + "/pages[" + (i + 1) + "]";
            if (p.size != null) {
                long count = p.count == null || p.count.isBlank() ? 0 : SIZE.parse(at, p.count);
                pages.add(new NumaCell.PageCount(kib(at + "/@size", p.size, p.unit), count));
            }
        }
        List<NumaCell.Distance> distances = new ArrayList<>();
        if (cell.distances != null) {
            for (int i = 0; i < cell.distances.size(); i++) {
                XmlCapabilities.XmlSibling d = cell.distances.get(i);
                String at = path + "/distances/sibling[" + (i + 1) + "]/@";
                distances.add(new NumaCell.Distance(orZero(integer(at + "id", d.id, COUNT)),
                        orZero(integer(at + "value", d.value, COUNT))));
            }
        }
        List<NumaCell.CellCpu> cpus = new ArrayList<>();
        Integer count = null;
        if (cell.cpus != null) {
            count = integer(path + "/cpus/@num", cell.cpus.num, COUNT);
            for (int i = 0; i < cell.cpus.cpus.size(); i++) {
                XmlCapabilities.XmlCellCpu c = cell.cpus.cpus.get(i);
                String at = path + "/cpus/cpu[" + (i + 1) + "]/@";
                cpus.add(new NumaCell.CellCpu(orZero(integer(at + "id", c.id, COUNT)),
                        integer(at + "socket_id", c.socketId, TOPOLOGY_ID), integer(at + "die_id", c.dieId, TOPOLOGY_ID),
                        integer(at + "cluster_id", c.clusterId, TOPOLOGY_ID),
                        integer(at + "core_id", c.coreId, TOPOLOGY_ID), c.siblings));
            }
        }
        return new NumaCell(orZero(integer(path + "/@id", cell.id, COUNT)), memory, pages, distances, count, cpus);
    }

    /** @param path the guest element's path, /capabilities/guest[n] */
    static Guest toGuest(XmlCapabilities.XmlGuest xml, String path) {
        if (xml.osType == null || xml.arch == null || xml.arch.name == null) {
            throw new IllegalArgumentException("a <guest> lacks <os_type> or <arch name>");
        }
        if (xml.arch.wordsize == null) {
            throw new IllegalArgumentException("guest " + xml.arch.name + " has no <wordsize>");
        }
        String archPath = path + "/arch";
        int wordsize = integer(archPath + "/wordsize", xml.arch.wordsize, WORDSIZE);
        List<GuestDomain> domains = new ArrayList<>();
        for (int i = 0; i < xml.arch.domains.size(); i++) {
            XmlCapabilities.XmlDomain d = xml.arch.domains.get(i);
            if (d.type == null) {
                throw new IllegalArgumentException("guest " + xml.arch.name + " has a <domain> without type");
            }
            domains.add(new GuestDomain(d.type, trimmed(d.emulator),
                    toMachines(d.machines, archPath + "/domain[" + (i + 1) + "]")));
        }
        List<GuestFeature> features = new ArrayList<>();
        if (xml.features != null) {
            for (Object o : xml.features.features) {
                if (o instanceof Element e) {
                    String def = e.hasAttribute("default") ? e.getAttribute("default") : null;
                    String toggle = e.hasAttribute("toggle") ? e.getAttribute("toggle") : null;
                    features.add(new GuestFeature(e.getLocalName() != null ? e.getLocalName() : e.getTagName(),
                            def == null ? null : "on".equals(def), toggle == null ? null : "yes".equals(toggle)));
                }
            }
        }
        return new Guest(xml.osType.trim(), xml.arch.name.trim(), wordsize, trimmed(xml.arch.emulator),
                trimmed(xml.arch.loader), toMachines(xml.arch.machines, archPath), domains, features);
    }

    private static List<Machine> toMachines(List<XmlCapabilities.XmlMachine> machines, String parent) {
        List<Machine> result = new ArrayList<>();
        for (int i = 0; i < machines.size(); i++) {
            XmlCapabilities.XmlMachine m = machines.get(i);
            Integer maxCpus = integer(parent + "/machine[" + (i + 1) + "]/@maxCpus", m.maxCpus, MAX_CPUS);
            if (m.name != null && !m.name.isBlank()) {
                result.add(new Machine(m.name.trim(), m.canonical, maxCpus,
                        m.deprecated == null ? null : "yes".equals(m.deprecated)));
            }
        }
        return result;
    }

    private static List<String> names(List<Object> elements) {
        List<String> names = new ArrayList<>();
        for (Object o : elements) {
            if (o instanceof Element e) {
                names.add(e.getLocalName() != null ? e.getLocalName() : e.getTagName());
            }
        }
        return names;
    }

    /** An amount in KiB from a value in the unit libvirt wrote; refused when it does not fit a long. */
    private static long kib(String path, String text, String unit) {
        long value = SIZE.parse(path, text);
        String u = unit == null ? "kib" : unit.toLowerCase(Locale.ROOT);
        try {
            return switch (u) {
                case "b", "bytes" -> value / 1024;
                case "k", "kib" -> value;
                case "kb" -> Math.multiplyExact(value, 1000) / 1024;
                case "m", "mib" -> Math.multiplyExact(value, 1024);
                case "g", "gib" -> Math.multiplyExact(value, 1024 * 1024);
                default -> value;
            };
        } catch (ArithmeticException e) {
            throw SIZE.outOfRange(path, text.trim() + " " + unit + " in KiB");
        }
    }

    /** A number from its text (null: absent), refused with its path when malformed or out of range. */
    private static Long number(String path, String text, DocumentLimits.Range range) {
        return text == null ? null : range.parse(path, text);
    }

    private static Integer integer(String path, String text, DocumentLimits.Range range) {
        return text == null ? null : range.parseInt(path, text);
    }

    private static String text(Number value) {
        return value == null ? null : value.toString();
    }

    private static int orZero(Integer value) {
        return value == null ? 0 : value;
    }

    private static long orZero(Long value) {
        return value == null ? 0 : value;
    }

    private static String trimmed(String value) {
        return value == null || value.isBlank() ? null : value.trim();
    }
}
