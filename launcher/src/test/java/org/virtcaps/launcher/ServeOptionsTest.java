package org.virtcaps.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code serve}'s command line: both option forms, nothing ignored; the warning for an open endpoint. */
class ServeOptionsTest {
    private static final Path DRIVERS = Path.of("/d");
    private static final Path CONFIGS = Path.of("/c");

    @TempDir
    Path dir;

    private static ServeOptions parse(String... args) {
        return ServeOptions.parse(args, DRIVERS, CONFIGS);
    }

    @Test
    void bothOptionFormsMeanTheSame() {
        ServeOptions spaced = parse("--port", "18479", "--bind", "::1", "--root", "/srv/tree", "--no-cache");
        ServeOptions joined = parse("--port=18479", "--bind=::1", "--root=/srv/tree", "--no-cache");
        assertEquals(spaced, joined);
        assertEquals(18479, joined.port());
        assertEquals("::1", joined.bind());
        assertEquals(Map.of("virtcaps.root", "/srv/tree", "virtcaps.cache.enabled", "false"), joined.hostOptions());
        assertEquals(new ServeOptions(DRIVERS, CONFIGS, "127.0.0.1", 8470, Map.of(), false), parse());
        assertTrue(parse("--help").help());
    }

    @Test
    void anythingUnknownIsAUsageError() {
        assertEquals("serve has no option '--bogus-option' (see virtcaps serve --help)",
                assertThrows(IllegalArgumentException.class, () -> parse("--bogus-option")).getMessage());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> parse("--bogus=1")).getMessage()
                .contains("'--bogus'"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> parse("extra")).getMessage()
                .contains("no argument 'extra'"));
        assertEquals("--port needs a value", assertThrows(IllegalArgumentException.class, () -> parse("--port"))
                .getMessage());
        assertEquals("--port needs a value", assertThrows(IllegalArgumentException.class, () -> parse("--port="))
                .getMessage());
        assertEquals("--no-cache takes no value",
                assertThrows(IllegalArgumentException.class, () -> parse("--no-cache=yes")).getMessage());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> parse("--port=70000")).getMessage()
                .contains("0 to 65535"));
    }

    @Test
    void anOpenEndpointWithoutATokenNamesEveryAddressItAnswersOn() throws Exception {
        Path config = dir.resolve("org.virtcaps.http.cfg");
        List<InetAddress> nics = List.of(InetAddress.getByName("127.0.0.1"), InetAddress.getByName("10.1.2.3"),
                InetAddress.getByName("fd00::2"), InetAddress.getByName("::1"));
        Optional<String> wildcard = EndpointExposure.warning("0.0.0.0", 8470, false, config, nics);
        assertTrue(wildcard.orElseThrow().contains("port 8470 of 10.1.2.3, fd00:0:0:0:0:0:0:2 (every interface, 0.0.0.0)"),
                wildcard.get());
        assertTrue(wildcard.get().contains(config.toString()));
        assertTrue(EndpointExposure.warning("10.1.2.3", 80, false, config, nics).orElseThrow()
                .contains("port 80 of 10.1.2.3:"));
        assertFalse(EndpointExposure.warning("127.0.0.1", 8470, false, config, nics).isPresent());
        assertFalse(EndpointExposure.warning("::1", 8470, false, config, nics).isPresent());
        assertFalse(EndpointExposure.warning("0.0.0.0", 8470, true, config, nics).isPresent());
    }

    @Test
    void aTokenCountsOnlyWhenTheFileSetsOne() throws Exception {
        Path config = dir.resolve("org.virtcaps.http.cfg");
        assertFalse(EndpointExposure.tokenConfigured(config), "no file");
        Files.writeString(config, "token = \n");
        assertFalse(EndpointExposure.tokenConfigured(config), "an empty token");
        Files.writeString(config, "# token = s3cret\n");
        assertFalse(EndpointExposure.tokenConfigured(config), "a comment");
        Files.writeString(config, "token = s3cret\n");
        assertTrue(EndpointExposure.tokenConfigured(config));
    }
}
