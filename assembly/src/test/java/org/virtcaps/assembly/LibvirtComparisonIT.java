package org.virtcaps.assembly;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.virtcaps.core.internal.DocumentsComponent;
import org.virtcaps.core.internal.SchemaValidator;
import org.virtcaps.core.model.Capabilities;
import org.virtcaps.core.model.Guest;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;

/**
 * virtcaps against libvirt 9.0 for the same QEMU binaries (Debian 12's QEMU 7.2, installed by ./test): every
 * guest libvirt lists must come out the same, and virt-install's own parser must answer the same. libvirt's
 * reference was made on a host with KVM; each comparison runs on three views of this machine — the live host
 * (with or without KVM, as it is), and two host trees holding this machine's emulators, one with a usable
 * /dev/kvm and one without — so both branches are checked on every machine.
 */
class LibvirtComparisonIT {
    /** One probed view of the emulators, and whether its document should offer KVM. */
    record View(String name, String document, Capabilities caps, boolean kvm) {
        @Override
        public String toString() {
            return name;
        }
    }

    @TempDir
    static Path trees;
    private static List<View> views;
    private static Capabilities reference;

    @BeforeAll
    static void probe() throws Exception {
        DocumentsComponent documents = new DocumentsComponent();
        try (InputStream in = LibvirtComparisonIT.class.getResourceAsStream(
                "/reference/libvirt-9.0-qemu-7.2-capabilities.xml")) {
            reference = documents.read(in, "libvirt");
        }
        Path kvm = Path.of("/dev/kvm");
        boolean liveKvm = Files.isReadable(kvm) && Files.isWritable(kvm);
        views = List.of(view(documents, "live host", null, liveKvm),
                view(documents, "tree with /dev/kvm", emulatorTree("with-kvm", true), true),
                view(documents, "tree without /dev/kvm", emulatorTree("without-kvm", false), false));
    }

    private static View view(DocumentsComponent documents, String name, Path root, boolean kvm) throws Exception {
        List<String> args = new ArrayList<>(List.of("capabilities", "--no-cache"));
        if (root != null) {
            args.addAll(List.of("--root", root.toString()));
        }
        CommandLineIT.Run run = CommandLineIT.virtcaps(null, args.toArray(String[]::new));
        assertEquals(0, run.exit(), name + ": " + run.err());
        Capabilities caps = documents.read(new ByteArrayInputStream(run.out().getBytes(StandardCharsets.UTF_8)), name);
        return new View(name, run.out(), caps, kvm);
    }

    /**
     * An x86_64 host with a KVM-capable CPU and this machine's QEMU binaries, with or without a usable
     * /dev/kvm. In a tree QEMU is never asked to start KVM, so the answer is the same on every machine.
     */
    private static Path emulatorTree(String name, boolean withKvm) throws Exception {
        Path root = Files.createDirectories(trees.resolve(name));
        Files.createDirectories(root.resolve("proc/sys/kernel"));
        Files.writeString(root.resolve("proc/cpuinfo"), CommandLineIT.fixture("xen/xen-x86_64-hvm.cpuinfo"));
        Files.writeString(root.resolve("proc/sys/kernel/arch"), "x86_64\n");
        Files.createDirectories(root.resolve("sys/module/kvm"));
        Files.createDirectories(root.resolve("sys/module/kvm_amd"));
        for (String dir : List.of("usr/bin", "usr/libexec")) {
            Path target = Files.createDirectories(root.resolve(dir));
            try (var names = Files.list(Path.of("/", dir))) {
                for (Path real : names.filter(p -> p.getFileName().toString().startsWith("qemu-system-")).toList()) {
                    Files.createSymbolicLink(target.resolve(real.getFileName()), real);
                }
            }
        }
        if (withKvm) {
            Path device = Files.createDirectories(root.resolve("dev")).resolve("kvm");
            Files.writeString(device, "");
            Files.setPosixFilePermissions(device, PosixFilePermissions.fromString("rw-rw-rw-"));
        }
        return root;
    }

    private static Guest ourGuest(Capabilities ours, Guest theirs) {
        return ours.guests().stream()
                .filter(g -> g.osType().equals(theirs.osType()) && g.arch().equals(theirs.arch())).findFirst()
                .orElse(null);
    }

