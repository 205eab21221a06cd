package org.virtcaps.core.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.virtcaps.core.api.DocumentFormat;
import org.virtcaps.core.model.Capabilities;
import org.virtcaps.core.model.Diagnostic;
import org.virtcaps.core.model.Host;
import org.virtcaps.core.model.NumaCell;

/** The host prober on captured host trees built from real data, and on broken ones. */
class HostProberTest {
    private static final String INTEL_VMX = """
            processor	: 0
            vendor_id	: GenuineIntel
            cpu family	: 6
            model		: 158
            model name	: Intel(R) Core(TM) i7-8700 CPU @ 3.20GHz
            stepping	: 10
            microcode	: 0xf4
            physical id	: 0
            siblings	: 2
            core id		: 0
            cpu cores	: 1
            flags		: fpu vme de pse tsc msr pae mce cx8 apic sep mtrr pge mca cmov pat pse36 clflush dts acpi mmx fxsr sse sse2 ss ht tm pbe syscall nx pdpe1gb rdtscp lm constant_tsc vmx smx est tm2 ssse3 sse4_1 sse4_2 x2apic popcnt aes xsave avx f16c rdrand lahf_lm abm 3dnowprefetch
            """;
    private static final String AARCH64 = """
            processor	: 0
            BogoMIPS	: 50.00
            Features	: fp asimd evtstrm aes pmull sha1 sha2 crc32 atomics fphp asimdhp cpuid asimdrdm lrcpc dcpop asimddp ssbs
            CPU implementer	: 0x41
            CPU architecture: 8
            CPU variant	: 0x3
            CPU part	: 0xd0c
            CPU revision	: 1
            """;

    @TempDir
    Path dir;

    private Host probe(HostTree tree) {
        return new LinuxHostProber(new HostFiles(tree.root), null).probe();
    }

    static Stream<String> xenFixtures() {
        return Stream.of("xen-i686", "xen-i686-pae", "xen-ia64", "xen-x86_64", "xen-x86_64-hvm");
    }

    /** The host part of each Xen fixture's expected document comes back from its cpuinfo. */
    @ParameterizedTest
    @MethodSource("xenFixtures")
    void reproducesHostPartOfXenFixtures(String name) throws Exception {
        DocumentsComponent documents = new DocumentsComponent();
        Capabilities expected = documents.read(
                new ByteArrayInputStream(HostTree.resource("/fixtures/xen/" + name + ".xml").getBytes(StandardCharsets.UTF_8)),
                name);
        HostTree tree = XenFixtureTrees.build(dir, name);
        Host host = probe(tree);
        assertEquals(expected.host().cpu().arch(), host.cpu().arch());
        assertEquals(expected.host().cpu().legacyFeatures(), host.cpu().legacyFeatures());
        Capabilities caps = new Capabilities(host, List.of(), List.of(), List.of(), 1, null, "probe");
        SchemaValidator.assertValid(documents.format(caps, DocumentFormat.LIBVIRT));
    }

    @Test
    void intelHostWithVmxAndUsableKvm() throws Exception {
        HostTree tree = new HostTree(dir).file("/proc/cpuinfo", INTEL_VMX + "\n" + INTEL_VMX.replace("processor	: 0", "processor	: 1"))
                .file("/proc/sys/kernel/arch", "x86_64\n").cpus(2, 2).file("/dev/kvm", "")
                .file("/proc/meminfo", "MemTotal:       16314504 kB\nMemFree: 1 kB\n")
                .file("/sys/power/state", "freeze mem disk\n").file("/sys/power/disk", "[platform] shutdown reboot suspend\n")
                .dir("/sys/kernel/iommu_groups/0").file("/etc/machine-id", "3d1219c7c4c5404aaa1f6d2a48adfda4\n");
        Files.setPosixFilePermissions(tree.root.resolve("dev/kvm"), PosixFilePermissions.fromString("rw-rw-rw-"));
        Host host = probe(tree);
        assertEquals("x86_64", host.cpu().arch());
        assertEquals("Intel", host.cpu().vendor());
        assertEquals(244L, host.cpu().microcode());
        assertEquals(6, host.cpu().signature().family());
        assertEquals(List.of("vmx"), host.cpu().legacyFeatures());
        assertEquals("vmx", host.virtualization().cpuFlag());
        assertTrue(host.virtualization().kvmUsable());
        assertNull(host.virtualization().reason());
        assertEquals(1, host.cpu().topology().cores());
        assertEquals(2, host.cpu().topology().threads());
        assertTrue(host.power().suspendMem() && host.power().suspendDisk() && host.power().suspendHybrid());
        assertEquals(Boolean.TRUE, host.iommu());
        assertEquals("3d1219c7-c4c5-404a-aa1f-6d2a48adfda4", host.uuid());
        assertEquals(1, host.cells().size(), "no NUMA in sysfs: one cell with everything");
        assertEquals(16314504L, host.cells().get(0).memoryKiB());
        assertValidDocument(host);
    }

