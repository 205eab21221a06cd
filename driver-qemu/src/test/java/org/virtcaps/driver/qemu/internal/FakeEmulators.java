package org.virtcaps.driver.qemu.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * Host trees with emulators in them, for tests: real QEMU binaries linked in from /usr/bin, a fake QEMU
 * replaying a recorded QMP conversation, and emulators that misbehave (hang, crash, print junk, print
 * without end, are not executable, vanish).
 */
public final class FakeEmulators {
    public final Path root;

    public FakeEmulators(Path root) {
        this.root = root;
    }

    public Path bin() {
        return dir("/usr/bin");
    }

    public Path dir(String hostDir) {
        try {
            return Files.createDirectories(root.resolve(hostDir.substring(1)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A link to the real binary of this machine, e.g. /usr/bin/qemu-system-x86_64. */
    public FakeEmulators real(String name) {
        try {
            Path real = Path.of("/usr/bin", name);
            if (!Files.isExecutable(real)) {
                throw new IllegalStateException(real + " is missing: install the QEMU packages (.ci/run does)");
            }
            Files.createSymbolicLink(bin().resolve(name), real);
            return this;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A shell script emulator. */
    public Path script(String name, String body) {
        try {
            Path file = bin().resolve(name);
            Files.writeString(file, "#!/bin/sh\n" + body + "\n");
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A fake QEMU answering QMP from libvirt's recording of QEMU 3.0 (x86_64). */
    public Path recordedQemu3(String name) {
        try {
            Path dir = dir("/opt/fake");
            copy("/fake/fake-qemu.py", dir.resolve("fake-qemu.py"));
            copy("/fixtures/qmp/qemu-3.0.0-x86_64.replies", dir.resolve("qemu-3.0.0-x86_64.replies"));
            return script(name, "exec /usr/bin/python3 " + dir.resolve("fake-qemu.py") + " "
                    + dir.resolve("qemu-3.0.0-x86_64.replies") + " \"$@\"");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void copy(String resource, Path target) throws IOException {
        try (InputStream in = FakeEmulators.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IOException("no test resource " + resource);
            }
            Files.copy(in, target, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
    }

    public FakeEmulators file(String hostPath, String content) {
        try {
            Path file = root.resolve(hostPath.substring(1));
            Files.createDirectories(file.getParent());
            Files.writeString(file, content);
            return this;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
