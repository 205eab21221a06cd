package org.virtcaps.assembly;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A one-shot run killed while it probes leaves nothing behind: no emulator process (SIGTERM and SIGINT kill
 * them in a shutdown hook; on SIGKILL the kernel kills them, as each is started with a parent-death signal)
 * and no framework storage in /dev/shm (removed by the hook, or by the next run when the owner is gone).
 */
class KilledRunIT {
    @TempDir
    Path dir;

    /** In the command line of every fake emulator process, and of nothing else on the machine. */
    private final String marker = "virtcaps-killed-run-" + UUID.randomUUID();

    /** A host tree whose four emulators take a minute to say anything: a probe is in flight for as long. */
    private Path slowHost() throws IOException {
        Path root = dir.resolve("host");
        Path bin = Files.createDirectories(root.resolve("usr/bin"));
        Files.createDirectories(root.resolve("proc/sys/kernel"));
        Files.writeString(root.resolve("proc/cpuinfo"), CommandLineIT.fixture("xen/xen-i686.cpuinfo"));
        Files.writeString(root.resolve("proc/sys/kernel/arch"), "x86_64\n");
        for (String arch : List.of("x86_64", "aarch64", "arm", "ppc64")) {
            Path emulator = bin.resolve("qemu-system-" + arch);
            // exec: one process per emulator, as a real QEMU is, with the marker in its command line
            Files.writeString(emulator, "#!/bin/sh\nexec /usr/bin/python3 -c 'import time; time.sleep(60)' " + marker
                    + "\n");
            Files.setPosixFilePermissions(emulator, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
        return root;
    }

    private Process start(Path root) throws IOException {
        Path home = Path.of(System.getProperty("virtcaps.launcher"));
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Dvirtcaps.bundles=" + System.getProperty("virtcaps.bundles"), "-cp",
                home.resolve("launcher.jar") + ":" + home.resolve("org.apache.felix.framework.jar"),
                "org.virtcaps.launcher.Main", "capabilities", "--root", root.toString(), "--no-cache"));
        Process p = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(dir.resolve("run-" + System.nanoTime() + ".log").toFile()).start();
        p.getOutputStream().close();
        return p;
    }

    /** PIDs of the processes whose command line holds the marker. */
    private List<Long> emulators() {
        List<Long> found = new ArrayList<>();
        try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
            for (Path proc : procs.toList()) {
                String name = proc.getFileName().toString();
                if (!name.chars().allMatch(Character::isDigit)) {
                    continue;
                }
                try {
                    String cmdline = new String(Files.readAllBytes(proc.resolve("cmdline")), StandardCharsets.UTF_8);
                    if (cmdline.contains(marker)) {
                        found.add(Long.parseLong(name));
                    }
                } catch (IOException e) {
                    // gone meanwhile
                }
            }
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return found;
    }

    /** Waits up to {@code millis} for {@code condition}; returns whether it came true. */
    private static boolean within(long millis, java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            Thread.sleep(20);
        }
        return true;
    }

    private static List<Path> storagesOf(long pid) throws IOException {
        Path shm = Path.of("/dev/shm");
        if (!Files.isDirectory(shm)) {
            return List.of();
        }
        try (Stream<Path> entries = Files.list(shm)) {
            return entries.filter(e -> e.getFileName().toString().startsWith("virtcaps-felix-p" + pid + ".")).toList();
        }
    }

    /**
     * Four kills per signal: while the framework starts (its storage just made), the moment the first emulator
     * appears, and 0.3 s and 1 s into the probes; after each, no emulator survives (given 2 s to die: the
     * kernel's signal and the reaping are not instantaneous) and, but for SIGKILL, the storage is gone.
     */
    private void killAtFourPoints(String signal) throws Exception {
        Path root = slowHost();
        List<String> survivors = new ArrayList<>();
        int inFlight = 0;
        for (int point = 0; point < 4; point++) {
            Process run = start(root);
            if (point == 0) {
                // the framework starting: its storage is there and being filled
                assertTrue(within(30_000, () -> {
                    try {
                        return !storagesOf(run.pid()).isEmpty();
                    } catch (IOException e) {
                        return false;
                    }
                }), "the run made its storage");
            } else {
                assertTrue(within(30_000, () -> !emulators().isEmpty()), "the run started probing");
                Thread.sleep(new long[] { 0, 0, 300, 1000 }[point]);
            }
            if (!emulators().isEmpty()) {
                inFlight++;
            }
            new ProcessBuilder("kill", "-" + signal, Long.toString(run.pid())).start().waitFor();
            assertTrue(run.waitFor(15, TimeUnit.SECONDS), "the run ended on SIG" + signal);
            if (!within(2000, () -> emulators().isEmpty())) {
                survivors.add("point " + point + ": " + emulators());
                emulators().forEach(pid -> ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly));
            }
            if (!signal.equals("KILL")) {
                assertEquals(List.of(), storagesOf(run.pid()), "the framework storage is removed on SIG" + signal);
            }
        }
        assertTrue(inFlight >= 3, "probes were in flight at " + inFlight + " of the kills");
        assertEquals(List.of(), survivors, "emulators that survived SIG" + signal);
    }

    @Test
    void noEmulatorSurvivesSigterm() throws Exception {
        killAtFourPoints("TERM");
    }

    @Test
    void noEmulatorSurvivesSigint() throws Exception {
        killAtFourPoints("INT");
    }

    @Test
    void noEmulatorSurvivesSigkill() throws Exception {
        killAtFourPoints("KILL");
    }

    @Test
    void theStorageOfAKilledRunIsRemovedByTheNextRun() throws Exception {
        Path root = slowHost();
        Process killed = start(root);
        assertTrue(within(30_000, () -> {
            try {
                return !storagesOf(killed.pid()).isEmpty();
            } catch (IOException e) {
                return false;
            }
        }), "the run made its storage");
        new ProcessBuilder("kill", "-KILL", Long.toString(killed.pid())).start().waitFor();
        assertTrue(killed.waitFor(15, TimeUnit.SECONDS));
        org.junit.jupiter.api.Assumptions.assumeFalse(storagesOf(killed.pid()).isEmpty(), "nothing was left behind");
        CommandLineIT.Run next = CommandLineIT.virtcaps(null, "--version");
        assertEquals(0, next.exit(), next.err());
        assertEquals(List.of(), storagesOf(killed.pid()), "removed by the next run, its owner being gone");
    }
}