    @Test
    void amdHostWithSvmButKvmModuleMissing() throws Exception {
        HostTree tree = XenFixtureTrees.build(dir, "xen-x86_64");
        Host host = probe(tree);
        assertEquals("svm", host.virtualization().cpuFlag());
        assertFalse(host.virtualization().kvmDevice());
        assertTrue(host.virtualization().reason().contains("kvm kernel module is not loaded"),
                host.virtualization().reason());
        tree.dir("/sys/module/kvm");
        assertTrue(probe(tree).virtualization().reason().contains("kvm_amd is not loaded"));
    }

    @Test
    void kvmDeviceWithoutPermissionSaysSo() throws Exception {
        HostTree tree = new HostTree(dir).file("/proc/cpuinfo", INTEL_VMX).file("/dev/kvm", "");
        Files.setPosixFilePermissions(tree.root.resolve("dev/kvm"), PosixFilePermissions.fromString("---------"));
        Host host = probe(tree);
        assertTrue(host.virtualization().kvmDevice());
        assertFalse(host.virtualization().kvmUsable());
        assertTrue(host.virtualization().reason().contains("may not read or write"), host.virtualization().reason());
    }

    @Test
    void oldNonPaeI686() throws Exception {
        Host host = probe(XenFixtureTrees.build(dir, "xen-i686"));
        assertEquals("i686", host.cpu().arch());
        assertFalse(host.cpu().hasFlag("pae"));
        assertNull(host.virtualization().cpuFlag());
        assertTrue(host.virtualization().reason().contains("neither vmx nor svm"));
    }

    @Test
    void aarch64HostFromCpuInfoAlone() {
        Host host = probe(new HostTree(dir).file("/proc/cpuinfo", AARCH64));
        assertEquals("aarch64", host.cpu().arch());
        assertEquals("ARM", host.cpu().vendor());
        assertTrue(host.cpu().hasFlag("asimd"));
        assertTrue(host.diagnostics().stream().anyMatch(d -> d.source().equals("/proc/sys/kernel/arch")));
        assertValidDocument(host);
    }

    @Test
    void numaHostWithTwoCells() {
        HostTree tree = new HostTree(dir).file("/proc/cpuinfo", INTEL_VMX).file("/proc/sys/kernel/arch", "x86_64")
                .cpus(4, 1);
        tree.file("/sys/devices/system/node/node0/cpulist", "0-1\n")
                .file("/sys/devices/system/node/node0/meminfo", "Node 0 MemTotal:       8388608 kB\n")
                .file("/sys/devices/system/node/node0/distance", "10 21\n")
                .file("/sys/devices/system/node/node0/hugepages/hugepages-2048kB/nr_hugepages", "16\n")
                .file("/sys/devices/system/node/node1/cpulist", "2-3\n")
                .file("/sys/devices/system/node/node1/meminfo", "Node 1 MemTotal:       8388608 kB\n")
                .file("/sys/devices/system/node/node1/distance", "21 10\n")
                .file("/sys/kernel/mm/hugepages/hugepages-2048kB/nr_hugepages", "16\n");
        Host host = probe(tree);
        assertEquals(2, host.cells().size());
        NumaCell one = host.cells().get(1);
        assertEquals(1, one.id());
        assertEquals(8388608L, one.memoryKiB());
        assertEquals(List.of(new NumaCell.Distance(0, 21), new NumaCell.Distance(1, 10)), one.distances());
        assertEquals(List.of(2, 3), one.cpus().stream().map(NumaCell.CellCpu::id).toList());
        NumaCell zero = host.cells().get(0);
        assertEquals(new NumaCell.PageCount(2048, 16), zero.pages().get(1));
        assertEquals((8388608L - 16 * 2048) / 4, zero.pages().get(0).count());
        assertEquals(List.of(4L, 2048L), host.cpu().pageSizesKiB());
        assertValidDocument(host);
    }

