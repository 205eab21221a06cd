package org.virtcaps.core.internal.libvirt;

import java.util.ArrayList;
import java.util.List;

import jakarta.xml.bind.annotation.XmlAccessType;
import jakarta.xml.bind.annotation.XmlAccessorType;
import jakarta.xml.bind.annotation.XmlAnyElement;
import jakarta.xml.bind.annotation.XmlAttribute;
import jakarta.xml.bind.annotation.XmlElement;
import jakarta.xml.bind.annotation.XmlElementWrapper;
import jakarta.xml.bind.annotation.XmlRootElement;
import jakarta.xml.bind.annotation.XmlType;
import jakarta.xml.bind.annotation.XmlValue;

/**
 * JAXB binding of libvirt's capabilities XML, element order as libvirt writes it. Plain mutable beans:
 * they exist only between the model and the bytes. Numbers are kept as text: JAXB's own conversion wraps
 * an overflowing value around silently (99999999999999999999 became 1661992959), so {@link LibvirtMapping}
 * parses each one against its range and names its path when refusing it.
 */
@XmlRootElement(name = "capabilities")
@XmlAccessorType(XmlAccessType.FIELD)
@XmlType(propOrder = { "host", "guests" })
public class XmlCapabilities {
    @XmlElement(name = "host")
    public XmlHost host;
    @XmlElement(name = "guest")
    public List<XmlGuest> guests = new ArrayList<>();

    /** An element with no content (<live/>, <suspend_mem/>). */
    @XmlAccessorType(XmlAccessType.FIELD)
    public static class Empty {
    }

    @XmlAccessorType(XmlAccessType.FIELD)
    @XmlType(propOrder = { "uuid", "cpu", "power", "iommu", "migration", "topology", "cache", "secmodels" })
    public static class XmlHost {
        public String uuid;
        public XmlCpu cpu;
        @XmlElement(name = "power_management")
        public XmlPower power;
        public XmlIommu iommu;
        @XmlElement(name = "migration_features")
        public XmlMigration migration;
        public XmlTopology topology;
        @XmlElementWrapper(name = "cache")
        @XmlElement(name = "bank")
        public List<XmlBank> cache;
        @XmlElement(name = "secmodel")
        public List<XmlSecmodel> secmodels = new ArrayList<>();
    }

    @XmlAccessorType(XmlAccessType.FIELD)
    @XmlType(propOrder = { "arch", "legacyFeatures", "model", "vendor", "microcode", "signature", "counter",
            "topology", "features", "pages" })
    public static class XmlCpu {
        public String arch;
        @XmlElement(name = "features")
        public XmlAnyFeatures legacyFeatures;
        public String model;
        public String vendor;
        public XmlMicrocode microcode;
        public XmlSignature signature;
        public XmlCounter counter;
        public XmlCpuTopology topology;
        @XmlElement(name = "feature")
        public List<XmlNamed> features = new ArrayList<>();
        @XmlElement(name = "pages")
        public List<XmlPages> pages = new ArrayList<>();
    }

    /** A block of features whose element names are the feature names (<vmx/>, <acpi default='on'/>). */
    @XmlAccessorType(XmlAccessType.FIELD)
    public static class XmlAnyFeatures {
        @XmlAnyElement(lax = true)
        public List<Object> features = new ArrayList<>();
    }

    /** A feature as written: default/toggle when it has them. */
    @XmlAccessorType(XmlAccessType.FIELD)
    public static class XmlToggle {
        @XmlAttribute(name = "default")
        public String defaultState;
        @XmlAttribute
        public String toggle;
    }

    @XmlAccessorType(XmlAccessType.FIELD)
    public static class XmlNamed {
        @XmlAttribute
        public String name;
    }

    @XmlAccessorType(XmlAccessType.FIELD)
    public static class XmlMicrocode {
        @XmlAttribute
        public String version;
    }

    @XmlAccessorType(XmlAccessType.FIELD)
    public static class XmlSignature {
        @XmlAttribute
        public String family;
        @XmlAttribute
        public String model;
        @XmlAttribute
        public String stepping;
    }

    @XmlAccessorType(XmlAccessType.FIELD)
    public static class XmlCounter {
        @XmlAttribute
        public String name;
        @XmlAttribute
        public String frequency;
        @XmlAttribute
        public String scaling;
    }

    @XmlAccessorType(XmlAccessType.FIELD)
    public static class XmlCpuTopology {
        @XmlAttribute
        public String sockets;
        @XmlAttribute
        public String dies;
        @XmlAttribute
        public String clusters;
        @XmlAttribute
        public String cores;
        @XmlAttribute
        public String threads;
    }

    /** <pages unit='KiB' size='4'>count</pages>; the count only inside NUMA cells. */
    @XmlAccessorType(XmlAccessType.FIELD)
    public static class XmlPages {
        @XmlAttribute
        public String unit;
        @XmlAttribute
        public String size;
        @XmlValue
        public String count;
    }

