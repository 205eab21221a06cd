package org.virtcaps.core.internal.libvirt;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import javax.xml.namespace.QName;

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
            xml.topology.cells.num = host.cells().size();
            for (NumaCell cell : host.cells()) {
                xml.topology.cells.cells.add(toXml(cell, strict));
            }
        }
        if (!host.cache().isEmpty()) {
            xml.cache = new ArrayList<>();
            for (CacheBank bank : host.cache()) {
                XmlCapabilities.XmlBank b = new XmlCapabilities.XmlBank();
                b.id = bank.id();
                b.level = bank.level();
                b.type = bank.type();
                b.size = bank.size();
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
            xml.microcode.version = cpu.microcode();
        }
        if (cpu.signature() != null) {
            CpuSignature s = cpu.signature();
            xml.signature = new XmlCapabilities.XmlSignature();
            xml.signature.family = s.family();
            xml.signature.model = s.model();
            xml.signature.stepping = s.stepping();
        }
        if (cpu.counter() != null) {
            CpuCounter c = cpu.counter();
            xml.counter = new XmlCapabilities.XmlCounter();
            xml.counter.name = c.name();
            xml.counter.frequency = c.frequency();
            xml.counter.scaling = c.scaling() ? "yes" : "no";
        }
        if (cpu.topology() != null) {
            CpuTopology t = cpu.topology();
            xml.topology = new XmlCapabilities.XmlCpuTopology();
            xml.topology.sockets = t.sockets();
            xml.topology.dies = t.dies();
            xml.topology.clusters = strict ? null : t.clusters();
            xml.topology.cores = t.cores();
            xml.topology.threads = t.threads();
        }
        for (String flag : cpu.flags()) {
            XmlCapabilities.XmlNamed f = new XmlCapabilities.XmlNamed();
            f.name = flag;
            xml.features.add(f);
        }
        for (long size : cpu.pageSizesKiB()) {
            XmlCapabilities.XmlPages p = new XmlCapabilities.XmlPages();
            p.unit = "KiB";
            p.size = size;
            xml.pages.add(p);
        }
        return xml;
    }

    private static XmlCapabilities.XmlCell toXml(NumaCell cell, boolean strict) {
        XmlCapabilities.XmlCell xml = new XmlCapabilities.XmlCell();
        xml.id = cell.id();
        if (cell.memoryKiB() != null) {
            xml.memory = new XmlCapabilities.XmlMemory();
            xml.memory.unit = "KiB";
            xml.memory.value = cell.memoryKiB();
        }
        for (NumaCell.PageCount pages : cell.pages()) {
            XmlCapabilities.XmlPages p = new XmlCapabilities.XmlPages();
            p.unit = "KiB";
            p.size = pages.sizeKiB();
            p.count = Long.toString(pages.count());
            xml.pages.add(p);
        }
        if (!cell.distances().isEmpty()) {
            xml.distances = new ArrayList<>();
            for (NumaCell.Distance d : cell.distances()) {
                XmlCapabilities.XmlSibling s = new XmlCapabilities.XmlSibling();
                s.id = d.id();
                s.value = d.value();
                xml.distances.add(s);
            }
        }
        if (cell.cpuCount() != null || !cell.cpus().isEmpty()) {
            xml.cpus = new XmlCapabilities.XmlCellCpus();
            xml.cpus.num = cell.cpuCount() != null ? cell.cpuCount() : cell.cpus().size();
            for (NumaCell.CellCpu cpu : cell.cpus()) {
                XmlCapabilities.XmlCellCpu c = new XmlCapabilities.XmlCellCpu();
                c.id = cpu.id();
                c.socketId = cpu.socketId();
                c.dieId = cpu.dieId();
                c.clusterId = strict ? null : cpu.clusterId();
                c.coreId = cpu.coreId();
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
        xml.arch.wordsize = guest.wordsize();
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
            m.maxCpus = machine.maxCpus();
            m.deprecated = Boolean.TRUE.equals(machine.deprecated()) ? "yes" : null;
            result.add(m);
        }
        return result;
    }

    private static JAXBElement<XmlCapabilities.XmlToggle> element(String name, XmlCapabilities.XmlToggle value) {
        return new JAXBElement<>(new QName(name), XmlCapabilities.XmlToggle.class, value);
    }

    // ---------------------------------------------------------------- xml → model

    static Host toHost(XmlCapabilities.XmlHost xml) {
        if (xml == null || xml.cpu == null || xml.cpu.arch == null || xml.cpu.arch.isBlank()) {
            throw new IllegalArgumentException("the document has no <host><cpu><arch>");
        }
        XmlCapabilities.XmlCpu c = xml.cpu;
        List<String> legacy = c.legacyFeatures == null ? List.of() : names(c.legacyFeatures.features);
        List<String> flags = c.features.stream().map(f -> f.name).filter(n -> n != null && !n.isBlank()).toList();
        List<Long> pages = c.pages.stream().filter(p -> p.size != null).map(p -> toKiB(p.size, p.unit)).toList();
        CpuSignature signature = c.signature == null || c.signature.family == null ? null
                : new CpuSignature(c.signature.family, orZero(c.signature.model), orZero(c.signature.stepping));
        CpuCounter counter = c.counter == null ? null
                : new CpuCounter(c.counter.name, c.counter.frequency == null ? 0 : c.counter.frequency,
                        "yes".equals(c.counter.scaling));
        CpuTopology topology = c.topology == null ? null
                : new CpuTopology(orZero(c.topology.sockets), c.topology.dies, c.topology.clusters,
                        orZero(c.topology.cores), orZero(c.topology.threads));
        HostCpu cpu = new HostCpu(c.arch.trim(), c.model, c.vendor, null, signature,
                c.microcode == null ? null : c.microcode.version, counter, topology, legacy, flags, pages);

        PowerManagement power = xml.power == null ? null
                : new PowerManagement(xml.power.suspendMem != null, xml.power.suspendDisk != null,
                        xml.power.suspendHybrid != null);
        Boolean iommu = xml.iommu == null ? null : "yes".equals(xml.iommu.support);
        MigrationFeatures migration = xml.migration == null ? null
                : new MigrationFeatures(xml.migration.live != null,
                        xml.migration.transports == null ? List.of() : xml.migration.transports);
        List<NumaCell> cells = new ArrayList<>();
        if (xml.topology != null && xml.topology.cells != null) {
            for (XmlCapabilities.XmlCell cell : xml.topology.cells.cells) {
                cells.add(toCell(cell));
            }
        }
        List<CacheBank> cache = new ArrayList<>();
        if (xml.cache != null) {
            for (XmlCapabilities.XmlBank b : xml.cache) {
                cache.add(new CacheBank(orZero(b.id), orZero(b.level), b.type, b.size == null ? 0 : b.size, b.unit,
                        b.cpus));
            }
        }
        List<SecurityModel> secmodels = new ArrayList<>();
        for (XmlCapabilities.XmlSecmodel s : xml.secmodels) {
            secmodels.add(new SecurityModel(s.model, s.doi, s.baselabels.stream()
                    .map(l -> new SecurityModel.BaseLabel(l.type, l.label)).toList()));
        }
        return new Host(xml.uuid, cpu, power, iommu, migration, cells, cache, secmodels, null, null, List.of());
    }

    private static NumaCell toCell(XmlCapabilities.XmlCell cell) {
        Long memory = cell.memory == null || cell.memory.value == null ? null
                : toKiB(cell.memory.value, cell.memory.unit);
        List<NumaCell.PageCount> pages = new ArrayList<>();
        for (XmlCapabilities.XmlPages p : cell.pages) {
            if (p.size != null) {
                pages.add(new NumaCell.PageCount(toKiB(p.size, p.unit), parseLong(p.count)));
            }
        }
        List<NumaCell.Distance> distances = cell.distances == null ? List.of()
                : cell.distances.stream().map(d -> new NumaCell.Distance(orZero(d.id), orZero(d.value))).toList();
        List<NumaCell.CellCpu> cpus = new ArrayList<>();
        Integer count = null;
        if (cell.cpus != null) {
            count = cell.cpus.num;
            for (XmlCapabilities.XmlCellCpu c : cell.cpus.cpus) {
                cpus.add(new NumaCell.CellCpu(orZero(c.id), c.socketId, c.dieId, c.clusterId, c.coreId, c.siblings));
            }
        }
        return new NumaCell(orZero(cell.id), memory, pages, distances, count, cpus);
    }

    static Guest toGuest(XmlCapabilities.XmlGuest xml) {
        if (xml.osType == null || xml.arch == null || xml.arch.name == null) {
            throw new IllegalArgumentException("a <guest> lacks <os_type> or <arch name>");
        }
        if (xml.arch.wordsize == null) {
            throw new IllegalArgumentException("guest " + xml.arch.name + " has no <wordsize>");
        }
        List<GuestDomain> domains = new ArrayList<>();
        for (XmlCapabilities.XmlDomain d : xml.arch.domains) {
            if (d.type == null) {
                throw new IllegalArgumentException("guest " + xml.arch.name + " has a <domain> without type");
            }
            domains.add(new GuestDomain(d.type, trimmed(d.emulator), toMachines(d.machines)));
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
        return new Guest(xml.osType.trim(), xml.arch.name.trim(), xml.arch.wordsize, trimmed(xml.arch.emulator),
                trimmed(xml.arch.loader), toMachines(xml.arch.machines), domains, features);
    }

    private static List<Machine> toMachines(List<XmlCapabilities.XmlMachine> machines) {
        List<Machine> result = new ArrayList<>();
        for (XmlCapabilities.XmlMachine m : machines) {
            if (m.name != null && !m.name.isBlank()) {
                result.add(new Machine(m.name.trim(), m.canonical, m.maxCpus,
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

    private static long toKiB(long value, String unit) {
        String u = unit == null ? "kib" : unit.toLowerCase(Locale.ROOT);
        return switch (u) {
            case "b", "bytes" -> value / 1024;
            case "k", "kib" -> value;
            case "kb" -> value * 1000 / 1024;
            case "m", "mib" -> value * 1024;
            case "g", "gib" -> value * 1024 * 1024;
            default -> value;
        };
    }

    private static long parseLong(String text) {
        try {
            return text == null || text.isBlank() ? 0 : Long.parseLong(text.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("malformed page count '" + text + "'");
        }
    }

    private static int orZero(Integer value) {
        return value == null ? 0 : value;
    }

    private static String trimmed(String value) {
        return value == null || value.isBlank() ? null : value.trim();
    }
}
