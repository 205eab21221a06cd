package org.virtcaps.cli.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.virtcaps.core.internal.DocumentsComponent;

/**
 * The command line's parsing, help and exit codes, over core's real document service and a libvirt
 * document read with --from (no probing, no framework).
 */
class CliCommandTest {
    @TempDir
    static Path dir;
    static Path kvm;
    private static final DocumentsComponent DOCUMENTS = new DocumentsComponent();

    record Run(int exit, String out, String err) {
    }

    @BeforeAll
    static void fixture() throws Exception {
        kvm = dir.resolve("kvm-x86_64.xml");
        try (InputStream in = CliCommandTest.class.getResourceAsStream("/fixtures/libvirt-xml/kvm-x86_64.xml")) {
            Files.copy(in, kvm);
        }
    }

    private static Run run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int exit = new CliCommand(null, DOCUMENTS, null, null).run(args, new ByteArrayInputStream(new byte[0]),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(exit, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private static void assertUsage(String expected, String... args) {
        Run r = run(args);
        assertEquals(2, r.exit(), r.err());
        assertTrue(r.err().startsWith("virtcaps: " + expected), r.err());
        assertTrue(r.err().contains("--help' for more information."), r.err());
        assertEquals("", r.out());
    }

    @Test
    void helpListsCommandsAndOptions() {
        Run top = run("--help");
        assertEquals(0, top.exit());
        for (String word : new String[] { "capabilities", "guests", "drivers", "describe", "--root", "--connect",
                "Exit codes" }) {
            assertTrue(top.out().contains(word), word + " in\n" + top.out());
        }
        Run guests = run("guests", "--help");
        assertEquals(0, guests.exit());
        assertTrue(guests.out().startsWith("usage: virtcaps guests [OPTIONS]"), guests.out());
        assertTrue(guests.out().contains("--wordsize <BITS>") && guests.out().contains("Global options:"), guests.out());
        assertEquals("virtcaps 0.1.0\n", run("-V").out());
        Run none = run();
        assertEquals(2, none.exit());
        assertTrue(none.err().startsWith("usage: virtcaps"), none.err());
    }

    @Test
    void usageErrorsExitTwoWithOneReason() {
        assertUsage("unknown command 'frobnicate'", "frobnicate");
        assertUsage("unknown option '--bogus'", "--bogus", "capabilities");
        assertUsage("unknown option '--fo'", "capabilities", "--fo", "json"); // no abbreviations
        assertUsage("unknown format 'yaml'", "capabilities", "--format", "yaml");
        assertUsage("--format needs a value", "capabilities", "--format");
        assertUsage("--format given more than once", "capabilities", "-f", "json", "--format", "seed");
        assertUsage("--paravirt cannot be combined with --fullvirt", "guests", "--fullvirt", "--paravirt");
        assertUsage("--wordsize must be 31, 32 or 64, not 48", "guests", "--wordsize", "48");
        assertUsage("--wordsize must be 31, 32 or 64, not 'x'", "guests", "--wordsize", "x");
        assertUsage("unexpected argument 'extra'", "drivers", "extra");
        assertUsage("--root given more than once", "--root", "/a", "capabilities", "--root", "/b");
        assertUsage("--lang needs --format json", "capabilities", "--lang", "de");
        assertUsage("--connect cannot be combined with --from", "--connect", "http://127.0.0.1:1", "--from", "-",
                "guests");
    }

    @Test
    void globalOptionsWorkBeforeAndAfterTheCommand() {
        Run before = run("--from", kvm.toString(), "guests", "--fullvirt", "--wordsize", "64");
        Run after = run("guests", "--wordsize=64", "--from", kvm.toString(), "--fullvirt");
        assertEquals(0, before.exit(), before.err());
        assertEquals(before.out(), after.out());
        assertTrue(before.out().startsWith("ARCH"), before.out());
        assertTrue(before.out().contains("x86_64") && !before.out().contains("i686"), before.out());
    }

    @Test
    void formatsAndFailures() {
        Run json = run("capabilities", "--from", kvm.toString(), "-f", "json");
        assertEquals(0, json.exit(), json.err());
        assertTrue(json.out().startsWith("{"), json.out());
        Run libvirt = run("capabilities", "--from", kvm.toString());
        assertTrue(libvirt.out().startsWith("<capabilities>"), libvirt.out());
        Run missing = run("--from", dir.resolve("absent.xml").toString(), "capabilities");
        assertEquals(1, missing.exit());
        assertEquals(1, missing.err().strip().lines().count(), missing.err());
        assertTrue(missing.err().startsWith("virtcaps: ") && missing.err().contains("absent.xml"), missing.err());
        Run noDescriptions = run("describe", "pc");
        assertEquals(1, noDescriptions.exit());
        assertTrue(noDescriptions.err().contains("descriptions bundle"), noDescriptions.err());
        assertUsage("one MACHINE at a time", "describe", "pc", "q35");
    }

    /**
     * --from on what is not a file says what it is, one line, without opening it (a FIFO would wait for a
     * writer, /dev/zero never ends; the timeout is a hang guard only); binary input gives one line and
     * nothing from the XML parser.
     */
    @Test
    @org.junit.jupiter.api.Timeout(value = 60, threadMode = org.junit.jupiter.api.Timeout.ThreadMode.SEPARATE_THREAD)
    void fromSaysWhatItIsInsteadOfReadingIt() throws Exception {
        Run directory = run("--from", dir.toString(), "capabilities");
        assertEquals(1, directory.exit());
        assertEquals("virtcaps: " + dir + " is a directory\n", directory.err());
        Run zero = run("--from", "/dev/zero", "capabilities");
        assertEquals(1, zero.exit());
        assertTrue(zero.err().startsWith("virtcaps: /dev/zero is not a regular file (a character device)"), zero.err());
        assertEquals(1, zero.err().strip().lines().count(), zero.err());
        Path fifo = dir.resolve("fifo");
        if (new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor() == 0) {
            Run pipe = run("--from", fifo.toString(), "capabilities");
            assertEquals(1, pipe.exit());
            assertTrue(pipe.err().startsWith("virtcaps: " + fifo + " is not a regular file (a FIFO)"), pipe.err());
        }
        Path binary = dir.resolve("binary");
        byte[] bytes = new byte[4096];
        new java.util.Random(17).nextBytes(bytes);
        Files.write(binary, bytes);
        PrintStream stderr = System.err;
        ByteArrayOutputStream stray = new ByteArrayOutputStream();
        System.setErr(new PrintStream(stray, true, StandardCharsets.UTF_8));
        Run garbage;
        try {
            garbage = run("--from", binary.toString(), "capabilities");
        } finally {
            System.setErr(stderr);
        }
        assertEquals(1, garbage.exit());
        assertEquals(1, garbage.err().strip().lines().count(), garbage.err());
        assertEquals("", stray.toString(StandardCharsets.UTF_8), "nothing but the one line");
    }
}
