package org.virtcaps.driver.qemu;

import java.util.List;
import java.util.Map;

import org.virtcaps.core.model.GuestFeature;
import org.virtcaps.core.model.Machine;

/**
 * Facts about QEMU targets as libvirt names them: which arches a {@code qemu-system-TARGET} binary
 * serves, their wordsizes, the preferred default machine per arch, the guest features libvirt 9.0
 * reports, and how an emulator's machines are listed (default first, alias after its canonical name).
 */
public final class QemuArchitectures {
    private QemuArchitectures() {
    }

    /** libvirt arch names a qemu-system-TARGET binary serves (libvirt's own naming). */
    private static final Map<String, List<String>> ARCHES = Map.ofEntries(
            Map.entry("aarch64", List.of("aarch64")), Map.entry("alpha", List.of("alpha")),
            Map.entry("arm", List.of("armv6l", "armv7l")), Map.entry("avr", List.of("avr")),
            Map.entry("cris", List.of("cris")), Map.entry("hppa", List.of("parisc")),
            Map.entry("i386", List.of("i686")), Map.entry("loongarch64", List.of("loongarch64")),
            Map.entry("m68k", List.of("m68k")), Map.entry("microblaze", List.of("microblaze")),
            Map.entry("microblazeel", List.of("microblazeel")), Map.entry("mips", List.of("mips")),
            Map.entry("mipsel", List.of("mipsel")), Map.entry("mips64", List.of("mips64")),
            Map.entry("mips64el", List.of("mips64el")), Map.entry("nios2", List.of("nios2")),
            Map.entry("or1k", List.of("openrisc")), Map.entry("ppc", List.of("ppc")),
            Map.entry("ppc64", List.of("ppc64")), Map.entry("ppc64le", List.of("ppc64le")),
            Map.entry("riscv32", List.of("riscv32")), Map.entry("riscv64", List.of("riscv64")),
            Map.entry("rx", List.of("rx")), Map.entry("s390x", List.of("s390x")), Map.entry("sh4", List.of("sh4")),
            Map.entry("sh4eb", List.of("sh4eb")), Map.entry("sparc", List.of("sparc")),
            Map.entry("sparc64", List.of("sparc64")), Map.entry("tricore", List.of("tricore")),
            Map.entry("x86_64", List.of("x86_64")), Map.entry("xtensa", List.of("xtensa")),
            Map.entry("xtensaeb", List.of("xtensaeb")));

    /**
     * When an arch's own binary is missing, the binary that can stand in for it (as libvirt does):
     * i686 guests on qemu-system-x86_64, armv7l on qemu-system-aarch64, ppc64le on qemu-system-ppc64.
     */
    public static final Map<String, String> FALLBACK_TARGET = Map.of("i686", "x86_64", "armv7l", "aarch64", "ppc64le",
            "ppc64", "ppc", "ppc64");

    /** Order guests appear in, as libvirt lists its arches. */
    public static final List<String> ARCH_ORDER = List.of("alpha", "armv6l", "armv7l", "aarch64", "avr", "cris", "i686",
            "loongarch64", "m68k", "microblaze", "microblazeel", "mips", "mipsel", "mips64", "mips64el", "nios2",
            "openrisc", "parisc", "ppc", "ppc64", "ppc64le", "riscv32", "riscv64", "rx", "s390x", "sh4", "sh4eb",
            "sparc", "sparc64", "tricore", "x86_64", "xtensa", "xtensaeb");

    /** Wordsizes from libvirt's arch table (sh4eb is 64 there, and libvirt reports it so). */
    private static final Map<String, Integer> WORDSIZE = Map.ofEntries(Map.entry("aarch64", 64),
            Map.entry("alpha", 64), Map.entry("armv6l", 32), Map.entry("armv7l", 32), Map.entry("avr", 8),
            Map.entry("cris", 32), Map.entry("i686", 32), Map.entry("loongarch64", 64), Map.entry("m68k", 32),
            Map.entry("microblaze", 32), Map.entry("microblazeel", 32), Map.entry("mips", 32),
            Map.entry("mipsel", 32), Map.entry("mips64", 64), Map.entry("mips64el", 64), Map.entry("nios2", 32),
            Map.entry("openrisc", 32), Map.entry("parisc", 32), Map.entry("ppc", 32), Map.entry("ppc64", 64),
            Map.entry("ppc64le", 64), Map.entry("riscv32", 32), Map.entry("riscv64", 64), Map.entry("rx", 32),
            Map.entry("s390x", 64), Map.entry("sh4", 32), Map.entry("sh4eb", 64), Map.entry("sparc", 32),
            Map.entry("sparc64", 64), Map.entry("tricore", 32), Map.entry("x86_64", 64), Map.entry("xtensa", 32),
            Map.entry("xtensaeb", 32));

    /** libvirt's stable preferred default machine per arch, used when QEMU names no default. */
    private static final Map<String, String> PREFERRED_MACHINE = Map.ofEntries(Map.entry("i686", "pc"),
            Map.entry("x86_64", "pc"), Map.entry("ppc64", "pseries"), Map.entry("ppc64le", "pseries"),
            Map.entry("s390x", "s390-ccw-virtio"), Map.entry("sparc", "SS-5"), Map.entry("sparc64", "sun4u"),
            Map.entry("mips", "malta"), Map.entry("mipsel", "malta"), Map.entry("mips64", "malta"),
            Map.entry("mips64el", "malta"), Map.entry("ppc", "g3beige"), Map.entry("armv6l", "integratorcp"),
            Map.entry("armv7l", "integratorcp"), Map.entry("aarch64", "integratorcp"));