    @Test
    void ourDocumentsValidate() {
        for (View view : views) {
            SchemaValidator.assertValid(view.document());
        }
    }

    @Test
    void everyGuestLibvirtListsComesOutTheSame() {
        List<String> differences = new ArrayList<>();
        for (View view : views) {
            for (Guest theirs : reference.guests()) {
                Guest mine = ourGuest(view.caps(), theirs);
                String id = view + ": " + theirs.osType() + "/" + theirs.arch();
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
                        .filter(t -> view.kvm() || !t.equals("kvm")).toList();
                List<String> myTypes = mine.domains().stream().map(d -> d.type()).distinct().toList();
                check(differences, id, "domain types", theirTypes, myTypes);
            }
            if (view.caps().guests().size() <= reference.guests().size()) {
                differences.add(view + ": the emulators libvirt misses (parisc, openrisc) are not listed");
            }
        }
        assertTrue(differences.isEmpty(), String.join("\n", differences));
    }

    private static void check(List<String> differences, String id, String what, Object theirs, Object mine) {
        if (!theirs.equals(mine)) {
            differences.add(id + " " + what + ": libvirt " + theirs + ", virtcaps " + mine);
        }
    }

    @Test
    void virtInstallReadsOurDocumentAsItReadsLibvirts() throws Exception {
        assertTrue(Files.isDirectory(Path.of("/usr/share/virt-manager/virtinst")),
                "virt-manager's virtinst is needed (Debian package virtinst; ./test installs it)");
        Path dir = Files.createDirectories(trees.resolve("virtinst"));
        Path script = dir.resolve("virtinst-lookup.py");
        try (InputStream in = LibvirtComparisonIT.class.getResourceAsStream("/virtinst-lookup.py")) {
            Files.copy(in, script, StandardCopyOption.REPLACE_EXISTING);
        }
        Path theirsFile = dir.resolve("libvirt.xml");
        try (InputStream in = LibvirtComparisonIT.class.getResourceAsStream(
                "/reference/libvirt-9.0-qemu-7.2-capabilities.xml")) {
            Files.copy(in, theirsFile, StandardCopyOption.REPLACE_EXISTING);
        }
        Map<String, Map<String, String>> theirs = lookups(script, theirsFile);
        boolean sawKvmGuest = false;
        for (View view : views) {
            Path oursFile = dir.resolve("ours.xml");
            Files.writeString(oursFile, view.document());
            Map<String, Map<String, String>> mine = lookups(script, oursFile);
            for (Map.Entry<String, Map<String, String>> e : theirs.entrySet()) {
                String id = view + ": " + e.getKey();
                assertNotNull(mine.get(e.getKey()), id);
                Map<String, String> expected = new TreeMap<>(e.getValue());
                if ("kvm".equals(expected.get("type"))) {
                    sawKvmGuest = true;
                    if (!view.kvm()) {
                        // without KVM virt-install falls back to the plain emulator and says KVM is unavailable
                        expected.put("type", "qemu");
                        expected.put("kvm", "false");
                    }
                }
                assertEquals(expected, mine.get(e.getKey()), id);
            }
        }
        assertTrue(sawKvmGuest, "libvirt's reference offers KVM guests, so both branches above were compared");
    }

    /** guest → virtinst's answer (field → value). */
    private static Map<String, Map<String, String>> lookups(Path script, Path caps) throws Exception {
        Process p = new ProcessBuilder("/usr/bin/python3", script.toString(), caps.toString()).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), err);
        Map<String, Map<String, String>> answers = new TreeMap<>();
        try (JsonParser parser = new JsonFactory().createParser(out)) {
            parser.nextToken();
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String field = parser.currentName();
                parser.nextToken();
                if (field.equals("guests")) {
                    while (parser.nextToken() == JsonToken.FIELD_NAME) {
                        String guest = parser.currentName();
                        parser.nextToken();
                        Map<String, String> answer = new TreeMap<>();
                        while (parser.nextToken() == JsonToken.FIELD_NAME) {
                            String k = parser.currentName();
                            parser.nextToken();
                            answer.put(k, parser.getText());
                        }
                        answers.put(guest, answer);
                    }
                } else {
                    parser.skipChildren();
                }
            }
        }
        return answers;
    }
}
