package org.virtcaps.launcher;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Scratch storages left by runs that were killed outright are removed by the next run; live runs' stay. */
class ScratchSweepTest {
    @TempDir
    Path dir;

    private Path storage(String name) throws Exception {
        Path storage = Files.createDirectories(dir.resolve(name).resolve("bundle1/version0.0"));
        Files.writeString(storage.resolve("revision.location"), "reference:file:/x.jar");
        return dir.resolve(name);
    }

    /** The owner part a process that has ended would have written. */
    private static String deadOwner() throws Exception {
        Process p = new ProcessBuilder("/bin/true").start();
        String start = p.info().startInstant().map(i -> Long.toHexString(i.toEpochMilli())).orElse("0");
        assertTrue(p.waitFor(10, TimeUnit.SECONDS));
        p.onExit().get(10, TimeUnit.SECONDS);
        return p.pid() + "." + start;
    }

    @Test
    void storagesOfGoneRunsAreRemovedAndOthersKept() throws Exception {
        Path mine = storage(Platform.OWNED_PREFIX + Platform.owner() + "-1a2b-0");
        Path dead = storage(Platform.OWNED_PREFIX + deadOwner() + "-1a2b-0");
        Path deadContainer = storage(Platform.CONTAINER_PREFIX + deadOwner() + "-12345");
        // this PID, but another start time: a PID reused since that run died
        long self = ProcessHandle.current().pid();
        Path reused = storage(Platform.OWNED_PREFIX + self + ".1-1a2b-0");
        Path unownedRecent = storage("virtcaps-felix-1a2b-0");
        Path unownedOld = storage("virtcaps-felix-3c4d-0");
        Files.setLastModifiedTime(unownedOld, FileTime.fromMillis(System.currentTimeMillis() - 7_200_000));
        Path other = storage("something-else");
        Path odd = storage(Platform.OWNED_PREFIX + "junk");

        Platform.sweepScratch(dir);

        assertTrue(Files.isDirectory(mine), "this run's own");
        assertFalse(Files.exists(dead), "a run that is gone");
        assertFalse(Files.exists(deadContainer), "a container that is gone");
        assertFalse(Files.exists(reused), "its PID now someone else's");
        assertTrue(Files.isDirectory(unownedRecent), "an older run's name, recent: it may still run");
        assertFalse(Files.exists(unownedOld), "an older run's name, hours old");
        assertTrue(Files.isDirectory(other) && Files.isDirectory(odd), "not a name this code wrote");
    }

    @Test
    void aNewScratchDirectoryIsNamedAfterThisProcess() throws Exception {
        Path made = Platform.scratchDirectory();
        try {
            assertTrue(made.getFileName().toString().startsWith(Platform.OWNED_PREFIX + Platform.owner() + "-"), made.toString());
            assertFalse(Platform.ownerGone(made.getFileName().toString().substring(Platform.OWNED_PREFIX.length())));
        } finally {
            Platform.deleteQuietly(made);
        }
    }
}
