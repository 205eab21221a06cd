package org.virtcaps.core.spi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.virtcaps.core.model.Diagnostic;

/** One bad configuration value costs its key: the default applies and the report names PID, key and why. */
class ConfigValuesTest {
    /** What Felix SCR does when a component property type method cannot convert its value. */
    private static double notConvertible() {
        throw new IllegalStateException("org.osgi.service.component.ComponentException: cannot convert");
    }

    @Test
    void aValueThatDoesNotConvertGivesTheDefaultAndSaysSo() {
        ConfigValues values = new ConfigValues("org.virtcaps.driver.qemu", Map.of("emulatorTimeoutSeconds", "abc"));
        assertEquals(10.0, values.get("emulatorTimeoutSeconds", ConfigValuesTest::notConvertible, 10.0));
        assertEquals(List.of(Diagnostic.warning("configuration",
                "PID org.virtcaps.driver.qemu key emulatorTimeoutSeconds: 'abc' is not a number; using the default 10")),
                values.problems());
    }

    @Test
    void missingInvalidAndGoodValues() {
        ConfigValues values = new ConfigValues("p", Map.of("n", -3, "b", "maybe"));
        assertEquals(5, values.get("n", () -> -3, 5, n -> n > 0, "a count above 0"));
        assertEquals("x", values.get("s", () -> null, "x"));
        assertEquals(Boolean.TRUE, values.get("b", () -> {
            throw new IllegalArgumentException("no");
        }, Boolean.TRUE));
        assertEquals(7, values.get("good", () -> 7, 5, n -> n > 0, "a count above 0"));
        List<String> messages = values.problems().stream().map(Diagnostic::message).toList();
        assertEquals(List.of("PID p key n: '-3' is not a count above 0; using the default 5",
                "PID p key s: missing; using the default x",
                "PID p key b: 'maybe' is not true or false; using the default true"), messages);
    }

    @Test
    void aHostileValueIsQuotedOnOneShortLine() {
        ConfigValues values = new ConfigValues("p", Map.of("k", "a\nb".repeat(100)));
        values.get("k", ConfigValuesTest::notConvertible, 1.0);
        String message = values.problems().get(0).message();
        assertTrue(!message.contains("\n") && message.length() < 200, message);
    }
}
