package org.virtcaps.core.internal;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicBoolean;

import org.virtcaps.core.spi.ProcessResult;

/**
 * Runs a program without a shell, bounded in time and output. Output is drained on two daemon threads so
 * that a chatty program never blocks on a full pipe; past the limit the process tree is killed. The draining
 * threads are kept for a few seconds between programs: a probing scan runs dozens of short programs back to
 * back, and a fresh pair of threads for each cost a cold run more than the reading itself (thread start, and a
 * new allocation buffer per thread that filled the young generation into a collection mid-scan).
 *
 * <p>No program outlives the JVM. On SIGTERM or SIGINT a shutdown hook kills every program still running
 * and refuses new ones (a lock keeps a program from starting between the two). SIGKILL runs no hook, so
 * each program is started through util-linux's {@code setpriv --pdeathsig KILL} where it exists: the kernel
 * kills the program when the thread that started it ends (a shell between setpriv and the program closes
 * the gap before the signal is armed). That thread is the one calling {@link #run},
 * which waits for the program to end (or kills it) before returning, so it outlives the program in every
 * case but the JVM's death, which is the point. (Measured: a program started from a thread that then ended
 * was killed at once; the JDK's posix_spawn helper execs the program itself, keeping the spawning thread as
 * its parent.) Without setpriv, programs are started directly, and a SIGKILLed run can leave them behind.
 */
final class ProcessRunner {
    private static final long IDLE_PUMP_SECONDS = 5;
    private static final java.util.List<String> SETPRIV = java.util.List.of("/usr/bin/setpriv", "/bin/setpriv");

    private final ExecutorService pumps;
    /** Programs running now; the shutdown hook kills them. */
    private final java.util.Set<Process> live = java.util.concurrent.ConcurrentHashMap.newKeySet();
    /** Starts hold it shared; the shutdown hook exclusively, so no program starts after the hook has run. */
    private final java.util.concurrent.locks.ReadWriteLock starting = new java.util.concurrent.locks.ReentrantReadWriteLock();
    private final Thread hook = new Thread(this::killAll, "virtcaps-kill-programs");
    private boolean hookAdded; // guarded by this
    private volatile boolean shutDown;
    /** The setpriv prefix, found on the first run; empty where there is none that takes --pdeathsig. */
    private volatile java.util.List<String> deathSignal;

    ProcessRunner() {
        AtomicInteger n = new AtomicInteger();
        this.pumps = new ThreadPoolExecutor(0, Integer.MAX_VALUE, IDLE_PUMP_SECONDS, TimeUnit.SECONDS,
                new SynchronousQueue<>(), r -> {
                    Thread t = new Thread(r, "virtcaps-process-output-" + n.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                });
    }

    /** Lets the idle draining threads go now (their owner is going away); running programs still finish. */
    void close() {
        pumps.shutdown();
        synchronized (this) {
            if (hookAdded) {
                try {
                    Runtime.getRuntime().removeShutdownHook(hook);
                } catch (IllegalStateException e) {
                    // the JVM is going down: the hook runs anyway
                }
                hookAdded = false;
            }
        }
    }

    /** The shutdown hook: no program started by this runner survives the JVM's orderly exit. */
    void killAll() {
        starting.writeLock().lock();
        try {
            shutDown = true;
            for (Process process : live) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
            }
        } finally {
            starting.writeLock().unlock();
        }
    }

    /** Programs this runner has running now (for tests). */
    int running() {
        return (int) live.stream().filter(Process::isAlive).count();
    }

    private synchronized void addHook() throws IOException {
        if (!hookAdded) {
            try {
                Runtime.getRuntime().addShutdownHook(hook);
                hookAdded = true;
            } catch (IllegalStateException e) {
                throw new IOException("the JVM is shutting down: no program is started");
            } catch (IllegalArgumentException e) {
                hookAdded = true; // added before close() removed it: still registered
            }
        }
    }

    /** {@code setpriv --pdeathsig KILL --} when this host has a setpriv that takes it (asked once), else nothing. */
    private List<String> deathSignal() {
        List<String> prefix = deathSignal;
        if (prefix == null) {
            prefix = List.of();
            for (String setpriv : SETPRIV) {
                if (java.nio.file.Files.isExecutable(java.nio.file.Path.of(setpriv))) {
                    // the signal is armed only once setpriv runs: a JVM killed between the spawn and then leaves
                    // the program orphaned, so a shell checks that its parent is still this JVM before it
                    // becomes the program (an orphan's parent is init or a subreaper)
                    List<String> candidate = List.of(setpriv, "--pdeathsig", "KILL", "--", "/bin/sh", "-c",
                            "test \"$PPID\" = " + ProcessHandle.current().pid() + " && exec \"$@\"", "sh");
                    if (works(candidate)) {
                        prefix = candidate;
                    }
                    break;
                }
            }
            deathSignal = prefix;
        }
        return prefix;
    }

