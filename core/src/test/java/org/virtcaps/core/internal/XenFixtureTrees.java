package org.virtcaps.core.internal;

import java.nio.file.Path;

/**
 * Host trees built from libvirt's Xen fixture triples: the fixture's cpuinfo and capability string,
 * and the dom0's kernel arch (the expected documents name it: a 32-bit dom0 on a 64-bit CPU is i686).
 */
final class XenFixtureTrees {
    private XenFixtureTrees() {
    }

    static HostTree build(Path dir, String name) {
        String caps = HostTree.resource("/fixtures/xen/" + name + ".caps");
        String arch = name.contains("ia64") ? "ia64" : caps.contains("xen-3.0-x86_32") ? "i686" : "x86_64";
        return new HostTree(dir.resolve(name)).file("/proc/cpuinfo", HostTree.resource("/fixtures/xen/" + name + ".cpuinfo"))
                .file("/sys/hypervisor/type", "xen\n").file("/sys/hypervisor/properties/capabilities", caps)
                .file("/proc/sys/kernel/arch", arch + "\n");
    }
}
