package org.virtcaps.assembly;

import static org.junit.jupiter.api.Assertions.assertThrows;

import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The endpoint's address and port follow Config Admin (Felix HTTP's PID) while the container runs. */
class EndpointAddressIT {
    @TempDir
    Path dir;

    @Test
    void aConfigurationMovesTheEndpoint() throws Exception {
        try (TestContainer c = new TestContainer(dir, Map.of())) {
            HttpEndpointAwait.up(c.endpoint());
            int moved = TestContainer.freePort();
            Files.writeString(c.configs.resolve("org.apache.felix.http.cfg"),
                    "org.apache.felix.http.host = 127.0.0.1\norg.osgi.service.http.port = " + moved + "\n");
            URI there = URI.create("http://127.0.0.1:" + moved + "/");
            HttpEndpointAwait.up(there);
            // and nothing listens on the old port any more
            HttpClient http = HttpClient.newHttpClient();
            assertThrows(ConnectException.class, () -> http.send(HttpRequest.newBuilder(c.endpoint().resolve("drivers"))
                    .build(), HttpResponse.BodyHandlers.discarding()));
        }
    }
}