    @Test
    void malformedAndTruncatedFilesOmitPartsWithDiagnostics() {
        HostTree tree = new HostTree(dir)
                .file("/proc/cpuinfo", "processor	: 0\nvendor_id	: GenuineIntel\nflags		: fpu vm\u0000x sse4.1 pae lm")
                .file("/sys/devices/system/cpu/online", "0-\n")
                .file("/sys/devices/system/node/node0/cpulist", "garbage\n")
                .file("/sys/devices/system/node/node0/distance", "10 x\n")
                .file("/sys/devices/system/node/node0/meminfo", "nothing here\n")
                .file("/proc/meminfo", "MemTotal: lots\n")
                .bytes("/proc/cpuinfo.junk", new byte[] { (byte) 0xff, 0 });
        Host host = probe(tree);
        assertEquals(List.of("fpu", "pae", "lm"), host.cpu().flags(), "malformed flag names are dropped");
        List<String> sources = host.diagnostics().stream().map(Diagnostic::source).toList();
        assertTrue(sources.contains("/proc/cpuinfo"), sources.toString());
        assertTrue(sources.contains("/sys/devices/system/node/node0/cpulist"), sources.toString());
        assertTrue(sources.contains("/sys/devices/system/node/node0/distance"), sources.toString());
        assertTrue(sources.contains("/sys/devices/system/node/node0/meminfo"), sources.toString());
        assertValidDocument(host);
    }

    @Test
    void emptyRootStillGivesAValidDocument() {
        Host host = probe(new HostTree(dir));
        assertFalse(host.diagnostics().isEmpty());
        assertValidDocument(host);
    }

    @Test
    void oversizedFileIsRefusedNotRead() throws Exception {
        // files read whole keep their bound; /proc/cpuinfo, which grows with the machine, is streamed
        byte[] huge = new byte[HostFiles.MAX_FILE_BYTES + 10];
        java.util.Arrays.fill(huge, (byte) 'a');
        HostTree tree = new HostTree(dir).bytes("/proc/meminfo", huge);
        java.io.IOException e = org.junit.jupiter.api.Assertions.assertThrows(java.io.IOException.class,
                () -> new HostFiles(tree.root).read("/proc/meminfo"));
        assertTrue(e.getMessage().contains("larger than"), e.getMessage());
        // a cpuinfo beyond its own bound: a diagnostic, and what came before the bound is kept
        String cpuInfo = cpuInfo(64);
        tree.file("/proc/cpuinfo", cpuInfo);
        Host host = new LinuxHostProber(new HostFiles(tree.root), null, cpuInfo.length() / 2).probe();
        assertTrue(host.diagnostics().stream().anyMatch(d -> d.message().contains("larger than")));
        assertEquals("Intel", host.cpu().vendor());
        assertTrue(host.cpu().flags().contains("vmx"));
    }

