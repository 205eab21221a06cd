package org.virtcaps.core.internal;

import java.nio.file.Path;
import java.time.Duration;
import java.util.function.Function;

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
        String root = pick(config == null ? null : config.root(), frameworkProperty.apply(ROOT), "/");
        String home = System.getProperty("user.home", "/tmp");
        String xdg = System.getenv("XDG_CACHE_HOME");
        String defaultCache = (xdg != null && !xdg.isBlank() ? xdg : home + "/.cache") + "/virtcaps";
        String cacheDir = pick(config == null ? null : config.cacheDir(), frameworkProperty.apply(CACHE_DIR),
                defaultCache);
        String cacheEnabled = pick(config == null ? null : config.cacheEnabled(),
                frameworkProperty.apply(CACHE_ENABLED), "true");
        String timeout = pick(config == null ? null : config.probeTimeoutSeconds(),
                frameworkProperty.apply(PROBE_TIMEOUT), "60");
        String env = System.getenv("PATH");
        String path = pick(config == null ? null : config.searchPath(), frameworkProperty.apply(PATH),
                env == null ? LocalHostEnvironment.DEFAULT_PATH : env);
        Duration probeTimeout;
        try {
            probeTimeout = Duration.ofMillis((long) (Double.parseDouble(timeout) * 1000));
        } catch (NumberFormatException e) {
            probeTimeout = Duration.ofSeconds(60);
        }
        if (probeTimeout.isNegative() || probeTimeout.isZero()) {
            probeTimeout = Duration.ofSeconds(60);
        }
        String refresh = pick(config == null ? null : config.refreshIntervalSeconds(), frameworkProperty.apply(REFRESH),
                "0");
        Duration refreshInterval;
        try {
            refreshInterval = Duration.ofMillis((long) (Double.parseDouble(refresh) * 1000));
        } catch (NumberFormatException e) {
            refreshInterval = Duration.ZERO;
        }
        return new Settings(Path.of(root), Path.of(cacheDir), !"false".equalsIgnoreCase(cacheEnabled.trim()),
                probeTimeout, path, System.getProperty("os.arch"),
                refreshInterval.isNegative() ? Duration.ZERO : refreshInterval);
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
