package org.virtcaps.assembly;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The web page in headless Chromium, driven by Playwright (web-test/page-test.mjs): the host summary and
 * the guest list appear, ticking a checkbox filters the list to what its facet count promised, the
 * description language changes, and a driver dropped into the container's drivers directory shows up
 * live through the event stream. The screenshot is left in target/web-page.png.
 */
class WebPageIT {
    @TempDir
    Path dir;

    @Test
    void theProposalsCheckboxesInARealBrowser() throws Exception {
        Path webTest = Path.of(System.getProperty("virtcaps.web.test")).toAbsolutePath().normalize();
        assertTrue(Files.isDirectory(webTest.resolve("node_modules/playwright-core")),
                "Playwright is not installed: run 'npm ci' in " + webTest + " (./test does)");
        Path screenshot = Path.of("target", "web-page.png").toAbsolutePath();
        try (TestContainer c = new TestContainer(dir, Map.of())) {
            c.capabilities().settled();
            HttpEndpointAwait.up(c.endpoint());
            Process node = new ProcessBuilder("node", "page-test.mjs", c.endpoint().toString(), screenshot.toString())
                    .directory(webTest.toFile()).redirectErrorStream(true).start();
            node.getOutputStream().close();
            StringBuilder output = new StringBuilder();
            boolean dropped = false;
            try (BufferedReader out = new BufferedReader(new InputStreamReader(node.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = out.readLine()) != null) {
                    output.append(line).append('\n');
                    if (line.equals("WAITING-FOR-CHANGE") && !dropped) {
                        // the page is listening: a driver arrives in the container
                        Files.copy(TestContainer.exampleDriver(), c.drivers.resolve("test-driver.jar"));
                        dropped = true;
                    }
                }
            }
            assertTrue(node.waitFor(120, TimeUnit.SECONDS), "the browser test ended");
            assertEquals(0, node.exitValue(), output.toString());
            assertTrue(dropped, output.toString());
            assertTrue(output.toString().contains("PASS"), output.toString());
            assertTrue(Files.size(screenshot) > 10_000, "a screenshot of the page");
        }
    }
}
