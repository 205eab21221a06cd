package org.virtcaps.core.model;

/**
 * Arch families as user interfaces group them ("only PC" is family x86).
 */
public final class ArchFamily {
    private ArchFamily() {
    }

    /** A family name as users type it: case-insensitive, "pc" and "i386" mean x86. */
    public static String parse(String name) {
        String n = name.trim().toLowerCase(java.util.Locale.ROOT);
        return switch (n) {
            case "pc", "i386", "i686", "x86_64", "amd64" -> "x86";
            default -> n;
        };
    }

    /** The family of a libvirt arch name; unknown arches are their own family. */
    public static String of(String arch) {
        if (arch == null) {
            return "unknown";
        }
        if (arch.matches("i[3-6]86|x86_64")) {
            return "x86";
        }
        if (arch.startsWith("arm") || arch.equals("aarch64")) {
            return "arm";
        }
        if (arch.startsWith("ppc")) {
            return "ppc";
        }
        if (arch.startsWith("s390")) {
            return "s390";
        }
        if (arch.startsWith("sparc")) {
            return "sparc";
        }
        if (arch.startsWith("mips")) {
            return "mips";
        }
        if (arch.startsWith("riscv")) {
            return "riscv";
        }
        if (arch.startsWith("microblaze")) {
            return "microblaze";
        }
        if (arch.startsWith("sh4")) {
            return "sh4";
        }
        if (arch.startsWith("xtensa")) {
            return "xtensa";
        }
        if (arch.startsWith("loongarch")) {
            return "loongarch";
        }
        return arch;
    }
}
