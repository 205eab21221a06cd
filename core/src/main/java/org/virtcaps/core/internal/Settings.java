package org.virtcaps.core.internal;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.function.Function;

import org.virtcaps.core.spi.ConfigValues;

/**
 * Resolved core settings.
 *
 * @param root host root
 * @param cacheDir probe cache directory (each driver gets a sub-directory)
 * @param cacheEnabled whether drivers get a cache directory at all
 * @param probeTimeout how long one driver's probe may take
 * @param searchPath PATH-style list of program directories, resolved under the root
 * @param liveArch the JVM's os.arch, used for the live root when the host tree does not tell
 */
public record Settings(Path root, Path cacheDir, boolean cacheEnabled, Duration probeTimeout, String searchPath,
        String liveArch, Duration refreshInterval) {

    static final String ROOT = "virtcaps.root";
    static final String CACHE_DIR = "virtcaps.cache.dir";
    static final String CACHE_ENABLED = "virtcaps.cache.enabled";
    static final String PROBE_TIMEOUT = "virtcaps.probe.timeout";
    static final String PATH = "virtcaps.path";
    static final String REFRESH = "virtcaps.refresh.interval";

    /** Defaults for the live host. */
    public static Settings defaults() {
        return from(null, key -> null);
    }

    /** For a host tree captured under {@code root}, without cache. */
    public static Settings forRoot(Path root) {
        Settings d = defaults();
        return new Settings(root, d.cacheDir(), false, d.probeTimeout(), d.searchPath(), d.liveArch(), Duration.ZERO);
    }

    public Settings withProbeTimeout(Duration timeout) {
        return new Settings(root, cacheDir, cacheEnabled, timeout, searchPath, liveArch, refreshInterval);
    }

    public Settings withCache(Path dir) {
        return new Settings(root, dir, dir != null, probeTimeout, searchPath, liveArch, refreshInterval);
    }

    static Settings from(CoreConfig config, Function<String, String> frameworkProperty) {
        return from(config, frameworkProperty, new ConfigValues(PID, Map.of()));
    }

    /**
     * The settings, each value that cannot be used replaced by its default and reported to {@code values}
     * (whether it came from the configuration or from the framework property standing in for it).
     */
    static Settings from(CoreConfig config, Function<String, String> frameworkProperty, ConfigValues values) {
        String root = pick(read(values, "root", config == null ? null : config::root), frameworkProperty.apply(ROOT),
                "/");
        String home = System.getProperty("user.home", "/tmp");
        String xdg = System.getenv("XDG_CACHE_HOME");
        String defaultCache = (xdg != null && !xdg.isBlank() ? xdg : home + "/.cache") + "/virtcaps";
        String cacheDir = pick(read(values, "cacheDir", config == null ? null : config::cacheDir),
                frameworkProperty.apply(CACHE_DIR), defaultCache);
        String cacheEnabled = pick(read(values, "cacheEnabled", config == null ? null : config::cacheEnabled),
                frameworkProperty.apply(CACHE_ENABLED), "true").trim();
        if (!cacheEnabled.equalsIgnoreCase("true") && !cacheEnabled.equalsIgnoreCase("false")) {
            values.report("cacheEnabled", "'" + cacheEnabled + "' is not true or false", "true");
            cacheEnabled = "true";
        }
        String timeout = pick(read(values, "probeTimeoutSeconds", config == null ? null : config::probeTimeoutSeconds),
                frameworkProperty.apply(PROBE_TIMEOUT), "60");
        String env = System.getenv("PATH");
        String path = pick(read(values, "searchPath", config == null ? null : config::searchPath),
                frameworkProperty.apply(PATH), env == null ? LocalHostEnvironment.DEFAULT_PATH : env);
        Duration probeTimeout = seconds(values, "probeTimeoutSeconds", timeout, false, 60);
        String refresh = pick(read(values, "refreshIntervalSeconds", config == null ? null : config::refreshIntervalSeconds),
                frameworkProperty.apply(REFRESH), "0");
        Duration refreshInterval = seconds(values, "refreshIntervalSeconds", refresh, true, 0);
        return new Settings(Path.of(root), Path.of(cacheDir), !"false".equalsIgnoreCase(cacheEnabled),
                probeTimeout, path, System.getProperty("os.arch"), refreshInterval);
    }

    /** The core configuration PID. */
    static final String PID = "org.virtcaps.core";

    private static String read(ConfigValues values, String key, java.util.function.Supplier<String> value) {
        return value == null ? null : values.get(key, value, "");
    }

    /** A number of seconds (at most a day), or the default with a report. */
    private static Duration seconds(ConfigValues values, String key, String text, boolean zeroAllowed, long fallback) {
        double s;
        try {
            s = Double.parseDouble(text.trim());
        } catch (NumberFormatException e) {
            values.report(key, "'" + text + "' is not a number", fallback);
            return Duration.ofSeconds(fallback);
        }
        if (!(zeroAllowed ? s >= 0 : s > 0) || s > 86_400) {
            values.report(key, "'" + text + "' is not a number of seconds " + (zeroAllowed ? "from 0" : "above 0")
                    + " to 86400", fallback);
            return Duration.ofSeconds(fallback);
        }
        return Duration.ofMillis((long) (s * 1000));
    }

    private static String pick(String configured, String property, String fallback) {
        if (configured != null && !configured.isBlank()) {
            return configured;
        }
        if (property != null && !property.isBlank()) {
            return property;
        }
        return fallback;
    }
}
