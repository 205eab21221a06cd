package org.virtcaps.core.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Root-relative, bounded reads of host files (/proc, /sys, /dev, /etc under an injectable root).
 *
 * <p>Under a root other than {@code /} (a captured host tree, which may come from anyone), every path is
 * resolved inside the root: symbolic links are followed by hand, relative ones from where they are and
 * absolute ones from the root, {@code ..} stops at the root, and at most {@link #MAX_LINK_HOPS} links are
 * followed. Checking the path text alone let {@code proc/cpuinfo -> /tmp/outside} publish an outside file.
 * On the live root links resolve as the kernel resolves them. On either, only regular files are read: a
 * FIFO blocks its reader until a writer comes, and a device may never end.
 */
final class HostFiles {
    /** Most bytes {@link #read} takes: the /proc and /sys files read whole are a few KiB at most. */
    static final int MAX_FILE_BYTES = 1 << 20;
    /**
     * Most bytes streamed from a file that grows with the machine: /proc/cpuinfo has ~1.3 KB per logical
     * CPU on x86 (~12 MB for 8192 CPUs, the kernel's largest NR_CPUS there).
     */
    static final long MAX_GROWING_FILE_BYTES = 64L << 20;
    /** Longest line kept when streaming (the rest is skipped): an x86 flags line is ~1.5 KB. */
    static final int MAX_LINE_CHARS = 64 << 10;
    /** Symbolic links followed for one path, as Linux's own limit. */
    static final int MAX_LINK_HOPS = 40;

    private final Path root;
    private final boolean live;

    HostFiles(Path root) {
        this.root = root.toAbsolutePath().normalize();
        this.live = this.root.getParent() == null;
    }

    Path root() {
        return root;
    }

    /**
     * The file a host path names under the root, with every symbolic link under the root already followed
     * (see the class comment); on the live root, the path as the kernel will resolve it.
     *
     * @throws IllegalArgumentException when the path escapes the root textually on the live root, or
     *         leads through more than {@link #MAX_LINK_HOPS} links before its last name (a last name that
     *         does is returned as the link itself)
     */
    Path resolve(String hostPath) {
        if (live) {
            String relative = hostPath.startsWith("/") ? hostPath.substring(1) : hostPath;
            Path resolved = root.resolve(relative).normalize();
            if (!resolved.startsWith(root)) {
                throw new IllegalArgumentException("path escapes the host root: " + hostPath);
            }
            return resolved;
        }
        Deque<String> pending = new ArrayDeque<>();
        pushNames(pending, hostPath);
        List<String> done = new ArrayList<>();
        int hops = 0;
        while (!pending.isEmpty()) {
            String name = pending.pop();
            if (name.equals("..")) {
                if (!done.isEmpty()) {
                    done.remove(done.size() - 1);
                }
                continue;
            }
            Path candidate = under(done).resolve(name);
            boolean link;
            try {
                link = Files.readAttributes(candidate, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS)
                        .isSymbolicLink();
            } catch (IOException e) {
                link = false; // missing: what follows is missing too, and no link
            }
            if (!link) {
                done.add(name);
                continue;
            }
            if (++hops > MAX_LINK_HOPS) {
                if (pending.isEmpty()) {
                    // the link itself, not followed: exists() and reads refuse it, as the kernel would in a
                    // chroot (ELOOP); a driver comparing two such paths still finds them the same
                    return candidate;
                }
                throw new IllegalArgumentException(hostPath + ": more than " + MAX_LINK_HOPS + " symbolic links");
            }
            String target;
            try {
                target = Files.readSymbolicLink(candidate).toString();
            } catch (IOException e) {
                throw new IllegalArgumentException(hostPath + ": unreadable symbolic link " + name);
            }
            if (target.startsWith("/")) {
                done.clear(); // the captured host's /, which is the root
            }
            pushNames(pending, target);
        }
        return under(done);
    }

    private Path under(List<String> names) {
        return names.isEmpty() ? root : root.resolve(String.join("/", names));
    }

    /** Puts a path's names in front of those still to resolve, in order. */
    private static void pushNames(Deque<String> pending, String path) {
        String[] names = path.split("/");
        for (int i = names.length - 1; i >= 0; i--) {
            if (!names[i].isEmpty() && !names[i].equals(".")) {
                pending.push(names[i]);
            }
        }
    }

    boolean exists(String hostPath) {
        try {
            Path file = resolve(hostPath);
            return live ? Files.exists(file) : Files.exists(file) && !Files.isSymbolicLink(file);
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /** Reads at most {@link #MAX_FILE_BYTES}; /proc and /sys files report size 0, so the limit is enforced while reading. */
    Optional<String> read(String hostPath) throws IOException {
        try (InputStream in = open(hostPath)) {
            if (in == null) {
                return Optional.empty();
            }
            byte[] bytes = in.readNBytes(MAX_FILE_BYTES + 1);
            if (bytes.length > MAX_FILE_BYTES) {
                throw new IOException(hostPath + " is larger than " + MAX_FILE_BYTES + " bytes");
            }
            return Optional.of(new String(bytes, StandardCharsets.UTF_8));
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

    /** How a streamed read ended. */
    enum Streamed {
        MISSING, COMPLETE,
        /** The file went on past the bound; the lines before it were given. */
        TRUNCATED
    }

    /**
     * Streams a file's lines (without terminators; undecodable bytes replaced), for files that grow with the
     * machine: memory stays bounded by the consumer whatever the size. Stops at {@code maxBytes}, the
     * partial last line dropped; a line longer than {@link #MAX_LINE_CHARS} is cut there.
     */
    Streamed lines(String hostPath, long maxBytes, Consumer<String> each) throws IOException {
        try (InputStream in = open(hostPath)) {
            if (in == null) {
                return Streamed.MISSING;
            }
            CappedStream capped = new CappedStream(in, maxBytes);
            Reader reader = new InputStreamReader(capped, StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPLACE).onUnmappableCharacter(CodingErrorAction.REPLACE));
            char[] buffer = new char[8192];
            StringBuilder line = new StringBuilder();
            for (int n = reader.read(buffer); n >= 0; n = reader.read(buffer)) {
                for (int i = 0; i < n; i++) {
                    char c = buffer[i];
                    if (c == '\n') {
                        each.accept(line.toString());
                        line.setLength(0);
                    } else if (line.length() < MAX_LINE_CHARS) {
                        line.append(c);
                    }
                }
            }
            if (capped.truncated) {
                return Streamed.TRUNCATED;
            }
            if (!line.isEmpty()) {
                each.accept(line.toString());
            }
            return Streamed.COMPLETE;
        }
    }

    /**
     * A regular file opened for reading; null when it does not exist. Anything else is refused before it
     * is opened, with what it is.
     */
    private InputStream open(String hostPath) throws IOException {
        Path file;
        try {
            file = resolve(hostPath);
        } catch (IllegalArgumentException e) {
            throw new IOException(e.getMessage());
        }
        BasicFileAttributes attributes;
        try {
            attributes = live ? Files.readAttributes(file, BasicFileAttributes.class)
                    : Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException e) {
            return null;
        }
        if (attributes.isSymbolicLink()) {
            throw new IOException(hostPath + ": more than " + MAX_LINK_HOPS + " symbolic links");
        }
        if (attributes.isDirectory()) {
            throw new IOException(hostPath + " is a directory");
        }
        if (!attributes.isRegularFile()) {
            throw new IOException(hostPath + " is not a regular file (" + kind(file) + "): not read");
        }
        try {
            // under a root, resolve() followed every link: one appearing since is not followed
            return live ? Files.newInputStream(file) : Files.newInputStream(file, LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException e) {
            return null;
        }
    }

    /** What a file that is neither regular nor a directory is, for the reason given. */
    static String kind(Path file) {
        try {
            int type = (Integer) Files.getAttribute(file, "unix:mode") & 0170000;
            return switch (type) {
                case 0010000 -> "a FIFO";
                case 0020000 -> "a character device";
                case 0060000 -> "a block device";
                case 0140000 -> "a socket";
                default -> "a special file";
            };
        } catch (IOException | RuntimeException e) {
            return "a special file";
        }
    }

    List<String> list(String hostPath) throws IOException {
        Path dir;
        try {
            dir = resolve(hostPath);
        } catch (IllegalArgumentException e) {
            throw new IOException(e.getMessage());
        }
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

    /** Ends at a byte bound, noting whether the underlying stream went on past it. */
    private static final class CappedStream extends InputStream {
        private final InputStream in;
        private long remaining;
        boolean truncated;

        CappedStream(InputStream in, long limit) {
            this.in = in;
            this.remaining = limit;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (len == 0) {
                return 0;
            }
            if (remaining <= 0) {
                if (!truncated && in.read() >= 0) {
                    truncated = true;
                }
                return -1;
            }
            int n = in.read(b, off, (int) Math.min(len, remaining));
            if (n > 0) {
                remaining -= n;
            }
            return n;
        }
    }
}