    /** libvirt arches a binary target serves; empty when unknown. */
    public static List<String> archesOf(String binaryTarget) {
        return ARCHES.getOrDefault(binaryTarget, List.of());
    }

    /** Every binary target this table knows (the TARGET of qemu-system-TARGET). */
    public static java.util.Set<String> binaryTargets() {
        return ARCHES.keySet();
    }

    public static boolean known(String binaryTarget) {
        return ARCHES.containsKey(binaryTarget);
    }

    public static int wordsize(String arch) {
        return WORDSIZE.getOrDefault(arch, arch.contains("64") ? 64 : 32);
    }

    public static String preferredMachine(String arch) {
        return PREFERRED_MACHINE.get(arch);
    }

    public static int order(String arch) {
        int i = ARCH_ORDER.indexOf(arch);
        return i < 0 ? ARCH_ORDER.size() : i;
    }

    /** The guest features libvirt 9.0 reports for a QEMU guest of this arch, in its order. */
    public static List<GuestFeature> features(String arch) {
        boolean x86 = arch.equals("i686") || arch.equals("x86_64");
        List<GuestFeature> features = new java.util.ArrayList<>();
        if (arch.equals("i686")) {
            features.add(GuestFeature.bare("pae"));
            features.add(GuestFeature.bare("nonpae"));
        }
        if (x86 || arch.equals("aarch64")) {
            features.add(GuestFeature.toggled("acpi", true, true));
        }
        if (x86) {
            features.add(GuestFeature.toggled("apic", true, false));
        }
        features.add(GuestFeature.bare("cpuselection"));
        features.add(GuestFeature.bare("deviceboot"));
        features.add(GuestFeature.toggled("disksnapshot", true, false));
        return features;
    }

    /**
     * The emulator's machines as libvirt lists them: QEMU's order without {@code none}, the default machine
     * (QEMU's, else libvirt's preferred one for the arch) moved to the front, and each alias right after its
     * canonical machine, naming it.
     */
    public static List<Machine> machines(Emulator emulator, String arch) {
        // plain loops rather than streams here and below: this runs per guest in every one-shot process,
        // where each stream pipeline costs its classes and lambdas before it does any work
        List<EmulatorMachine> ordered = new java.util.ArrayList<>(emulator.machines());
        EmulatorMachine chosen = null;
        for (EmulatorMachine m : ordered) {
            if (m.isDefault()) {
                chosen = m;
                break;
            }
        }
        String preferred = preferredMachine(arch);
        if (chosen == null && preferred != null) {
            for (EmulatorMachine m : ordered) {
                if (m.name().equals(preferred) || preferred.equals(m.alias())) {
                    chosen = m;
                    break;
                }
            }
        }
        if (chosen != null) {
            // by position, not remove(Object): no record equals on this path
            for (int i = 0; i < ordered.size(); i++) {
                if (ordered.get(i) == chosen) {
                    ordered.add(0, ordered.remove(i));
                    break;
                }
            }
        }
        List<Machine> machines = new java.util.ArrayList<>();
        for (EmulatorMachine m : ordered) {
            machines.add(new Machine(m.name(), null, m.maxCpus(), m.deprecated()));
            if (m.alias() != null) {
                machines.add(new Machine(m.alias(), m.name(), m.maxCpus(), m.deprecated()));
            }
        }
        return machines;
    }

    /**
     * Which emulator serves each libvirt arch: the arch's own binary (first on the search path), else the
     * binary that can stand in for it ({@link #FALLBACK_TARGET}), else a dedicated KVM binary for the host
     * arch. Variant binaries (qemu-system-x86_64-microvm) serve no arch here.
     */
    public static java.util.Map<String, Emulator> emulatorsByArch(List<Emulator> emulators, String hostArch) {
        java.util.Map<String, Emulator> byArch = new java.util.TreeMap<>(new java.util.Comparator<String>() {
            @Override
            public int compare(String a, String b) {
                int byOrder = Integer.compare(order(a), order(b));
                return byOrder != 0 ? byOrder : a.compareTo(b);
            }
        });
        for (Emulator e : emulators) {
            if (e.variant() == null && !e.dedicatedKvm()) {
                List<String> arches = known(e.binaryTarget()) ? archesOf(e.binaryTarget()) : List.of(e.targetArch());
                for (String arch : arches) {
                    byArch.putIfAbsent(arch, e);
                }
            }
        }
        for (Map.Entry<String, String> fallback : FALLBACK_TARGET.entrySet()) {
            if (!byArch.containsKey(fallback.getKey())) {
                for (Emulator e : emulators) {
                    if (e.variant() == null && fallback.getValue().equals(e.binaryTarget())) {
                        byArch.put(fallback.getKey(), e);
                        break;
                    }
                }
            }
        }
        if (hostArch != null && !byArch.containsKey(hostArch)) {
            for (Emulator e : emulators) {
                if (e.dedicatedKvm()) {
                    byArch.put(hostArch, e);
                    break;
                }
            }
        }
        return byArch;
    }
}
