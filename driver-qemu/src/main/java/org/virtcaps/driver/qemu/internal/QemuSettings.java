package org.virtcaps.driver.qemu.internal;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.virtcaps.core.model.Diagnostic;
import org.virtcaps.core.spi.ConfigValues;

/**
 * {@link QemuConfig} read key by key: a value that does not convert, or means nothing (a timeout of 0 or
 * below, a negative quiet time), gives that key's default and a warning, never a component that fails to
 * activate (which took qemu, kvm and kqemu away together). The catalog and the watch read the same PID; the
 * catalog's warnings are the ones the qemu driver reports.
 */
record QemuSettings(Duration emulatorTimeout, List<String> extraSearchDirs, int parallelProbes, boolean watchSearchDirs,
        long watchQuietMillis, List<Diagnostic> problems) {
    static final String PID = "org.virtcaps.driver.qemu";
    /** The defaults of {@link QemuConfig}, repeated here because a bad value must not read the annotation's. */
    private static final double DEFAULT_TIMEOUT = 10;

    static QemuSettings read(QemuConfig config, Map<String, ?> properties) {
        ConfigValues values = new ConfigValues(PID, properties);
        double seconds = values.get("emulatorTimeoutSeconds", config::emulatorTimeoutSeconds, DEFAULT_TIMEOUT,
                s -> s > 0 && s <= 3600, "a number of seconds above 0 and at most 3600");
        String[] dirs = values.get("extraSearchDirs", config::extraSearchDirs, new String[] { "/usr/libexec" });
        int parallel = values.get("parallelProbes", config::parallelProbes, 0, n -> n >= 0 && n <= 256,
                "a count from 0 to 256");
        boolean watch = values.get("watchSearchDirs", config::watchSearchDirs, false);
        long quiet = values.get("watchQuietMillis", config::watchQuietMillis, 1000L, n -> n >= 0 && n <= 600_000,
                "milliseconds from 0 to 600000");
        return new QemuSettings(Duration.ofMillis((long) (seconds * 1000)), List.of(dirs), parallel, watch, quiet,
                values.problems());
    }
}
