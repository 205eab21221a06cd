package org.virtcaps.core.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.virtcaps.core.model.Diagnostic;
import org.virtcaps.core.model.Host;

/**
 * A --root tree is someone else's: links in it stay inside it, files that are not regular are not read,
 * and the host probe cannot hold a run beyond the probe timeout.
 */
class HostFilesTest {
    private static final String OUTSIDE_CPUINFO = "processor\t: 0\nvendor_id\t: AuthenticAMD\nflags\t\t: fpu svm lm\n";
    private static final String MACHINE_ID = "0123456789abcdef0123456789abcdef";

    @TempDir
    Path dir;
    @TempDir
    Path outside;

    private Path root() throws IOException {
        return Files.createDirectories(dir.resolve("root"));
    }

    private static void link(Path root, String hostPath, String target) throws IOException {
        Path link = root.resolve(hostPath.substring(1));
        Files.createDirectories(link.getParent());
        Files.createSymbolicLink(link, Path.of(target));
    }

    private static Host probe(Path root) {
        return new LinuxHostProber(new HostFiles(root), null).probe();
    }

    /** Every way a link could lead out: absolute, relative climbing, through a linked directory. */
    @Test
    void linksInARootNeverLeadOutOfIt() throws IOException {
        Files.writeString(outside.resolve("cpuinfo"), OUTSIDE_CPUINFO);
        Files.writeString(outside.resolve("machine-id"), MACHINE_ID + "\n");
        Files.createDirectories(outside.resolve("dmi"));
        Files.writeString(outside.resolve("dmi/product_uuid"), "11111111-2222-3333-4444-555555555555\n");
        Path root = root();
        link(root, "/proc/cpuinfo", outside.resolve("cpuinfo").toString());
        link(root, "/etc/machine-id", "../".repeat(outside.getNameCount() + 8) + outside.resolve("machine-id"));
        link(root, "/sys/class/dmi/id", outside.resolve("dmi").toString());

        Host host = probe(root);
        assertNull(host.cpu().vendor(), "the outside cpuinfo was read");
        assertEquals(List.of(), host.cpu().flags());
        assertNull(host.uuid(), "an outside machine-id or DMI UUID was published");
        HostFiles files = new HostFiles(root);
        assertEquals(Optional.empty(), files.read("/proc/cpuinfo"));
        assertTrue(files.resolve("/proc/cpuinfo").startsWith(root));
        assertTrue(files.resolve("/etc/machine-id").startsWith(root));
        assertTrue(files.resolve("/sys/class/dmi/id/product_uuid").startsWith(root));
        assertTrue(files.resolve("/../../..").equals(root));
    }

    /** Absolute links in a captured tree mean the captured host's /: they resolve from the root. */
    @Test
    void absoluteLinksInATreeResolveFromItsRoot() throws IOException {
        Path root = root();
        new HostTree(root).file("/captured/cpuinfo", OUTSIDE_CPUINFO).file("/captured/machine-id", MACHINE_ID + "\n");
        link(root, "/proc/cpuinfo", "/captured/cpuinfo");
        link(root, "/etc/machine-id", "../captured/./machine-id");
        Host host = probe(root);
        assertEquals("AMD", host.cpu().vendor());
        assertEquals("01234567-89ab-cdef-0123-456789abcdef", host.uuid());
    }

    @Test
    void linkLoopsAreRefusedNotFollowedForever() throws IOException {
        Path root = root();
        link(root, "/proc/cpuinfo", "/proc/loop");
        link(root, "/proc/loop", "cpuinfo");
        HostFiles files = new HostFiles(root);
        assertFalse(files.exists("/proc/cpuinfo"));
        IOException e = assertThrows(IOException.class, () -> files.read("/proc/cpuinfo"));
        assertTrue(e.getMessage().contains("symbolic links"), e.getMessage());
        Host host = probe(root);
        assertTrue(host.diagnostics().stream().anyMatch(d -> d.source().equals("/proc/cpuinfo")
                && d.message().contains("symbolic links")), host.diagnostics().toString());
    }

    /** A FIFO would block the reader until a writer comes: refused without being opened (hang guard only). */
    @Test
    @Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void fifosAndDirectoriesAreRefusedWithWhatTheyAre() throws Exception {
        Path root = root();
        Files.createDirectories(root.resolve("proc"));
        Path fifo = root.resolve("proc/cpuinfo");
        assumeTrue(mkfifo(fifo), "mkfifo is not available");
        Host host = probe(root);
        assertTrue(host.diagnostics().stream().anyMatch(d -> d.source().equals("/proc/cpuinfo")
                && d.message().contains("is not a regular file (a FIFO)")), host.diagnostics().toString());
        HostFiles files = new HostFiles(root);
        assertTrue(files.exists("/proc/cpuinfo"), "still visible, only not read");
        Files.createDirectories(root.resolve("etc/machine-id"));
        IOException directory = assertThrows(IOException.class, () -> files.read("/etc/machine-id"));
        assertEquals("/etc/machine-id is a directory", directory.getMessage());

        // the live root resolves links as the kernel does, yet does not read a FIFO or a device either
        HostFiles live = new HostFiles(Path.of("/"));
        IOException liveFifo = assertThrows(IOException.class, () -> live.read(fifo.toString()));
        assertTrue(liveFifo.getMessage().contains("is not a regular file (a FIFO)"), liveFifo.getMessage());
        IOException zero = assertThrows(IOException.class, () -> live.read("/dev/zero"));
        assertTrue(zero.getMessage().contains("is not a regular file (a character device)"), zero.getMessage());
        assertTrue(live.exists("/dev/zero"), "devices stay visible to stat (drivers check /dev/kvm)");
    }

    private static boolean mkfifo(Path path) {
        try {
            return new ProcessBuilder("mkfifo", path.toString()).inheritIO().start().waitFor() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /**
     * A host probe that does not end no longer holds the document: it comes out at the probe timeout
     * without host facts, saying why. (The stuck probe is released by the test, not by time.)
     */
    @Test
    @Timeout(value = 120, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
    void aStuckHostProbeIsBoundedByTheProbeTimeout() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        Settings settings = Settings.forRoot(root()).withProbeTimeout(Duration.ofSeconds(1));
        LocalCapabilitiesService service = new LocalCapabilitiesService(settings, files -> {
            try {
                release.await(10, TimeUnit.MINUTES);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return new LinuxHostProber(files, null).probe();
        });
        try {
            Host host = service.snapshot().host();
            List<String> messages = host.diagnostics().stream().map(Diagnostic::message).toList();
            assertTrue(messages.contains("the host probe did not finish within 1 s and was interrupted: host facts unknown"),
                    messages.toString());
            assertFalse(host.virtualization().kvmUsable());
            assertNull(host.cpu().vendor());
        } finally {
            release.countDown();
            service.deactivate();
        }
    }
}
