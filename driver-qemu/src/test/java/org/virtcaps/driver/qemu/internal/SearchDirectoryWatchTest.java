package org.virtcaps.driver.qemu.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The optional watch: emulator files appearing or going refresh once the directory is quiet; others do not. */
class SearchDirectoryWatchTest {
    @TempDir
    Path dir;

    @Test
    void anEmulatorInstalledOrRemovedRefreshesOnceAndOtherFilesDoNot() throws Exception {
        Path bin = Files.createDirectories(dir.resolve("usr/bin"));
        Semaphore refreshed = new Semaphore(0);
        SearchDirectoryWatch watch = new SearchDirectoryWatch(() -> List.of(bin), refreshed::release, 1000);
        try {
            // registration happens on the watch's thread: give it a change it must see, repeatedly until seen
            Path first = bin.resolve("qemu-system-x86_64");
            for (int i = 0; i < 20 && watch.refreshes() == 0; i++) {
                Files.writeString(first, "#!/bin/sh\n" + i + "\n");
                refreshed.tryAcquire(2, TimeUnit.SECONDS);
            }
            assertTrue(watch.refreshes() > 0, "a new emulator refreshes");
            refreshed.drainPermits();
            int before = watch.refreshes();

            // a package upgrade writes a temporary file and renames several binaries: one refresh for all
            Files.writeString(bin.resolve("ls"), "not an emulator");
            Files.writeString(bin.resolve("qemu-system-arm.dpkg-new"), "new");
            Files.move(bin.resolve("qemu-system-arm.dpkg-new"), bin.resolve("qemu-system-arm"));
            Files.delete(first);
            assertTrue(refreshed.tryAcquire(20, TimeUnit.SECONDS), "the change is seen");
            assertEquals(before + 1, watch.refreshes());
            assertEquals(Set.of("qemu-system-arm", "qemu-system-arm.dpkg-new", "qemu-system-x86_64"), watch.lastChange());

            // files that are not emulators change nothing
            Files.writeString(bin.resolve("ls"), "still not an emulator");
            Files.writeString(bin.resolve("qemu-system-arm"), "upgraded");
            assertTrue(refreshed.tryAcquire(20, TimeUnit.SECONDS));
            assertEquals(Set.of("qemu-system-arm"), watch.lastChange(), "ls is not an emulator");
        } finally {
            watch.deactivate();
        }
    }

    @Test
    void configuredOffItWatchesNothing() throws Exception {
        SearchDirectoryWatch off = new SearchDirectoryWatch(() -> List.of(dir), null, 0);
        Files.writeString(dir.resolve("qemu-system-x86_64"), "x");
        off.deactivate();
        assertEquals(0, off.refreshes());
    }
}
