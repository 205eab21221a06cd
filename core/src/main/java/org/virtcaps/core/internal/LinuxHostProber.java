package org.virtcaps.core.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.virtcaps.core.model.CacheBank;
import org.virtcaps.core.model.CpuSignature;
import org.virtcaps.core.model.CpuTopology;
import org.virtcaps.core.model.Diagnostic;
import org.virtcaps.core.model.HardwareVirtualization;
import org.virtcaps.core.model.Host;
import org.virtcaps.core.model.HostCpu;
import org.virtcaps.core.model.NumaCell;
import org.virtcaps.core.model.PowerManagement;

/**
 * Probes the host part of the document from files under the host root. Each part is optional: a missing
 * or malformed file leaves that part out and adds a diagnostic, never fails the whole host.
 */
final class LinuxHostProber {
    private static final Pattern UUID = Pattern
            .compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");
    private static final Pattern FEATURE_NAME = Pattern.compile("[a-zA-Z0-9\\-_]+");
    private static final Pattern HUGEPAGES_DIR = Pattern.compile("hugepages-(\\d+)kB");
    private static final Pattern NODE_DIR = Pattern.compile("node(\\d+)");
    private static final Pattern CPU_DIR = Pattern.compile("cpu(\\d+)");

    private final HostFiles files;
    /** Arch of the running JVM, used only when probing the live root and the host tree does not say. */
    private final String liveArch;
    private final long cpuInfoLimit;
    private final List<Diagnostic> diagnostics = new ArrayList<>();
    /** One probe reads some sysfs files from several parts (topology, cells, caches): read each once. */
    private final Map<String, Optional<String>> lines = new java.util.HashMap<>();

    LinuxHostProber(HostFiles files, String liveArch) {
        this(files, liveArch, HostFiles.MAX_GROWING_FILE_BYTES);
    }

    /** @param cpuInfoLimit the most bytes of /proc/cpuinfo read (tests use a small one) */
    LinuxHostProber(HostFiles files, String liveArch, long cpuInfoLimit) {
        this.files = files;
        this.liveArch = liveArch;
        this.cpuInfoLimit = cpuInfoLimit;
    }

    /** Maps Java's os.arch to libvirt's arch names. */
    static String libvirtArch(String javaArch) {
        return switch (javaArch) {
            case "amd64", "x86_64" -> "x86_64";
            case "x86", "i386", "i486", "i586", "i686" -> "i686";
            case "arm" -> "armv7l";
            default -> javaArch;
        };
    }

    /**
     * A host whose facts are unknown (its probe did not finish): the arch of the JVM, so that the document
     * stays valid and drivers can tell, and the reason, also as KVM's.
     */
    static Host unprobed(String liveArch, String reason) {
        String arch = libvirtArch(liveArch == null ? "x86_64" : liveArch);
        HostCpu cpu = new HostCpu(arch, null, null, null, null, null, null, null, List.of(), List.of(),
                List.of(arch.startsWith("ppc64") ? 64L : 4L));
        return new Host(null, cpu, null, null, null, List.of(), List.of(), List.of(), null,
                new HardwareVirtualization(null, false, false, reason), List.of(Diagnostic.error("host", reason)));
    }

    Host probe() {
        CpuInfo cpuInfo = readCpuInfo();
        String arch = probeArch(cpuInfo);
        List<String> flags = sanitizedFlags(cpuInfo.flags());
        List<String> legacy = new ArrayList<>();
        for (String f : List.of("vmx", "svm")) {
            if (flags.contains(f)) {
                legacy.add(f);
            }
        }
        HostCpu cpu = new HostCpu(arch, null, vendor(cpuInfo), cpuInfo.first("model name", "cpu", "processor"),
                signature(cpuInfo), microcode(cpuInfo), null, topology(cpuInfo), legacy, flags, pageSizes(arch));
        List<NumaCell> cells = numaCells();
        return new Host(uuid(), cpu, power(), iommu(), null, cells, cacheBanks(), List.of(), memoryKiB(),
                virtualization(arch, flags), diagnostics);
    }

