package org.virtcaps.core.internal;

import java.io.IOException;
import java.io.Writer;
import java.util.Map;

import org.virtcaps.core.internal.libvirt.LibvirtStyleXmlWriter;
import org.virtcaps.core.model.Capabilities;
import org.virtcaps.core.model.GuestArchitecture;
import org.virtcaps.core.model.HardwareVirtualization;
import org.virtcaps.core.model.Machine;

/**
 * The original proposal's XML: host CPU flags, then a flat list of guest architectures, one per arch +
 * os type + domain type, each saying plainly whether it is full- or para-virtualized.
 */
final class SeedXmlWriter {

    void write(Capabilities caps, Writer out) throws IOException {
        LibvirtStyleXmlWriter xml = new LibvirtStyleXmlWriter(out);
        xml.writeStartElement("capabilities");
        xml.writeStartElement("host");
        text(xml, "cpu_arch", caps.host().cpu().arch());
        xml.writeStartElement("cpu_flags");
        for (String flag : caps.host().cpu().flags()) {
            text(xml, "cpu_flag", flag);
        }
        xml.writeEndElement();
        HardwareVirtualization hv = caps.host().virtualization();
        if (hv != null) {
            xml.writeStartElement("hardware_virtualization");
            if (hv.cpuFlag() != null) {
                xml.writeAttribute("cpu_flag", hv.cpuFlag());
            }
            xml.writeAttribute("kvm_device", yesNo(hv.kvmDevice()));
            xml.writeAttribute("kvm_usable", yesNo(hv.kvmUsable()));
            if (hv.reason() != null) {
                xml.writeCharacters(hv.reason());
            }
            xml.writeEndElement();
        }
        xml.writeEndElement();

        xml.writeStartElement("guest_architectures");
        for (GuestArchitecture g : caps.architectures()) {
            xml.writeStartElement("guest_architecture");
            text(xml, "model", g.arch());
            text(xml, "bits", Integer.toString(g.wordsize()));
            if (g.hasFeature("pae")) {
                xml.writeEmptyElement("pae");
            }
            if (g.hasFeature("nonpae")) {
                xml.writeEmptyElement("nonpae");
            }
            if (g.fullVirt()) {
                xml.writeEmptyElement("fullvirt");
            } else if (g.paraVirt()) {
                xml.writeEmptyElement("paravirt");
            }
            text(xml, "os_type", g.osType());
            text(xml, "domain_type", g.domainType());
            if (g.defaultMachine() != null) {
                text(xml, "machine", g.defaultMachine().name());
            }
            for (Machine m : g.machines()) {
                xml.writeStartElement("machine_type");
                if (m.canonical() != null) {
                    xml.writeAttribute("canonical", m.canonical());
                }
                if (m.maxCpus() != null) {
                    xml.writeAttribute("max_cpus", m.maxCpus().toString());
                }
                if (Boolean.TRUE.equals(m.deprecated())) {
                    xml.writeAttribute("deprecated", "yes");
                }
                xml.writeCharacters(m.name());
                xml.writeEndElement();
            }
            if (g.emulator() != null) {
                text(xml, "emulator", g.emulator());
            }
            if (g.loader() != null) {
                text(xml, "loader", g.loader());
            }
            for (Map.Entry<String, String> flag : g.driverFlags().entrySet()) {
                xml.writeStartElement("driver_flag");
                xml.writeAttribute("name", flag.getKey());
                xml.writeAttribute("value", flag.getValue());
                xml.writeEndElement();
            }
            if (g.driver() != null) {
                text(xml, "driver", g.driver());
            }
            xml.writeEndElement();
        }
        xml.writeEndElement();
        xml.writeEndDocument();
        out.flush();
    }

    private static void text(LibvirtStyleXmlWriter xml, String name, String value) {
        xml.writeStartElement(name);
        xml.writeCharacters(value);
        xml.writeEndElement();
    }

    private static String yesNo(boolean value) {
        return value ? "yes" : "no";
    }
}
