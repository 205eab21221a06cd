package org.virtcaps.core.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Root-relative, bounded reads of host files (/proc, /sys, /dev, /etc under an injectable root). */
final class HostFiles {
    static final int MAX_FILE_BYTES = 1 << 20;

    private final Path root;

    HostFiles(Path root) {
        this.root = root.toAbsolutePath().normalize();
    }

    Path root() {
        return root;
    }

    Path resolve(String hostPath) {
        String relative = hostPath.startsWith("/") ? hostPath.substring(1) : hostPath;
        Path resolved = root.resolve(relative).normalize();
        if (!resolved.startsWith(root)) {
            throw new IllegalArgumentException("path escapes the host root: " + hostPath);
        }
        return resolved;
    }

    boolean exists(String hostPath) {
        return Files.exists(resolve(hostPath));
    }

    /**
     * Reads at most {@link #MAX_FILE_BYTES}; /proc and /sys files report size 0, so the limit is enforced
     * while reading rather than from the size.
     */
    Optional<String> read(String hostPath) throws IOException {
        Path file = resolve(hostPath);
        if (!Files.exists(file)) {
            return Optional.empty();
        }
        try (InputStream in = Files.newInputStream(file)) {
            byte[] bytes = in.readNBytes(MAX_FILE_BYTES + 1);
            if (bytes.length > MAX_FILE_BYTES) {
                throw new IOException(hostPath + " is larger than " + MAX_FILE_BYTES + " bytes");
            }
            return Optional.of(new String(bytes, StandardCharsets.UTF_8));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
    }

    /** The first line of a file, trimmed; empty when missing or unreadable. */
    Optional<String> readLine(String hostPath) {
        try {
            Optional<String> text = read(hostPath);
            if (text.isEmpty()) {
                return text;
            }
            String s = text.get();
            int end = s.indexOf('\n');
            return Optional.of((end < 0 ? s : s.substring(0, end)).trim());
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    List<String> list(String hostPath) throws IOException {
        Path dir = resolve(hostPath);
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        List<String> names = new ArrayList<>();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
            for (Path entry : entries) {
                names.add(entry.getFileName().toString());
            }
        }
        names.sort(null);
        return List.copyOf(names);
    }
}