    private CpuInfo readCpuInfo() {
        CpuInfo.Parser parser = new CpuInfo.Parser();
        try {
            HostFiles.Streamed streamed = files.lines("/proc/cpuinfo", cpuInfoLimit, parser::line);
            if (streamed == HostFiles.Streamed.MISSING) {
                diagnostics.add(Diagnostic.warning("/proc/cpuinfo", "missing: CPU model, vendor and flags unknown"));
                return CpuInfo.parse("");
            }
            if (streamed == HostFiles.Streamed.TRUNCATED) {
                diagnostics.add(Diagnostic.warning("/proc/cpuinfo",
                        "larger than " + cpuInfoLimit + " bytes: only the processors before that were read"));
            }
            CpuInfo info = parser.result();
            if (info.global().isEmpty()) {
                diagnostics.add(Diagnostic.warning("/proc/cpuinfo", "no 'key: value' lines: CPU details unknown"));
            }
            return info;
        } catch (IOException e) {
            diagnostics.add(Diagnostic.warning("/proc/cpuinfo", "unreadable: " + e.getMessage()));
            return CpuInfo.parse("");
        }
    }

    private String probeArch(CpuInfo cpuInfo) {
        Optional<String> kernelArch = line("/proc/sys/kernel/arch").filter(s -> s.matches("[a-z0-9_]+"));
        if (kernelArch.isPresent()) {
            return libvirtArch(kernelArch.get());
        }
        if (liveArch != null && files.root().getParent() == null) {
            return libvirtArch(liveArch);
        }
        String fromCpuInfo = archFromCpuInfo(cpuInfo);
        if (fromCpuInfo != null) {
            diagnostics.add(Diagnostic.info("/proc/sys/kernel/arch",
                    "missing: host arch " + fromCpuInfo + " derived from /proc/cpuinfo"));
            return fromCpuInfo;
        }
        String fallback = liveArch == null ? "x86_64" : libvirtArch(liveArch);
        diagnostics.add(Diagnostic.warning("/proc/sys/kernel/arch",
                "missing and /proc/cpuinfo does not tell: assuming " + fallback));
        return fallback;
    }

    private static String archFromCpuInfo(CpuInfo info) {
        String arch = info.first("arch");
        if (arch != null && arch.toUpperCase(Locale.ROOT).contains("IA-64")) {
            return "ia64";
        }
        String vendor = info.first("vendor_id");
        if (vendor != null && vendor.contains("S390")) {
            return "s390x";
        }
        if (info.first("cpu architecture") != null) {
            String v = info.first("cpu architecture");
            return v.startsWith("8") ? "aarch64" : "armv7l";
        }
        String cpu = info.first("cpu");
        if (cpu != null && cpu.toUpperCase(Locale.ROOT).startsWith("POWER")) {
            return "ppc64le";
        }
        List<String> flags = info.flags();
        if (flags.contains("lm")) {
            return "x86_64";
        }
        if (flags.contains("fpu") || flags.contains("tsc")) {
            return "i686";
        }
        return null;
    }

    /**
     * libvirt's schema allows [a-zA-Z0-9-_] in feature names; anything else (a garbled line) is dropped
     * with a diagnostic rather than producing an invalid document.
     */
    private List<String> sanitizedFlags(List<String> raw) {
        List<String> flags = new ArrayList<>();
        List<String> rejected = new ArrayList<>();
        for (String flag : raw) {
            if (FEATURE_NAME.matcher(flag).matches()) {
                flags.add(flag);
            } else {
                rejected.add(flag);
            }
        }
        if (!rejected.isEmpty()) {
            diagnostics.add(Diagnostic.warning("/proc/cpuinfo", "ignored " + rejected.size()
                    + " malformed CPU flag(s): " + abbreviate(String.join(" ", rejected))));
        }
        return flags;
    }