    @XmlAccessorType(XmlAccessType.FIELD)
    @XmlType(propOrder = { "suspendMem", "suspendDisk", "suspendHybrid" })
    public static class XmlPower {
        @XmlElement(name = "suspend_mem")
        public Empty suspendMem;
        @XmlElement(name = "suspend_disk")
        public Empty suspendDisk;
        @XmlElement(name = "suspend_hybrid")
        public Empty suspendHybrid;
    }

    @XmlAccessorType(XmlAccessType.FIELD)
    public static class XmlIommu {
        @XmlAttribute
        public String support;
    }

    @XmlAccessorType(XmlAccessType.FIELD)
    @XmlType(propOrder = { "live", "transports" })
    public static class XmlMigration {
        public Empty live;
        @XmlElementWrapper(name = "uri_transports")
        @XmlElement(name = "uri_transport")
        public List<String> transports;
    }

    @XmlAccessorType(XmlAccessType.FIELD)
    public static class XmlTopology {
        public XmlCells cells;
    }

    @XmlAccessorType(XmlAccessType.FIELD)
    public static class XmlCells {
        @XmlAttribute
        public String num;
        @XmlElement(name = "cell")
        public List<XmlCell> cells = new ArrayList<>();
    }

    @XmlAccessorType(XmlAccessType.FIELD)
    @XmlType(propOrder = { "memory", "pages", "distances", "cpus" })
    public static class XmlCell {
        @XmlAttribute
        public String id;
        public XmlMemory memory;
        @XmlElement(name = "pages")
        public List<XmlPages> pages = new ArrayList<>();
        @XmlElementWrapper(name = "distances")
        @XmlElement(name = "sibling")
        public List<XmlSibling> distances;
        public XmlCellCpus cpus;
    }

    @XmlAccessorType(XmlAccessType.FIELD)
    public static class XmlMemory {
        @XmlAttribute
        public String unit;
        @XmlValue
        public String value;
    }

    @XmlAccessorType(XmlAccessType.FIELD)
    public static class XmlSibling {
        @XmlAttribute
        public String id;
        @XmlAttribute
        public String value;
    }

    @XmlAccessorType(XmlAccessType.FIELD)
    public static class XmlCellCpus {
        @XmlAttribute
        public String num;
        @XmlElement(name = "cpu")
        public List<XmlCellCpu> cpus = new ArrayList<>();
    }

    @XmlAccessorType(XmlAccessType.FIELD)
    public static class XmlCellCpu {
        @XmlAttribute
        public String id;
        @XmlAttribute(name = "socket_id")
        public String socketId;
        @XmlAttribute(name = "die_id")
        public String dieId;
        @XmlAttribute(name = "cluster_id")
        public String clusterId;
        @XmlAttribute(name = "core_id")
        public String coreId;
        @XmlAttribute
        public String siblings;
    }

    @XmlAccessorType(XmlAccessType.FIELD)
    public static class XmlBank {
        @XmlAttribute
        public String id;
        @XmlAttribute
        public String level;
        @XmlAttribute
        public String type;
        @XmlAttribute
        public String size;
        @XmlAttribute
        public String unit;
        @XmlAttribute
        public String cpus;
    }

    @XmlAccessorType(XmlAccessType.FIELD)
    @XmlType(propOrder = { "model", "doi", "baselabels" })
    public static class XmlSecmodel {
        public String model;
        public String doi;
        @XmlElement(name = "baselabel")
        public List<XmlBaseLabel> baselabels = new ArrayList<>();
    }

    @XmlAccessorType(XmlAccessType.FIELD)
    public static class XmlBaseLabel {
        @XmlAttribute
        public String type;
        @XmlValue
        public String label;
    }

    @XmlAccessorType(XmlAccessType.FIELD)
    @XmlType(propOrder = { "osType", "arch", "features" })
    public static class XmlGuest {
        @XmlElement(name = "os_type")
        public String osType;
        public XmlArch arch;
        public XmlAnyFeatures features;
    }

    @XmlAccessorType(XmlAccessType.FIELD)
    @XmlType(propOrder = { "wordsize", "emulator", "loader", "machines", "domains" })
    public static class XmlArch {
        @XmlAttribute
        public String name;
        public String wordsize;
        public String emulator;
        public String loader;
        @XmlElement(name = "machine")
        public List<XmlMachine> machines = new ArrayList<>();
        @XmlElement(name = "domain")
        public List<XmlDomain> domains = new ArrayList<>();
    }

    @XmlAccessorType(XmlAccessType.FIELD)
    public static class XmlMachine {
        @XmlAttribute
        public String canonical;
        @XmlAttribute
        public String maxCpus;
        @XmlAttribute
        public String deprecated;
        @XmlValue
        public String name;
    }

    @XmlAccessorType(XmlAccessType.FIELD)
    @XmlType(propOrder = { "emulator", "machines" })
    public static class XmlDomain {
        @XmlAttribute
        public String type;
        public String emulator;
        @XmlElement(name = "machine")
        public List<XmlMachine> machines = new ArrayList<>();
    }
}
