package org.virtcaps.driver.qemu.internal;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.zip.CRC32;

/**
 * Persistent probe results, one small file per entry. Each file holds its key (everything that can
 * change the answer) and a CRC; an entry whose key differs, or that is truncated or corrupt, is a miss,
 * never trusted. Writes go to a temporary file and are moved into place, so readers never see half.
 */
final class ProbeCache {
    private static final int MAGIC = 0x56435131; // "VCQ1"

    private final Path dir;

    ProbeCache(Path dir) {
        this.dir = dir;
    }

    /** Writes a payload. */
    interface Payload {
        void write(DataOutputStream out) throws IOException;
    }

    /** Reads a payload. */
    interface Reader<T> {
        T read(DataInputStream in) throws IOException;
    }

    /** What a lookup found. */
    enum Outcome {
        HIT, MISS, STALE, CORRUPT
    }

    record Lookup<T>(Outcome outcome, T value) {
    }

    <T> Lookup<T> read(String name, String key, Reader<T> reader) {
        Path file = dir.resolve(name);
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            return new Lookup<>(Outcome.MISS, null);
        } catch (IOException e) {
            return new Lookup<>(Outcome.CORRUPT, null);
        }
        if (bytes.length < 16) {
            return new Lookup<>(Outcome.CORRUPT, null);
        }
        CRC32 crc = new CRC32();
        crc.update(bytes, 0, bytes.length - 8);
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
            long stored = java.nio.ByteBuffer.wrap(bytes, bytes.length - 8, 8).getLong();
            if (in.readInt() != MAGIC || stored != crc.getValue()) {
                return new Lookup<>(Outcome.CORRUPT, null);
            }
            if (!in.readUTF().equals(key)) {
                return new Lookup<>(Outcome.STALE, null);
            }
            return new Lookup<>(Outcome.HIT, reader.read(in));
        } catch (IOException | RuntimeException e) {
            return new Lookup<>(Outcome.CORRUPT, null);
        }
    }

    void write(String name, String key, Payload payload) {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream(4096);
            try (DataOutputStream out = new DataOutputStream(bytes)) {
                out.writeInt(MAGIC);
                out.writeUTF(key);
                payload.write(out);
            }
            CRC32 crc = new CRC32();
            byte[] body = bytes.toByteArray();
            crc.update(body);
            byte[] all = java.nio.ByteBuffer.allocate(body.length + 8).put(body).putLong(crc.getValue()).array();
            Files.createDirectories(dir);
            // named by the clock, not Files.createTempFile, whose random names bring up SecureRandom: ~35 ms
            // of CPU in a cold run, spent while the emulators are being probed
            Path tmp = dir.resolve(name + "." + Long.toHexString(System.nanoTime()) + ".tmp");
            Files.write(tmp, all, java.nio.file.StandardOpenOption.CREATE_NEW, java.nio.file.StandardOpenOption.WRITE);
            try {
                Files.move(tmp, dir.resolve(name), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, dir.resolve(name), StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            // a cache that cannot be written only costs a probe next time
        }
    }

    /** Removes entries named by {@code glob} (an older layout's files); what cannot be removed stays. */
    void removeAll(String glob) {
        try (java.nio.file.DirectoryStream<Path> entries = Files.newDirectoryStream(dir, glob)) {
            for (Path entry : entries) {
                Files.deleteIfExists(entry);
            }
        } catch (IOException e) {
            // a leftover costs disk space, not correctness: its name is never read
        }
    }

    static void writeNullable(DataOutputStream out, String value) throws IOException {
        out.writeBoolean(value != null);
        if (value != null) {
            out.writeUTF(value);
        }
    }

    static String readNullable(DataInputStream in) throws IOException {
        return in.readBoolean() ? in.readUTF() : null;
    }

    /** A file name for a host path: readable, unique, no separators. */
    static String fileName(String hostPath, String suffix) {
        // by hand rather than two regular expressions: this runs for every emulator on every scan, and
        // String.replaceAll compiles its pattern on each call
        StringBuilder name = new StringBuilder(hostPath.length() + suffix.length());
        int start = 0;
        while (start < hostPath.length() && hostPath.charAt(start) == '/') {
            start++;
        }
        for (int i = start; i < hostPath.length(); i++) {
            char c = hostPath.charAt(i);
            boolean plain = c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '.' || c == '_'
                    || c == '-';
            name.append(plain ? c : '_');
        }
        return name.append(suffix).toString();
    }
}