    private static String vendor(CpuInfo info) {
        String v = info.first("vendor_id", "vendor");
        if (v != null) {
            return switch (v) {
                case "GenuineIntel" -> "Intel";
                case "AuthenticAMD" -> "AMD";
                case "HygonGenuine" -> "Hygon";
                case "CentaurHauls" -> "VIA";
                case "IBM/S390" -> "IBM";
                default -> v;
            };
        }
        String implementer = info.first("cpu implementer");
        if (implementer != null) {
            return switch (implementer.toLowerCase(Locale.ROOT)) {
                case "0x41" -> "ARM";
                case "0x42" -> "Broadcom";
                case "0x43" -> "Cavium";
                case "0x48" -> "HiSilicon";
                case "0x4e" -> "NVIDIA";
                case "0x50" -> "Ampere";
                case "0x51" -> "Qualcomm";
                case "0x61" -> "Apple";
                case "0xc0" -> "Ampere";
                default -> implementer;
            };
        }
        return null;
    }

    private CpuSignature signature(CpuInfo info) {
        Integer family = integer(info.first("cpu family"));
        Integer model = integer(info.first("model"));
        Integer stepping = integer(info.first("stepping"));
        if (family == null || model == null || stepping == null || family <= 0) {
            return null;
        }
        return new CpuSignature(family, model, stepping);
    }

    private Long microcode(CpuInfo info) {
        String value = info.first("microcode");
        if (value == null) {
            return null;
        }
        try {
            long v = value.startsWith("0x") ? Long.parseLong(value.substring(2), 16) : Long.parseLong(value);
            return v > 0 ? v : null;
        } catch (NumberFormatException e) {
            diagnostics.add(Diagnostic.warning("/proc/cpuinfo", "malformed microcode revision '" + value + "'"));
            return null;
        }
    }

    private CpuTopology topology(CpuInfo info) {
        List<Integer> cpus = onlineCpus();
        if (!cpus.isEmpty()) {
            Set<String> packages = new HashSet<>();
            Set<String> dies = new HashSet<>();
            Set<String> clusters = new HashSet<>();
            Set<String> cores = new HashSet<>();
            boolean hasDie = false;
            boolean hasCluster = false;
            for (int cpu : cpus) {
                String base = "/sys/devices/system/cpu/cpu" + cpu + "/topology/";
                String pkg = line(base + "physical_package_id").orElse(null);
                String core = line(base + "core_id").orElse(null);
                if (pkg == null || core == null) {
                    return topologyFromCpuInfo(info);
                }
                String die = line(base + "die_id").orElse(null);
                String cluster = line(base + "cluster_id").orElse(null);
                hasDie |= die != null;
                hasCluster |= cluster != null;
                packages.add(pkg);
                dies.add(pkg + "/" + die);
                clusters.add(pkg + "/" + die + "/" + cluster);
                cores.add(pkg + "/" + die + "/" + cluster + "/" + core);
            }
            int sockets = packages.size();
            int diesPerSocket = Math.max(1, dies.size() / sockets);
            int clustersPerDie = Math.max(1, clusters.size() / dies.size());
            int coresPerCluster = Math.max(1, cores.size() / clusters.size());
            int threads = Math.max(1, cpus.size() / cores.size());
            return new CpuTopology(sockets, hasDie ? diesPerSocket : null, hasCluster ? clustersPerDie : null,
                    coresPerCluster, threads);
        }
        return topologyFromCpuInfo(info);
    }

    private CpuTopology topologyFromCpuInfo(CpuInfo info) {
        Set<String> packages = new HashSet<>();
        for (Map<String, String> p : info.processors()) {
            packages.add(p.getOrDefault("physical id", "0"));
        }
        Integer cores = integer(info.first("cpu cores"));
        Integer siblings = integer(info.first("siblings"));
        if (cores == null || siblings == null || cores <= 0) {
            return null;
        }
        return new CpuTopology(Math.max(1, packages.size()), 1, null, cores, Math.max(1, siblings / cores));
    }

