package org.virtcaps.core.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

import org.virtcaps.core.model.Host;
import org.virtcaps.core.spi.HostEnvironment;
import org.virtcaps.core.spi.ProcessResult;

/**
 * One driver's {@link HostEnvironment}: shared root and host, its own cache directory. The host is asked
 * for only when the driver needs it, so a driver's work that does not depend on the host (listing and
 * stat-ing emulators, reading its cache) overlaps core's host probe instead of waiting for it.
 */
final class LocalHostEnvironment implements HostEnvironment {
    static final String DEFAULT_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

    private final HostFiles files;
    private final Supplier<Host> host;
    private final Path cacheDirectory;
    private final String pathVariable;
    private final ProcessRunner runner;

    LocalHostEnvironment(HostFiles files, Supplier<Host> host, Path cacheDirectory, String pathVariable) {
        this(files, host, cacheDirectory, pathVariable, new ProcessRunner());
    }

    /** @param runner shared by the environments of one owner, so its output-draining threads are reused */
    LocalHostEnvironment(HostFiles files, Supplier<Host> host, Path cacheDirectory, String pathVariable,
            ProcessRunner runner) {
        this.runner = runner;
        this.files = files;
        this.host = host;
        this.cacheDirectory = cacheDirectory;
        this.pathVariable = pathVariable == null || pathVariable.isBlank() ? DEFAULT_PATH : pathVariable;
    }

    @Override
    public Path root() {
        return files.root();
    }

    @Override
    public Path resolve(String hostPath) {
        return files.resolve(hostPath);
    }

    @Override
    public boolean exists(String hostPath) {
        return files.exists(hostPath);
    }

    @Override
    public Optional<String> readFile(String hostPath) throws IOException {
        return files.read(hostPath);
    }

    @Override
    public List<String> list(String hostPath) throws IOException {
        return files.list(hostPath);
    }

    @Override
    public List<Path> searchPath() {
        List<Path> dirs = new ArrayList<>();
        for (String dir : pathVariable.split(":")) {
            if (dir.startsWith("/")) {
                Path resolved;
                try {
                    resolved = files.resolve(dir);
                } catch (IllegalArgumentException e) {
                    continue; // a link loop in the tree: no programs there
                }
                if (Files.isDirectory(resolved) && !dirs.contains(resolved)) {
                    dirs.add(resolved);
                }
            }
        }
        return dirs;
    }

    @Override
    public ProcessResult run(List<String> command, String stdin, Duration timeout, int maxOutputBytes)
            throws IOException {
        if (command.isEmpty()) {
            throw new IllegalArgumentException("empty command");
        }
        return runner.run(command, stdin, timeout, maxOutputBytes);
    }

    @Override
    public Optional<Path> cacheDirectory() {
        if (cacheDirectory == null) {
            return Optional.empty();
        }
        try {
            Files.createDirectories(cacheDirectory);
            return Optional.of(cacheDirectory);
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    @Override
    public Host host() {
        return host.get();
    }
}