    /** A realistic x86 cpuinfo for many CPUs: ~1.4 KB each, as on a recent Xeon. */
    static String cpuInfo(int cpus) {
        String flags = "fpu vme de pse tsc msr pae mce cx8 apic sep mtrr pge mca cmov pat pse36 clflush dts acpi mmx "
                + "fxsr sse sse2 ss ht tm pbe syscall nx pdpe1gb rdtscp lm constant_tsc art arch_perfmon pebs bts "
                + "rep_good nopl xtopology nonstop_tsc cpuid aperfmperf pni pclmulqdq dtes64 monitor ds_cpl vmx smx "
                + "est tm2 ssse3 sdbg fma cx16 xtpr pdcm pcid dca sse4_1 sse4_2 x2apic movbe popcnt "
                + "tsc_deadline_timer aes xsave avx f16c rdrand lahf_lm abm 3dnowprefetch cpuid_fault epb cat_l3 "
                + "cdp_l3 invpcid_single intel_ppin ssbd mba ibrs ibpb stibp ibrs_enhanced tpr_shadow vnmi "
                + "flexpriority ept vpid ept_ad fsgsbase tsc_adjust bmi1 hle avx2 smep bmi2 erms invpcid rtm cqm "
                + "mpx rdt_a avx512f avx512dq rdseed adx smap clflushopt clwb intel_pt avx512cd avx512bw avx512vl "
                + "xsaveopt xsavec xgetbv1 xsaves cqm_llc cqm_occup_llc cqm_mbm_total cqm_mbm_local dtherm ida arat "
                + "pln pts pku ospke avx512_vnni md_clear flush_l1d arch_capabilities";
        StringBuilder text = new StringBuilder();
        for (int cpu = 0; cpu < cpus; cpu++) {
            text.append("processor\t: ").append(cpu).append("\nvendor_id\t: GenuineIntel\ncpu family\t: 6\nmodel\t\t: 85\n")
                    .append("model name\t: Intel(R) Xeon(R) Platinum 8280 CPU @ 2.70GHz\nstepping\t: 7\n")
                    .append("microcode\t: 0x5003604\ncpu MHz\t\t: 2700.000\ncache size\t: 39424 KB\n")
                    .append("physical id\t: ").append(cpu / 56).append("\nsiblings\t: 56\ncore id\t\t: ")
                    .append(cpu % 28).append("\ncpu cores\t: 28\napicid\t\t: ").append(cpu).append("\n")
                    .append("fpu\t\t: yes\nfpu_exception\t: yes\ncpuid level\t: 22\nwp\t\t: yes\nflags\t\t: ")
                    .append(flags).append("\nbugs\t\t: spectre_v1 spectre_v2 spec_store_bypass swapgs taa itlb_multihit\n")
                    .append("bogomips\t: 5400.00\nclflush size\t: 64\ncache_alignment\t: 64\n")
                    .append("address sizes\t: 46 bits physical, 48 bits virtual\npower management:\n\n");
        }
        return text.toString();
    }

    /** More than ~850 CPUs made cpuinfo exceed 1 MiB and it was dropped whole: vendor, flags, KVM's svm/vmx. */
    @ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(ints = { 900, 4096 })
    void cpuInfoOfLargeHostsIsReadWhole(int cpus) {
        String text = cpuInfo(cpus);
        assertTrue(text.length() > HostFiles.MAX_FILE_BYTES, "the case this is about: " + text.length() + " bytes");
        Host host = probe(new HostTree(dir).file("/proc/cpuinfo", text).file("/proc/sys/kernel/arch", "x86_64\n"));
        assertEquals("Intel", host.cpu().vendor());
        assertTrue(host.cpu().flags().contains("vmx") && host.cpu().flags().contains("avx512f"));
        assertEquals(List.of("vmx"), host.cpu().legacyFeatures());
        assertEquals("vmx", host.virtualization().cpuFlag());
        assertEquals((cpus + 55) / 56, host.cpu().topology().sockets(), "every processor block was read");
        assertTrue(host.diagnostics().stream().noneMatch(d -> d.source().equals("/proc/cpuinfo")),
                host.diagnostics().toString());
    }

    private static void assertValidDocument(Host host) {
        Capabilities caps = new Capabilities(host, List.of(), List.of(), List.of(), 1, null, "probe");
        SchemaValidator.assertValid(new DocumentsComponent().format(caps, DocumentFormat.LIBVIRT));
    }
}