    private List<Integer> onlineCpus() {
        Optional<String> online = line("/sys/devices/system/cpu/online");
        if (online.isPresent()) {
            try {
                return CpuSets.parse(online.get());
            } catch (IllegalArgumentException e) {
                diagnostics.add(Diagnostic.warning("/sys/devices/system/cpu/online", e.getMessage()));
            }
        }
        List<Integer> cpus = new ArrayList<>();
        try {
            for (String name : files.list("/sys/devices/system/cpu")) {
                Matcher m = CPU_DIR.matcher(name);
                if (m.matches()) {
                    cpus.add(Integer.parseInt(m.group(1)));
                }
            }
        } catch (IOException e) {
            return List.of();
        }
        cpus.sort(null);
        return cpus;
    }

    private List<Long> pageSizes(String arch) {
        TreeSet<Long> sizes = new TreeSet<>();
        sizes.add(arch.startsWith("ppc64") ? 64L : 4L);
        for (long size : hugePageSizes("/sys/kernel/mm/hugepages")) {
            sizes.add(size);
        }
        return List.copyOf(sizes);
    }

    private List<Long> hugePageSizes(String dir) {
        List<Long> sizes = new ArrayList<>();
        try {
            for (String name : files.list(dir)) {
                Matcher m = HUGEPAGES_DIR.matcher(name);
                if (m.matches()) {
                    sizes.add(Long.parseLong(m.group(1)));
                }
            }
        } catch (IOException | NumberFormatException e) {
            diagnostics.add(Diagnostic.warning(dir, "unreadable: " + e.getMessage()));
        }
        sizes.sort(null);
        return sizes;
    }

    private List<NumaCell> numaCells() {
        List<Integer> nodes = new ArrayList<>();
        try {
            for (String name : files.list("/sys/devices/system/node")) {
                Matcher m = NODE_DIR.matcher(name);
                if (m.matches()) {
                    nodes.add(Integer.parseInt(m.group(1)));
                }
            }
        } catch (IOException e) {
            diagnostics.add(Diagnostic.warning("/sys/devices/system/node", "unreadable: " + e.getMessage()));
        }
        nodes.sort(null);
        List<NumaCell> cells = new ArrayList<>();
        if (nodes.isEmpty()) {
            // a kernel without NUMA: one cell with every CPU and all memory, as libvirt reports it
            List<Integer> cpus = onlineCpus();
            Long memory = memoryKiB();
            if (cpus.isEmpty() && memory == null) {
                diagnostics.add(Diagnostic.info("/sys/devices/system/node", "missing: NUMA topology unknown"));
                return List.of();
            }
            cells.add(new NumaCell(0, memory, pageCounts(memory, "/sys/kernel/mm/hugepages"),
                    List.of(new NumaCell.Distance(0, 10)), cpus.size(), cellCpus(cpus)));
            return cells;
        }
        for (int node : nodes) {
            String base = "/sys/devices/system/node/node" + node;
            Long memory = nodeMemory(base);
            List<Integer> cpus = List.of();
            Optional<String> cpulist = line(base + "/cpulist");
            if (cpulist.isPresent()) {
                try {
                    cpus = CpuSets.parse(cpulist.get());
                } catch (IllegalArgumentException e) {
                    diagnostics.add(Diagnostic.warning(base + "/cpulist", e.getMessage()));
                }
            }
            cells.add(new NumaCell(node, memory, pageCounts(memory, base + "/hugepages"), distances(base, nodes),
                    cpus.size(), cellCpus(cpus)));
        }
        return cells;
    }

    private Long nodeMemory(String base) {
        try {
            Optional<String> meminfo = files.read(base + "/meminfo");
            if (meminfo.isEmpty()) {
                return null;
            }
            Matcher m = Pattern.compile("MemTotal:\\s+(\\d+)\\s*kB").matcher(meminfo.get());
            if (m.find()) {
                return Long.parseLong(m.group(1));
            }
            diagnostics.add(Diagnostic.warning(base + "/meminfo", "no MemTotal line: cell memory unknown"));
        } catch (IOException | NumberFormatException e) {
            diagnostics.add(Diagnostic.warning(base + "/meminfo", "unreadable: " + e.getMessage()));
        }
        return null;
    }

