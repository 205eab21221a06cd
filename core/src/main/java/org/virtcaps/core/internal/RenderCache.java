package org.virtcaps.core.internal;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;
import java.util.Optional;
import java.util.zip.CRC32C;

/**
 * The last rendering of a document, on disk, so that a one-shot command asked for the same document
 * again prints it without building the JAXB context (the costliest part of a start-up with nothing to
 * re-probe). An entry answers only for the very same document (its model bytes, compared in full; their
 * checksum only picks the file) rendered by the very same code (the renderer's identity: bundle versions
 * and jars). A few documents are kept per format, so hosts or trees asked in turn do not evict each other;
 * the least recently written go first. A file that is truncated, corrupt or from another renderer is not
 * trusted: the document is rendered afresh and the file replaced. Writes go to a temporary file first and
 * are moved into place, so concurrent runs never see half a file.
 */
final class RenderCache {
    private static final int MAGIC = 0x76637263; // "vcrc"
    private static final int VERSION = 1;
    /** Larger files are not read: a capabilities document is tens of KiB, its model a few hundred. */
    private static final long MAX_FILE_BYTES = 64L << 20;

    /** Documents kept per format. */
    static final int ENTRIES = 8;

    private final Path dir;

    RenderCache(Path dir) {
        this.dir = dir;
    }

    /** The cached rendering of the document whose model bytes are {@code key}, if there is a good one. */
    Optional<String> lookup(String format, String renderer, byte[] key) {
        Path file = file(format, key);
        try {
            if (!Files.isRegularFile(file) || Files.size(file) > MAX_FILE_BYTES) {
                return Optional.empty();
            }
            byte[] bytes = Files.readAllBytes(file);
            if (bytes.length < 8) {
                return Optional.empty();
            }
            CRC32C crc = new CRC32C();
            crc.update(bytes, 0, bytes.length - 8);
            DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes));
            in.skipNBytes(bytes.length - 8);
            if (in.readLong() != crc.getValue()) {
                return Optional.empty(); // damaged
            }
            in = new DataInputStream(new ByteArrayInputStream(bytes, 0, bytes.length - 8));
            if (in.readInt() != MAGIC || in.readInt() != VERSION || !in.readUTF().equals(renderer)) {
                return Optional.empty();
            }
            byte[] storedKey = new byte[in.readInt()];
            in.readFully(storedKey);
            if (!Arrays.equals(storedKey, key)) {
                return Optional.empty();
            }
            byte[] content = new byte[in.readInt()];
            in.readFully(content);
            return Optional.of(new String(content, StandardCharsets.UTF_8));
        } catch (IOException | RuntimeException e) {
            return Optional.empty(); // unreadable or malformed: render afresh
        }
    }

    /** Keeps a rendering; a cache that cannot be written only costs the next run a rendering. */
    void store(String format, String renderer, byte[] key, String content) {
        Path file = file(format, key);
        Path temporary = null;
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream(key.length + content.length() + 256);
            DataOutputStream out = new DataOutputStream(bytes);
            out.writeInt(MAGIC);
            out.writeInt(VERSION);
            out.writeUTF(renderer);
            out.writeInt(key.length);
            out.write(key);
            byte[] text = content.getBytes(StandardCharsets.UTF_8);
            out.writeInt(text.length);
            out.write(text);
            CRC32C crc = new CRC32C();
            crc.update(bytes.toByteArray());
            out.writeLong(crc.getValue());
            out.flush();
            Files.createDirectories(dir);
            // named by the clock, not Files.createTempFile: its random names bring up SecureRandom (~15 ms cold)
            temporary = dir.resolve(format + "." + Long.toHexString(System.nanoTime()) + ".tmp");
            Files.write(temporary, bytes.toByteArray(), java.nio.file.StandardOpenOption.CREATE_NEW,
                    java.nio.file.StandardOpenOption.WRITE);
            try {
                Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING);
            }
            temporary = null;
            evictBeyond(format, file);
        } catch (IOException | RuntimeException e) {
            // read-only or full file system: nothing is lost but time
        } finally {
            if (temporary != null) {
                try {
                    Files.deleteIfExists(temporary);
                } catch (IOException e) {
                    // left behind in the cache directory; harmless
                }
            }
        }
    }

    /** The file for a document: named by a checksum of its model bytes (a clash only costs a rendering). */
    Path file(String format, byte[] key) {
        CRC32C crc = new CRC32C();
        crc.update(key);
        return dir.resolve(format + "-" + Long.toHexString(crc.getValue()) + ".rendered");
    }

    /** Keeps the {@link #ENTRIES} most recently written files of the format. */
    private void evictBeyond(String format, Path kept) throws IOException {
        java.util.List<Path> files = new java.util.ArrayList<>();
        try (java.nio.file.DirectoryStream<Path> entries = Files.newDirectoryStream(dir, format + "-*.rendered")) {
            entries.forEach(files::add);
        }
        if (files.size() <= ENTRIES) {
            return;
        }
        java.util.Map<Path, Long> written = new java.util.HashMap<>();
        for (Path f : files) {
            try {
                written.put(f, Files.getLastModifiedTime(f).toMillis());
            } catch (IOException e) {
                written.put(f, Long.MIN_VALUE); // vanished or unreadable: first to go
            }
        }
        files.remove(kept);
        files.sort(java.util.Comparator.comparingLong(written::get));
        for (int i = 0; i < files.size() - (ENTRIES - 1); i++) {
            Files.deleteIfExists(files.get(i));
        }
    }
}
