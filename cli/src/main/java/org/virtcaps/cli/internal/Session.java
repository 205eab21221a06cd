package org.virtcaps.cli.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Locale;

import org.virtcaps.core.api.CapabilitiesDocuments;
import org.virtcaps.core.api.CapabilitiesService;
import org.virtcaps.core.api.DocumentException;
import org.virtcaps.core.api.MachineDescriptions;
import org.virtcaps.core.model.Capabilities;
import org.virtcaps.remote.RemoteHost;
import org.virtcaps.remote.RemoteHosts;

/**
 * One run of the command line: the services it works with, its streams and the global options
 * ({@code --from}, {@code --connect}, {@code --root}; the launcher has already applied {@code --root},
 * {@code --cache-dir} and {@code --no-cache} to core before the framework started).
 */
final class Session {
    final CapabilitiesService service;
    final CapabilitiesDocuments documents;
    /** Null when the descriptions bundle is not installed. */
    private final MachineDescriptions localDescriptions;
    /** Null when the remote bundle is not installed. */
    private final RemoteHosts remoteHosts;
    final InputStream stdin;
    final PrintWriter out;
    final PrintWriter err;

    Path root;
    String from;
    URI connect;
    private RemoteHost remote;

    Session(CapabilitiesService service, CapabilitiesDocuments documents, MachineDescriptions descriptions,
            RemoteHosts remoteHosts, InputStream stdin, PrintWriter out, PrintWriter err) {
        this.service = service;
        this.documents = documents;
        this.localDescriptions = descriptions;
        this.remoteHosts = remoteHosts;
        this.stdin = stdin;
        this.out = out;
        this.err = err;
    }

    /** The remote host of --connect, connected on first use; null without --connect. */
    RemoteHost remote() throws UsageException {
        if (connect == null) {
            return null;
        }
        if (remote == null) {
            if (from != null || root != null) {
                throw new UsageException(null,
                        "--connect cannot be combined with --from or --root: the remote host probes itself");
            }
            if (remoteHosts == null) {
                throw new IllegalStateException("--connect needs the remote bundle (org.virtcaps.remote)");
            }
            try {
                remote = remoteHosts.connect(connect, null);
            } catch (IllegalArgumentException e) {
                throw new UsageException(null, e.getMessage());
            }
        }
        return remote;
    }

    /** The descriptions to use: the remote host's with --connect, else this platform's (null when absent). */
    MachineDescriptions descriptions() throws UsageException {
        RemoteHost host = remote();
        return host != null ? host.descriptions() : localDescriptions;
    }

    /** The document to work on: the remote host's, read from --from, or the settled local probe. */
    Capabilities capabilities() throws IOException, DocumentException, UsageException {
        RemoteHost host = remote();
        if (host != null) {
            return host.settled();
        }
        if (root != null && !Files.isDirectory(root)) {
            if (Files.exists(root)) {
                throw new IOException(root + " is not a directory (--root names a host tree)");
            }
            throw new NoSuchFileException(root + " (the --root directory does not exist)");
        }
        if (from == null) {
            return service.settled();
        }
        if (from.equals("-")) {
            return documents.read(stdin, "stdin");
        }
        Path file = Path.of(from);
        BasicFileAttributes attributes;
        try {
            attributes = Files.readAttributes(file, BasicFileAttributes.class);
        } catch (NoSuchFileException e) {
            throw new NoSuchFileException(from + " (no such file)");
        }
        // checked before opening: opening a FIFO waits for a writer, and /dev/zero never ends
        if (attributes.isDirectory()) {
            throw new IOException(from + " is a directory");
        }
        if (!attributes.isRegularFile()) {
            throw new IOException(from + " is not a regular file (" + kind(file)
                    + "); --from - reads standard input");
        }
        try (InputStream in = Files.newInputStream(file)) {
            return documents.read(in, from);
        }
    }

    private static String kind(Path file) {
        try {
            return switch ((Integer) Files.getAttribute(file, "unix:mode") & 0170000) {
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

    /** A --lang value as a locale, refused when it is not a language tag. */
    static Locale locale(String command, String tag) throws UsageException {
        Locale locale = Locale.forLanguageTag(tag);
        if (locale.getLanguage().isEmpty()) {
            throw new UsageException(command, "'" + tag + "' is not a language tag (fr, de, zh-CN, ...)");
        }
        return locale;
    }
}