    /** Base pages: the memory not taken by huge pages, as libvirt counts them; huge pages: their pool size. */
    private List<NumaCell.PageCount> pageCounts(Long memoryKiB, String hugeDir) {
        List<NumaCell.PageCount> pages = new ArrayList<>();
        long hugeKiB = 0;
        List<NumaCell.PageCount> huge = new ArrayList<>();
        for (long size : hugePageSizes(hugeDir)) {
            long count = longLine(hugeDir + "/hugepages-" + size + "kB/nr_hugepages", 0L);
            huge.add(new NumaCell.PageCount(size, count));
            hugeKiB += size * count;
        }
        if (memoryKiB != null) {
            pages.add(new NumaCell.PageCount(4, Math.max(0, (memoryKiB - hugeKiB) / 4)));
        }
        pages.addAll(huge);
        return pages;
    }

    private List<NumaCell.Distance> distances(String base, List<Integer> nodes) {
        Optional<String> line = line(base + "/distance");
        if (line.isEmpty() || line.get().isEmpty()) {
            return List.of();
        }
        String[] values = line.get().split("\\s+");
        if (values.length != nodes.size()) {
            diagnostics.add(Diagnostic.warning(base + "/distance",
                    values.length + " distances for " + nodes.size() + " nodes: ignored"));
            return List.of();
        }
        List<NumaCell.Distance> distances = new ArrayList<>();
        for (int i = 0; i < values.length; i++) {
            Long v = longOrNull(values[i]);
            if (v == null) {
                diagnostics.add(Diagnostic.warning(base + "/distance", "malformed distance '" + values[i] + "'"));
                return List.of();
            }
            distances.add(new NumaCell.Distance(nodes.get(i), v.intValue()));
        }
        return distances;
    }

    private List<NumaCell.CellCpu> cellCpus(List<Integer> cpus) {
        List<NumaCell.CellCpu> result = new ArrayList<>();
        for (int cpu : cpus) {
            String base = "/sys/devices/system/cpu/cpu" + cpu + "/topology/";
            Integer socket = integerLine(base + "physical_package_id");
            Integer die = integerLine(base + "die_id");
            Integer core = integerLine(base + "core_id");
            Integer cluster = integerLine(base + "cluster_id");
            String siblings = line(base + "thread_siblings_list").orElse(null);
            boolean complete = socket != null && socket >= 0 && core != null && core >= 0 && siblings != null
                    && isCpuSet(siblings);
            if (complete) {
                result.add(new NumaCell.CellCpu(cpu, socket, die == null || die < 0 ? 0 : die,
                        cluster == null || cluster < 0 ? null : cluster, core, siblings));
            } else {
                result.add(new NumaCell.CellCpu(cpu, null, null, null, null, null));
            }
        }
        return result;
    }

