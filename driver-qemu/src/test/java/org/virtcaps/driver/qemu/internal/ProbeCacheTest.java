package org.virtcaps.driver.qemu.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import org.junit.jupiter.api.Test;

/** Cache file names stand for host paths: one flat, readable name per path. */
class ProbeCacheTest {
    @Test
    void fileNamesDropLeadingSlashesAndReplaceEverythingButPlainCharacters() {
        assertEquals("usr_bin_qemu-system-x86_64.probe", ProbeCache.fileName("/usr/bin/qemu-system-x86_64", ".probe"));
        assertEquals("usr_libexec_qemu-kvm.kvm", ProbeCache.fileName("//usr/libexec/qemu-kvm", ".kvm"));
        assertEquals("opt_my_qemu_v1.2_bin_qemu_.machines", ProbeCache.fileName("/opt/my qemu/v1.2/bin/qemu\u00e9", ".machines"));
        assertEquals("a_b.x", ProbeCache.fileName("a/b", ".x"));
        assertEquals(".x", ProbeCache.fileName("///", ".x"));
        assertNotEquals(ProbeCache.fileName("/usr/bin/kvm", ".probe"), ProbeCache.fileName("/usr/bin/kvm", ".kvm"));
    }
}