    /** Whether a program started through {@code prefix} runs (an old setpriv refuses --pdeathsig). */
    private static boolean works(List<String> prefix) {
        List<String> probe = new java.util.ArrayList<>(prefix);
        probe.add("/bin/true");
        try {
            Process p = new ProcessBuilder(probe).redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            if (!p.waitFor(2, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return false;
            }
            return p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** The command as started: through setpriv when there is one and the program is there to run. */
    List<String> launched(List<String> command) {
        List<String> prefix = deathSignal();
        // a program that is missing or not executable is started directly, for the JDK's own error (an
        // IOException naming it) rather than setpriv's exit status
        if (prefix.isEmpty() || !java.nio.file.Files.isExecutable(java.nio.file.Path.of(command.get(0)))) {
            return command;
        }
        List<String> wrapped = new java.util.ArrayList<>(prefix.size() + command.size());
        wrapped.addAll(prefix);
        wrapped.addAll(command);
        return wrapped;
    }

    ProcessResult run(List<String> command, String stdin, Duration timeout, int maxOutputBytes) throws IOException {
        long start = System.nanoTime();
        ProcessBuilder builder = new ProcessBuilder(launched(command));
        builder.environment().put("LC_ALL", "C");
        addHook();
        Process process;
        starting.readLock().lock();
        try {
            if (shutDown) {
                throw new IOException("the JVM is shutting down: " + command.get(0) + " is not started");
            }
            process = builder.start();
            live.add(process);
        } finally {
            starting.readLock().unlock();
        }
        try {
            return await(process, command, stdin, timeout, maxOutputBytes, start);
        } finally {
            live.remove(process);
        }
    }

    private ProcessResult await(Process process, List<String> command, String stdin, Duration timeout,
            int maxOutputBytes, long start) throws IOException {
        AtomicBoolean truncated = new AtomicBoolean();
        Pump out = new Pump(process.getInputStream(), maxOutputBytes, truncated, process);
        Pump err = new Pump(process.getErrorStream(), maxOutputBytes, truncated, process);
        Future<?> outDone = pumps.submit(out);
        Future<?> errDone = pumps.submit(err);
        try (OutputStream in = process.getOutputStream()) {
            if (stdin != null) {
                in.write(stdin.getBytes(StandardCharsets.UTF_8));
            }
        } catch (IOException e) {
            // the program exited or closed its input early; its output tells the rest
        }
        boolean timedOut = false;
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                timedOut = true;
                kill(process);
            }
            awaitQuietly(outDone);
            awaitQuietly(errDone);
        } catch (InterruptedException e) {
            kill(process);
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while running " + command.get(0));
        }
        int exit = timedOut || truncated.get() ? -1 : exitValue(process);
        return new ProcessResult(exit, out.text(), err.text(), timedOut, truncated.get(),
                Duration.ofNanos(System.nanoTime() - start));
    }

    /** The streams close when the process and its children are gone; a grandchild holding them is not waited for. */
    private static void awaitQuietly(Future<?> pump) throws InterruptedException {
        try {
            pump.get(1, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            // the output read so far is what there is
        }
    }

    private static int exitValue(Process process) {
        try {
            return process.exitValue();
        } catch (IllegalThreadStateException e) {
            return -1;
        }
    }

    static void kill(Process process) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        try {
            process.waitFor(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static final class Pump implements Runnable {
        private final InputStream in;
        private final int limit;
        private final AtomicBoolean truncated;
        private final Process process;
        private final ByteArrayOutputStream buffer = new ByteArrayOutputStream();

        Pump(InputStream in, int limit, AtomicBoolean truncated, Process process) {
            this.in = in;
            this.limit = limit;
            this.truncated = truncated;
            this.process = process;
        }

        @Override
        public void run() {
            byte[] chunk = new byte[8192];
            try (in) {
                int n;
                while ((n = in.read(chunk)) >= 0) {
                    int room = limit - buffer.size();
                    if (n > room) {
                        buffer.write(chunk, 0, Math.max(room, 0));
                        truncated.set(true);
                        kill(process);
                        return;
                    }
                    buffer.write(chunk, 0, n);
                }
            } catch (IOException e) {
                // stream closed when the process was killed
            }
        }

        String text() {
            synchronized (buffer) {
                return buffer.toString(StandardCharsets.UTF_8);
            }
        }
    }
}
