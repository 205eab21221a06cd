package org.virtcaps.assembly;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.virtcaps.core.internal.DocumentsComponent;
import org.virtcaps.core.internal.SchemaValidator;
import org.virtcaps.core.model.Capabilities;
import org.virtcaps.core.model.Guest;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;

/**
 * virtcaps against libvirt 9.0 for the same QEMU binaries (Debian 12's QEMU 7.2, installed by .ci/run):
 * every guest libvirt lists must come out the same, and virt-install's own parser must answer the same.
 */
class LibvirtComparisonIT {
    private static String ours;
    private static Capabilities ourCaps;
    private static Capabilities reference;

    @BeforeAll
    static void probe() throws Exception {
        CommandLineIT.Run run = CommandLineIT.virtcaps(null, "capabilities", "--no-cache");
        assertEquals(0, run.exit(), run.err());
        ours = run.out();
        DocumentsComponent documents = new DocumentsComponent();
        ourCaps = documents.read(new ByteArrayInputStream(ours.getBytes(StandardCharsets.UTF_8)), "ours");
        try (InputStream in = LibvirtComparisonIT.class.getResourceAsStream(
                "/reference/libvirt-9.0-qemu-7.2-capabilities.xml")) {
            reference = documents.read(in, "libvirt");
        }
    }

    private static Guest ourGuest(Guest theirs) {
        return ourCaps.guests().stream()
                .filter(g -> g.osType().equals(theirs.osType()) && g.arch().equals(theirs.arch())).findFirst()
                .orElse(null);
    }

    @Test
    void ourDocumentValidates() {
        SchemaValidator.assertValid(ours);
    }

    @Test
    void everyGuestLibvirtListsComesOutTheSame() {
        boolean kvmHere = Files.isReadable(Path.of("/dev/kvm")) && Files.isWritable(Path.of("/dev/kvm"));
        List<String> differences = new ArrayList<>();
        for (Guest theirs : reference.guests()) {
            Guest mine = ourGuest(theirs);
            String id = theirs.osType() + "/" + theirs.arch();
            if (mine == null) {
                differences.add(id + ": missing");
                continue;
            }
            check(differences, id, "wordsize", theirs.wordsize(), mine.wordsize());
            check(differences, id, "emulator", theirs.emulator(), mine.emulator());
            check(differences, id, "default machine", theirs.machines().get(0), mine.machines().get(0));
            check(differences, id, "machines", new HashSet<>(theirs.machines()), new HashSet<>(mine.machines()));
            check(differences, id, "features", theirs.features(), mine.features());
            List<String> theirTypes = theirs.domains().stream().map(d -> d.type())
                    .filter(t -> kvmHere || !t.equals("kvm")).toList();
            List<String> myTypes = mine.domains().stream().map(d -> d.type()).distinct().toList();
            check(differences, id, "domain types", theirTypes, myTypes);
        }
        assertTrue(differences.isEmpty(), String.join("\n", differences));
        assertTrue(ourCaps.guests().size() > reference.guests().size(),
                "and the emulators libvirt misses are listed too (parisc, openrisc)");
    }

    private static void check(List<String> differences, String id, String what, Object theirs, Object mine) {
        if (!theirs.equals(mine)) {
            differences.add(id + " " + what + ": libvirt " + theirs + ", virtcaps " + mine);
        }
    }

    @Test
    void virtInstallReadsOurDocumentAsItReadsLibvirts() throws Exception {
        assertTrue(Files.isDirectory(Path.of("/usr/share/virt-manager/virtinst")),
                "virt-manager's virtinst is needed (Debian package virtinst; .ci/run installs it)");
        Path dir = Files.createTempDirectory("virtinst");
        Path script = dir.resolve("virtinst-lookup.py");
        try (InputStream in = LibvirtComparisonIT.class.getResourceAsStream("/virtinst-lookup.py")) {
            Files.copy(in, script);
        }
        Path oursFile = dir.resolve("ours.xml");
        Files.writeString(oursFile, ours);
        Path theirsFile = dir.resolve("libvirt.xml");
        try (InputStream in = LibvirtComparisonIT.class.getResourceAsStream(
                "/reference/libvirt-9.0-qemu-7.2-capabilities.xml")) {
            Files.copy(in, theirsFile);
        }
        Map<String, String> mine = lookups(script, oursFile);
        Map<String, String> theirs = lookups(script, theirsFile);
        boolean kvmHere = Files.isWritable(Path.of("/dev/kvm"));
        for (Map.Entry<String, String> e : theirs.entrySet()) {
            assertNotNull(mine.get(e.getKey()), e.getKey());
            String expected = kvmHere ? e.getValue() : e.getValue().replace("kvm", "qemu");
            assertEquals(expected, mine.get(e.getKey()), e.getKey());
        }
    }

    /** guest → its virtinst answer as one comparable string. */
    private static Map<String, String> lookups(Path script, Path caps) throws Exception {
        Process p = new ProcessBuilder("/usr/bin/python3", script.toString(), caps.toString()).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), err);
        Map<String, String> answers = new java.util.TreeMap<>();
        try (JsonParser parser = new JsonFactory().createParser(out)) {
            parser.nextToken();
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String field = parser.currentName();
                parser.nextToken();
                if (field.equals("guests")) {
                    while (parser.nextToken() == JsonToken.FIELD_NAME) {
                        String guest = parser.currentName();
                        parser.nextToken();
                        StringBuilder answer = new StringBuilder();
                        while (parser.nextToken() == JsonToken.FIELD_NAME) {
                            String k = parser.currentName();
                            parser.nextToken();
                            answer.append(k).append('=').append(parser.getText()).append(' ');
                        }
                        answers.put(guest, answer.toString().trim());
                    }
                } else {
                    parser.skipChildren();
                }
            }
        }
        return answers;
    }
}
