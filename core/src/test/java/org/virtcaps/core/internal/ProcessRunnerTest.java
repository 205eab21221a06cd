package org.virtcaps.core.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.virtcaps.core.spi.ProcessResult;

/** No program a runner started outlives the JVM: killed by the shutdown hook, or by the kernel on SIGKILL. */
class ProcessRunnerTest {

    @Test
    void theShutdownHookKillsRunningProgramsAndNoneStartsAfterIt() throws Exception {
        ProcessRunner runner = new ProcessRunner();
        try {
            CompletableFuture<ProcessResult> sleeping = CompletableFuture.supplyAsync(() -> {
                try {
                    return runner.run(List.of("/bin/sleep", "60"), null, Duration.ofSeconds(120), 1024);
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (runner.running() == 0 && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertEquals(1, runner.running());
            runner.killAll(); // what SIGTERM or SIGINT runs
            ProcessResult killed = sleeping.get(10, TimeUnit.SECONDS);
            assertEquals(128 + 9, killed.exitCode(), "killed at once, long before its minute: " + killed);
            IOException refused = assertThrows(IOException.class,
                    () -> runner.run(List.of("/bin/true"), null, Duration.ofSeconds(5), 1024));
            assertTrue(refused.getMessage().contains("shutting down"), refused.getMessage());
        } finally {
            runner.close();
        }
    }

    @Test
    void whereSetprivIsEveryProgramStartsWithAParentDeathSignalAndRunsAsBefore() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/setpriv")),
                "no setpriv here: programs start directly (util-linux provides it)");
        ProcessRunner runner = new ProcessRunner();
        try {
            List<String> launched = runner.launched(List.of("/bin/cat", "-"));
            assertEquals(List.of("/usr/bin/setpriv", "--pdeathsig", "KILL", "--"), launched.subList(0, 4));
            assertEquals(List.of("/bin/cat", "-"), launched.subList(launched.size() - 2, launched.size()));
            // stdin, stdout, stderr and the exit status are the program's own
            ProcessResult r = runner.run(List.of("/bin/sh", "-c", "cat; echo oops >&2; exit 3"), "hello\n",
                    Duration.ofSeconds(10), 1024);
            assertEquals(3, r.exitCode());
            assertEquals("hello\n", r.stdout());
            assertEquals("oops\n", r.stderr());
            // a program that is not there fails as it did, with the JDK's error naming it
            IOException missing = assertThrows(IOException.class,
                    () -> runner.run(List.of("/nonexistent/qemu"), null, Duration.ofSeconds(5), 1024));
            assertTrue(missing.getMessage().contains("/nonexistent/qemu"), missing.getMessage());
        } finally {
            runner.close();
        }
    }

    @Test
    void theParentDeathSignalIsArmed() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/setpriv")), "no setpriv here");
        ProcessRunner runner = new ProcessRunner();
        try {
            // setpriv --dump shows the signal the program was started with; it runs as the program would
            List<String> launched = runner.launched(List.of("/usr/bin/setpriv", "--dump"));
            Process p = new ProcessBuilder(launched).redirectErrorStream(true).start();
            String dump = new String(p.getInputStream().readAllBytes());
            assertTrue(p.waitFor(10, TimeUnit.SECONDS));
            assertTrue(dump.contains("Parent death signal: 9") || dump.contains("Parent death signal: KILL"), dump);
        } finally {
            runner.close();
        }
    }
}
