package org.virtcaps.core.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.virtcaps.core.api.DocumentFormat;
import org.virtcaps.core.model.Capabilities;
import org.virtcaps.core.model.Host;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** This machine's real host data, through the prober and every writer. */
class LiveHostTest {
    private final DocumentsComponent documents = new DocumentsComponent();

    @Test
    void liveHostDocumentValidatesAgainstLibvirtSchema() throws Exception {
        Host host = new LinuxHostProber(new HostFiles(Path.of("/")), System.getProperty("os.arch")).probe();
        assertEquals(LinuxHostProber.libvirtArch(System.getProperty("os.arch")), host.cpu().arch());
        assertFalse(host.cpu().flags().isEmpty(), "a Linux host lists CPU flags");
        assertFalse(host.cells().isEmpty(), "a Linux host has at least one NUMA cell");
        assertNotNull(host.virtualization());
        Capabilities caps = new Capabilities(host, List.of(), List.of(), List.of(), 1, null, "probe");
        String xml = documents.format(caps, DocumentFormat.LIBVIRT);
        SchemaValidator.assertValid(xml);

        // the three formats carry the same host content
        JsonNode json = new ObjectMapper().readTree(documents.format(caps, DocumentFormat.JSON));
        assertEquals(host.cpu().arch(), json.at("/host/cpu/arch").asText());
        assertEquals(host.cpu().flags().size(), json.at("/host/cpu/flags").size());
        String seed = documents.format(caps, DocumentFormat.SEED);
        assertTrue(seed.contains("<cpu_arch>" + host.cpu().arch() + "</cpu_arch>"), seed);
        for (String flag : host.cpu().flags()) {
            assertTrue(seed.contains("<cpu_flag>" + flag + "</cpu_flag>"), flag);
        }

        // and what we write reads back to the same host
        Capabilities back = documents.read(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)), "test");
        assertEquals(host.cpu().flags(), back.host().cpu().flags());
        assertEquals(host.cells().size(), back.host().cells().size());
    }
}
