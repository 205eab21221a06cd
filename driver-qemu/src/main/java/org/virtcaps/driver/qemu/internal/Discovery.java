package org.virtcaps.driver.qemu.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.virtcaps.core.spi.HostEnvironment;
import org.virtcaps.driver.qemu.QemuArchitectures;

/**
 * Finds emulator binaries: every {@code qemu-system-*} in the search directories, plus the dedicated KVM
 * binaries ({@code qemu-kvm}, {@code kvm}) and the old i386 emulator's name ({@code qemu}). As in a
 * PATH lookup (and libvirt's), a name found in an earlier directory shadows the same name in later ones:
 * Debian's /usr/bin/qemu-system-i386 is a wrapper that runs /usr/libexec/qemu-system-i386, which is then
 * neither listed nor probed a second time. A directory reached twice (/bin → /usr/bin on merged-/usr
 * systems) is listed once; differently named links to one binary (qemu-system-ppc64le → ppc64) are kept,
 * since the name decides the arch.
 */
final class Discovery {
    private static final String PREFIX = "qemu-system-";

    /**
     * Names of emulator-like files per directory, with the directory's own stat: while a directory's
     * mtime and ctime are unchanged its entries are too (creating, removing or renaming a file changes
     * them), so a rescan costs one stat per directory instead of a listing of /usr/bin.
     */
    private final Map<Path, Listing> listings = new ConcurrentHashMap<>();
    private final java.util.concurrent.atomic.AtomicLong listingsRead = new java.util.concurrent.atomic.AtomicLong();
    private volatile List<Path> lastDirectories = List.of();

    /** A directory's emulator-like names, valid while its stat key is {@code key}. */
    record Listing(String key, List<String> names) {
    }

    /** Listings known from elsewhere (the scan index): used, like this process's own, while their key matches. */
    void remember(Map<Path, Listing> known) {
        listings.putAll(known);
    }

    /** The listings of directories under {@code root}, for the scan index. */
    Map<Path, Listing> listingsUnder(Path root) {
        Map<Path, Listing> under = new java.util.TreeMap<>();
        for (Map.Entry<Path, Listing> e : listings.entrySet()) {
            if (e.getKey().startsWith(root)) {
                under.put(e.getKey(), e.getValue());
            }
        }
        return under;
    }

    /** The directories the last discovery searched, in search order. */
    List<Path> lastDirectories() {
        return lastDirectories;
    }

    /** How many directories were actually listed (not answered from a listing whose key matched) so far. */
    long listingsRead() {
        return listingsRead.get();
    }

    List<Candidate> discover(HostEnvironment host, List<String> extraDirs) {
        List<Path> dirs = new ArrayList<>(host.searchPath());
        for (String extra : extraDirs) {
            Path dir = host.resolve(extra);
            if (Files.isDirectory(dir) && !dirs.contains(dir)) {
                dirs.add(dir);
            }
        }
        lastDirectories = List.copyOf(dirs);
        Set<String> seen = new HashSet<>(); // names already found
        Set<Path> listed = new HashSet<>(); // directories already listed
        List<Candidate> candidates = new ArrayList<>();
        Path root = host.root();
        for (Path dir : dirs) {
            try {
                if (!listed.add(dir.toRealPath())) {
                    continue;
                }
            } catch (IOException e) {
                continue;
            }
            String hostDir = hostPath(root, dir);
            for (String name : names(dir)) {
                Path file = dir.resolve(name);
                Candidate c = candidate(hostDir, file, name);
                if (c != null && !Files.isDirectory(file) && seen.add(name)) {
                    candidates.add(c);
                }
            }
        }
        return candidates;
    }

    private List<String> names(Path dir) {
        String key = QemuEmulatorCatalog.key(dir);
        Listing known = listings.get(dir);
        if (known != null && key != null && known.key().equals(key)) {
            return known.names();
        }
        // plain names and a prefix test: no Path per entry and no glob, which matters in a short-lived JVM
        // listing a /usr/bin of thousands of entries
        String[] all = dir.toFile().list();
        listingsRead.incrementAndGet();
        if (all == null) {
            return List.of(); // an unreadable directory contributes nothing
        }
        List<String> names = new ArrayList<>();
        for (String name : all) {
            if (name.startsWith("qemu") || name.equals("kvm")) {
                names.add(name);
            }
        }
        names.sort(null);
        if (key != null) {
            listings.put(dir, new Listing(key, List.copyOf(names)));
        }
        return names;
    }

    /** The directory as the host names it: "/usr/bin" for ROOT/usr/bin, "" for the root itself. */
    private static String hostPath(Path root, Path dir) {
        String relative = root.relativize(dir).toString().replace('\\', '/');
        return relative.isEmpty() ? "" : "/" + relative;
    }

    private static Candidate candidate(String hostDir, Path file, String name) {
        String hostPath = hostDir + "/" + name;
        if (name.equals("qemu-kvm") || name.equals("kvm")) {
            return new Candidate(hostPath, file, null, null);
        }
        if (name.equals("qemu")) {
            // before 0.10 the i386 system emulator was plain "qemu"
            return new Candidate(hostPath, file, "i386", null);
        }
        if (!name.startsWith(PREFIX) || name.length() == PREFIX.length() || name.endsWith(".bak")) {
            return null;
        }
        String rest = name.substring(PREFIX.length());
        // the longest known target the name starts with; the remainder names a variant
        String target = null;
        for (String t : QemuArchitectures.binaryTargets()) {
            boolean names = rest.startsWith(t) && (rest.length() == t.length() || rest.charAt(t.length()) == '-');
            if (names && (target == null || t.length() > target.length())) {
                target = t;
            }
        }
        if (target == null) {
            return new Candidate(hostPath, file, rest, null);
        }
        String variant = rest.length() > target.length() ? rest.substring(target.length() + 1) : null;
        return new Candidate(hostPath, file, target, variant);
    }

}
