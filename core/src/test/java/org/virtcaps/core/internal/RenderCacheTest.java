package org.virtcaps.core.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.virtcaps.core.model.Capabilities;
import org.virtcaps.core.model.Guest;
import org.virtcaps.core.model.Machine;

/** The model bytes that key a cached rendering, and the cache file's defences. */
class RenderCacheTest {
    @TempDir
    Path dir;

    private static Capabilities kvm() throws Exception {
        return new DocumentsComponent().read(new ByteArrayInputStream(
                HostTree.resource("/fixtures/libvirt-xml/kvm-x86_64.xml").getBytes(StandardCharsets.UTF_8)), "x");
    }

    @Test
    void modelBytesAreEqualExactlyForEqualModels() throws Exception {
        Capabilities a = kvm();
        Capabilities b = kvm(); // read again: equal, not the same objects
        ModelBytes bytes = new ModelBytes();
        assertArrayEquals(bytes.of(List.of(a.host(), a.guests())), bytes.of(List.of(b.host(), b.guests())));

        // one machine's max CPUs, deep in one guest
        List<Guest> guests = new ArrayList<>(a.guests());
        Guest first = guests.get(0);
        List<Machine> machines = new ArrayList<>(first.machines());
        Machine m = machines.get(0);
        machines.set(0, new Machine(m.name(), m.canonical(), m.maxCpus() == null ? 1 : m.maxCpus() + 1, m.deprecated()));
        guests.set(0, new Guest(first.osType(), first.arch(), first.wordsize(), first.emulator(), first.loader(), machines,
                first.domains(), first.features()));
        assertFalse(java.util.Arrays.equals(bytes.of(List.of(a.host(), a.guests())), bytes.of(List.of(a.host(), guests))));

        // null and empty differ; strings do not run into each other
        assertFalse(java.util.Arrays.equals(bytes.of(java.util.Arrays.asList((Object) null)), bytes.of(List.of(""))));
        assertFalse(java.util.Arrays.equals(bytes.of(List.of("ab", "c")), bytes.of(List.of("a", "bc"))));
        // a map's order is not part of its value
        Map<String, Object> ab = new LinkedHashMap<>();
        ab.put("a", 1);
        ab.put("b", true);
        Map<String, Object> ba = new LinkedHashMap<>();
        ba.put("b", true);
        ba.put("a", 1);
        assertArrayEquals(bytes.of(ab), bytes.of(ba));
        assertFalse(java.util.Arrays.equals(bytes.of(ab), bytes.of(Map.of("a", 1, "b", false))));
        // a collection without an order has no canonical bytes: refused, so the document is rendered uncached
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> bytes.of(java.util.Set.of("a", "b")));
    }

    @Test
    void recordsWrittenByHandGiveTheReflectiveBytes() throws Exception {
        // every component set, and every nullable one null: a component added to one of these records and
        // not written by hand makes the two forms differ
        Machine full = new Machine("pc-i440fx-7.2", "pc", 255, true);
        Machine bare = new Machine("none", null, null, null);
        org.virtcaps.core.model.GuestFeature feature = new org.virtcaps.core.model.GuestFeature("acpi", true, false);
        org.virtcaps.core.model.GuestFeature plain = new org.virtcaps.core.model.GuestFeature("pae", null, null);
        org.virtcaps.core.model.GuestDomain domain = new org.virtcaps.core.model.GuestDomain("kvm", "/usr/bin/kvm",
                List.of(full, bare));
        org.virtcaps.core.model.GuestDomain inherits = new org.virtcaps.core.model.GuestDomain("qemu", null, List.of());
        Guest guest = new Guest("hvm", "x86_64", 64, "/usr/bin/qemu-system-x86_64", "/usr/lib/xen/boot/hvmloader",
                List.of(full, bare), List.of(domain, inherits), List.of(feature, plain));
        Guest sparse = new Guest("xen", "i686", 32, null, null, List.of(), List.of(), List.of());
        Capabilities kvm = kvm();
        for (Object value : List.of(full, bare, feature, plain, domain, inherits, guest, sparse,
                List.of(kvm.host(), kvm.guests()))) {
            assertArrayEquals(new ModelBytes(false).of(value), new ModelBytes().of(value), String.valueOf(value));
        }
        for (Class<?> type : List.of(Machine.class, org.virtcaps.core.model.GuestFeature.class,
                org.virtcaps.core.model.GuestDomain.class, Guest.class)) {
            // the samples above set each component: a new one needs a sample and a line in ModelBytes
            assertEquals(Map.of(Machine.class, 4, org.virtcaps.core.model.GuestFeature.class, 3,
                    org.virtcaps.core.model.GuestDomain.class, 3, Guest.class, 8).get(type),
                    type.getRecordComponents().length, type.getName());
        }
    }

    @Test
    void answersOnlyForTheSameModelAndRenderer() throws Exception {
        RenderCache cache = new RenderCache(dir.resolve("documents"));
        byte[] key = { 1, 2, 3 };
        assertEquals(Optional.empty(), cache.lookup("libvirt", "r1", key)); // nothing yet
        cache.store("libvirt", "r1", key, "<capabilities>é</capabilities>\n");
        assertEquals(Optional.of("<capabilities>é</capabilities>\n"), cache.lookup("libvirt", "r1", key));
        assertEquals(Optional.empty(), cache.lookup("libvirt", "r1", new byte[] { 1, 2, 4 }));
        assertEquals(Optional.empty(), cache.lookup("libvirt", "r1", new byte[] { 1, 2 }));
        assertEquals(Optional.empty(), cache.lookup("libvirt", "r2", key));
        assertEquals(Optional.empty(), cache.lookup("seed", "r1", key));
        // another document has its own entry; a new rendering of the same one replaces it; no temporary
        // file is left
        cache.store("libvirt", "r1", new byte[] { 9 }, "other");
        cache.store("libvirt", "r2", key, "new");
        assertEquals(Optional.of("other"), cache.lookup("libvirt", "r1", new byte[] { 9 }));
        assertEquals(Optional.of("new"), cache.lookup("libvirt", "r2", key));
        assertEquals(Optional.empty(), cache.lookup("libvirt", "r1", key));
        assertEquals(2, list(dir.resolve("documents")).size());
    }

    @Test
    void keepsTheMostRecentlyWrittenDocuments() throws Exception {
        RenderCache cache = new RenderCache(dir);
        int documents = RenderCache.ENTRIES + 3;
        for (int i = 0; i < documents; i++) {
            byte[] key = { (byte) i };
            cache.store("libvirt", "r", key, "document " + i);
            Files.setLastModifiedTime(cache.file("libvirt", key), java.nio.file.attribute.FileTime.fromMillis(1_000_000L * (i + 1)));
        }
        cache.store("libvirt", "r", new byte[] { (byte) (documents - 1) }, "document " + (documents - 1)); // evicts
        assertEquals(RenderCache.ENTRIES, list(dir).size());
        for (int i = 0; i < documents; i++) {
            Optional<String> found = cache.lookup("libvirt", "r", new byte[] { (byte) i });
            assertEquals(i >= documents - RenderCache.ENTRIES ? Optional.of("document " + i) : Optional.empty(), found,
                    "document " + i);
        }
    }

    @Test
    void damagedFilesAreNotTrusted() throws Exception {
        RenderCache cache = new RenderCache(dir);
        byte[] key = "model".getBytes(StandardCharsets.UTF_8);
        cache.store("libvirt", "r", key, "<capabilities/>");
        Path file = cache.file("libvirt", key);
        byte[] good = Files.readAllBytes(file);
        for (int i = 0; i < good.length; i++) {
            byte[] flipped = good.clone();
            flipped[i] ^= 0x20;
            Files.write(file, flipped);
            assertEquals(Optional.empty(), cache.lookup("libvirt", "r", key), "byte " + i + " flipped");
        }
        for (int length : new int[] { 0, 1, 7, 8, good.length / 2, good.length - 1 }) {
            Files.write(file, java.util.Arrays.copyOf(good, length));
            assertEquals(Optional.empty(), cache.lookup("libvirt", "r", key), "truncated to " + length);
        }
        Files.writeString(file, "<capabilities>not a cache file</capabilities>");
        assertEquals(Optional.empty(), cache.lookup("libvirt", "r", key));
        Files.delete(file);
        Files.createDirectory(file); // a directory where the file should be: nothing thrown either way
        assertEquals(Optional.empty(), cache.lookup("libvirt", "r", key));
        cache.store("libvirt", "r", key, "x");
        assertTrue(Files.isDirectory(file));
    }

    @Test
    void anUnwritableCacheCostsOnlyTime() throws Exception {
        Path blocker = dir.resolve("blocker");
        Files.writeString(blocker, "a file where the directory should be");
        RenderCache cache = new RenderCache(blocker.resolve("documents"));
        cache.store("libvirt", "r", new byte[] { 1 }, "x");
        assertEquals(Optional.empty(), cache.lookup("libvirt", "r", new byte[] { 1 }));
    }

    private static List<Path> list(Path dir) throws Exception {
        try (var files = Files.list(dir)) {
            return files.toList();
        }
    }
}