    private static boolean isCpuSet(String value) {
        try {
            CpuSets.parse(value);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private List<CacheBank> cacheBanks() {
        // libvirt reports the last-level (L3) caches, one bank per distinct id
        TreeMap<Integer, CacheBank> banks = new TreeMap<>();
        for (int cpu : onlineCpus()) {
            String base = "/sys/devices/system/cpu/cpu" + cpu + "/cache";
            List<String> indexes;
            try {
                indexes = files.list(base);
            } catch (IOException e) {
                continue;
            }
            for (String index : indexes) {
                if (!index.startsWith("index")) {
                    continue;
                }
                String dir = base + "/" + index + "/";
                Integer level = integerLine(dir + "level");
                if (level == null || level != 3) {
                    continue;
                }
                Integer id = integerLine(dir + "id");
                String size = line(dir + "size").orElse("");
                String cpus = line(dir + "shared_cpu_list").orElse(null);
                String type = switch (line(dir + "type").orElse("")) {
                    case "Unified" -> "both";
                    case "Data" -> "data";
                    case "Instruction" -> "code";
                    default -> null;
                };
                Matcher m = Pattern.compile("(\\d+)K").matcher(size);
                if (id == null || type == null || cpus == null || !m.matches() || !isCpuSet(cpus)) {
                    continue;
                }
                long kib = Long.parseLong(m.group(1));
                banks.putIfAbsent(id, kib % 1024 == 0 ? new CacheBank(id, level, type, kib / 1024, "MiB", cpus)
                        : new CacheBank(id, level, type, kib, "KiB", cpus));
            }
        }
        return List.copyOf(banks.values());
    }

    private String uuid() {
        Optional<String> dmi = line("/sys/class/dmi/id/product_uuid");
        if (dmi.isPresent() && UUID.matcher(dmi.get()).matches()) {
            return dmi.get().toLowerCase(Locale.ROOT);
        }
        Optional<String> machineId = line("/etc/machine-id");
        if (machineId.isPresent() && machineId.get().matches("[0-9a-fA-F]{32}")) {
            String id = machineId.get().toLowerCase(Locale.ROOT);
            return id.substring(0, 8) + "-" + id.substring(8, 12) + "-" + id.substring(12, 16) + "-"
                    + id.substring(16, 20) + "-" + id.substring(20);
        }
        diagnostics.add(Diagnostic.info("/etc/machine-id", "no host UUID (neither DMI product_uuid nor machine-id)"));
        return null;
    }

    private PowerManagement power() {
        Optional<String> state = line("/sys/power/state");
        if (state.isEmpty()) {
            return null;
        }
        Set<String> states = new HashSet<>(List.of(state.get().split("\\s+")));
        boolean mem = states.contains("mem");
        boolean disk = states.contains("disk");
        boolean hybrid = mem && disk && line("/sys/power/disk").orElse("").contains("suspend");
        return new PowerManagement(mem, disk, hybrid);
    }

    private Boolean iommu() {
        try {
            if (!files.exists("/sys/kernel/iommu_groups")) {
                return null;
            }
            return !files.list("/sys/kernel/iommu_groups").isEmpty();
        } catch (IOException e) {
            return null;
        }
    }

    private Long memoryKiB() {
        try {
            Optional<String> meminfo = files.read("/proc/meminfo");
            if (meminfo.isEmpty()) {
                return null;
            }
            Matcher m = Pattern.compile("MemTotal:\\s+(\\d+)\\s*kB").matcher(meminfo.get());
            return m.find() ? Long.parseLong(m.group(1)) : null;
        } catch (IOException | NumberFormatException e) {
            return null;
        }
    }

    private HardwareVirtualization virtualization(String arch, List<String> flags) {
        String flag = flags.contains("vmx") ? "vmx" : flags.contains("svm") ? "svm" : null;
        Path kvm;
        try {
            kvm = files.resolve("/dev/kvm");
        } catch (IllegalArgumentException e) {
            return new HardwareVirtualization(flag, false, false, e.getMessage());
        }
        boolean device = files.exists("/dev/kvm");
        String permissionProblem = device ? accessProblem(kvm) : null;
        boolean usable = device && permissionProblem == null;
        String reason = null;
        if (!usable) {
            if (device) {
                reason = permissionProblem;
            } else if (!files.exists("/sys/module/kvm")) {
                reason = "/dev/kvm is missing: the kvm kernel module is not loaded";
            } else if (flag != null) {
                String vendorModule = flag.equals("vmx") ? "kvm_intel" : "kvm_amd";
                reason = files.exists("/sys/module/" + vendorModule)
                        ? "/dev/kvm is missing although " + vendorModule + " is loaded"
                        : "/dev/kvm is missing: " + vendorModule
                                + " is not loaded (virtualization may be disabled in firmware)";
            } else {
                reason = "/dev/kvm is missing";
            }
            if (flag == null && (arch.equals("x86_64") || arch.equals("i686"))) {
                reason = "the CPU reports neither vmx nor svm (no hardware virtualization, or disabled in firmware); "
                        + reason;
            }
        }
        return new HardwareVirtualization(flag, device, usable, reason);
    }

    /**
     * Whether the mode bits of /dev/kvm grant this process read and write. Judged from the bits rather than
     * by opening the device, so that captured host trees (where dev/kvm is a plain file) answer as the
     * captured host would.
     */
    private String accessProblem(Path kvm) {
        try {
            Set<PosixFilePermission> perms = Files.getPosixFilePermissions(kvm);
            int uid = (Integer) Files.getAttribute(kvm, "unix:uid");
            int gid = (Integer) Files.getAttribute(kvm, "unix:gid");
            ProcessIds self = ProcessIds.current();
            boolean read;
            boolean write;
            if (self.uid() == uid) {
                read = perms.contains(PosixFilePermission.OWNER_READ);
                write = perms.contains(PosixFilePermission.OWNER_WRITE);
            } else if (self.groups().contains(gid)) {
                read = perms.contains(PosixFilePermission.GROUP_READ);
                write = perms.contains(PosixFilePermission.GROUP_WRITE);
            } else {
                read = perms.contains(PosixFilePermission.OTHERS_READ);
                write = perms.contains(PosixFilePermission.OTHERS_WRITE);
            }
            if (read && write) {
                return null;
            }
            return "/dev/kvm exists but this user (uid " + self.uid() + ") may not "
                    + (read ? "write" : write ? "read" : "read or write") + " it (mode "
                    + java.nio.file.attribute.PosixFilePermissions.toString(perms) + ", owner " + uid + ":" + gid + ")";
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
            return Files.isReadable(kvm) && Files.isWritable(kvm) ? null : "/dev/kvm is not readable and writable";
        }
    }

    private Optional<String> line(String hostPath) {
        Optional<String> known = lines.get(hostPath);
        if (known == null) {
            known = files.readLine(hostPath);
            lines.put(hostPath, known);
        }
        return known;
    }

    // helpers rather than a method reference per call site: each call site's lambda is a class spun at run
    // time, and the host probe runs in every one-shot process while the drivers wait for it
    private Integer integerLine(String hostPath) {
        Optional<String> value = line(hostPath);
        return value.isPresent() ? integer(value.get()) : null;
    }

    private long longLine(String hostPath, long otherwise) {
        Optional<String> value = line(hostPath);
        Long parsed = value.isPresent() ? longOrNull(value.get()) : null;
        return parsed == null ? otherwise : parsed;
    }

    private static Integer integer(String value) {
        Long v = longOrNull(value);
        return v == null || v > Integer.MAX_VALUE || v < Integer.MIN_VALUE ? null : v.intValue();
    }

    private static Long longOrNull(String value) {
        if (value == null) {
            return null;
        }
        try {
            return Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            return null;
        }
    }

    static String abbreviate(String text) {
        String clean = text.replaceAll("[^\\x20-\\x7e]", "?");
        return clean.length() > 80 ? clean.substring(0, 77) + "..." : clean;
    }

    /** User and groups of this process, from the live /proc (not the host root). */
    record ProcessIds(int uid, Set<Integer> groups) {
        static ProcessIds current() throws IOException {
            int uid = -1;
            Set<Integer> groups = new LinkedHashSet<>();
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("Uid:")) {
                    uid = Integer.parseInt(line.substring(4).trim().split("\\s+")[1]);
                } else if (line.startsWith("Gid:")) {
                    groups.add(Integer.parseInt(line.substring(4).trim().split("\\s+")[1]));
                } else if (line.startsWith("Groups:")) {
                    for (String g : line.substring(7).trim().split("\\s+")) {
                        if (!g.isEmpty()) {
                            groups.add(Integer.parseInt(g));
                        }
                    }
                }
            }
            return new ProcessIds(uid, groups);
        }
    }
}
