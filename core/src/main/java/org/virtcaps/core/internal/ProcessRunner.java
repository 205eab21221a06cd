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
 */
final class ProcessRunner {
    private static final long IDLE_PUMP_SECONDS = 5;

    private final ExecutorService pumps;

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
    }

    ProcessResult run(List<String> command, String stdin, Duration timeout, int maxOutputBytes) throws IOException {
        long start = System.nanoTime();
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().put("LC_ALL", "C");
        Process process = builder.start();
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
