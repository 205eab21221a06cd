package org.virtcaps.core.spi;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.function.Supplier;

import org.virtcaps.core.model.Diagnostic;

/**
 * Reads a component's configuration one key at a time, so that one bad value costs that key, not the
 * component. Declarative Services converts a configuration to a component property type lazily: a value
 * that does not convert ({@code emulatorTimeoutSeconds = abc} for a {@code double}) throws when its method
 * is called, and a constructor that lets it through fails the activation, which takes the component and
 * everything that needs it away with nothing but a logged stack trace. Read through this, the component
 * runs with the default for that key, and {@link #problems()} says which PID, which key and why, for the
 * component to report where its user looks (a driver's diagnostics, a service property).
 *
 * <p>One instance per activation (not thread-safe).
 */
public final class ConfigValues {
    private final String pid;
    private final Map<String, ?> properties;
    private final List<Diagnostic> problems = new ArrayList<>();

    /**
     * @param pid the configuration PID, as reported
     * @param properties the component's properties (to quote a bad value as given), or an empty map
     */
    public ConfigValues(String pid, Map<String, ?> properties) {
        this.pid = pid;
        this.properties = properties == null ? Map.of() : properties;
    }

    /**
     * One key's value, or {@code fallback} when it does not convert or is missing.
     *
     * @param key the property name (the method name of the property type)
     * @param value reads it, e.g. {@code config::emulatorTimeoutSeconds}
     * @param fallback the key's default
     */
    public <T> T get(String key, Supplier<T> value, T fallback) {
        return get(key, value, fallback, v -> true, null);
    }

    /**
     * One key's value, or {@code fallback} when it does not convert, is missing or is not {@code valid}.
     *
     * @param expected what a valid value is, for the report (e.g. "a number above 0")
     */
    public <T> T get(String key, Supplier<T> value, T fallback, Predicate<? super T> valid, String expected) {
        T read;
        try {
            read = value.get();
        } catch (RuntimeException e) {
            // Felix SCR throws ComponentException; another runtime may throw something else: any failure
            // to convert is this key's problem
            report(key, quoted(key) + " is not " + kind(fallback, e), fallback);
            return fallback;
        }
        if (read == null) {
            report(key, "missing", fallback);
            return fallback;
        }
        if (!valid.test(read)) {
            report(key, quoted(key) + " is not " + expected, fallback);
            return fallback;
        }
        return read;
    }

    /** Records a problem the caller found itself (a value that converts but means nothing). */
    public void report(String key, String why, Object fallback) {
        problems.add(Diagnostic.warning("configuration", "PID " + pid + " key " + key + ": " + why
                + (fallback == null ? "" : "; using the default " + text(fallback))));
    }

    /** What was wrong, one warning per key; empty when every value was read as given. */
    public List<Diagnostic> problems() {
        return List.copyOf(problems);
    }

    private String quoted(String key) {
        Object raw = properties.get(key);
        return raw == null ? "the value" : "'" + text(raw) + "'";
    }

    private static String kind(Object fallback, RuntimeException e) {
        if (fallback instanceof Number) {
            return "a number";
        }
        if (fallback instanceof Boolean) {
            return "true or false";
        }
        return "usable (" + e.getMessage() + ")";
    }

    private static String text(Object value) {
        if (value instanceof Double d && d == Math.rint(d) && !Double.isInfinite(d)) {
            return Long.toString(d.longValue());
        }
        if (value instanceof Object[] array) {
            return Arrays.toString(array);
        }
        String s = String.valueOf(value);
        // a configuration value is the user's text: keep the report one short line
        s = s.replaceAll("\\p{Cntrl}", "?");
        return s.length() > 80 ? s.substring(0, 77) + "..." : s;
    }
}
