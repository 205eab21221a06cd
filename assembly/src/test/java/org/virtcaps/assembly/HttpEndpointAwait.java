package org.virtcaps.assembly;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.TimeUnit;

/**
 * Waits for a container's endpoint: the whiteboard registers servlets after the bundles start, and a token
 * written to the configuration takes effect some time after the file is written.
 */
final class HttpEndpointAwait {
    private HttpEndpointAwait() {
    }

    static void up(URI base) throws Exception {
        up(base, null);
    }

    static void up(URI base, String token) throws Exception {
        HttpClient client = HttpClient.newHttpClient();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (true) {
            try {
                HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve("drivers"));
                if (token != null) {
                    request.header("Authorization", "Bearer " + token);
                }
                if (client.send(request.build(), HttpResponse.BodyHandlers.discarding()).statusCode() == 200
                        && (token == null || client.send(HttpRequest.newBuilder(base.resolve("drivers")).build(),
                                HttpResponse.BodyHandlers.discarding()).statusCode() == 401)) {
                    // with a token: up only once the token's configuration is in force, not before it
                    return;
                }
            } catch (java.io.IOException e) {
                // not listening yet
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the endpoint did not come up at " + base);
            }
            Thread.sleep(100);
        }
    }
}
