package org.virtcaps.launcher;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The options that decide what core probes ({@code --root}, {@code --cache-dir}, {@code --no-cache}),
 * turned into framework properties. They must be known before the framework starts because core probes
 * as soon as it activates; the CLI bundle declares, documents and validates the same options.
 */
final class HostOptions {
    private HostOptions() {
    }

    static Map<String, String> from(String[] args) {
        Map<String, String> properties = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (arg.equals("--")) {
                break;
            }
            String value = null;
            String name = arg;
            int eq = arg.indexOf('=');
            if (arg.startsWith("--") && eq > 0) {
                name = arg.substring(0, eq);
                value = arg.substring(eq + 1);
            } else if ((arg.equals("--root") || arg.equals("--cache-dir")) && i + 1 < args.length) {
                value = args[++i];
            }
            switch (name) {
                case "--root" -> {
                    if (value != null) {
                        properties.put("virtcaps.root", Path.of(value).toAbsolutePath().toString());
                    }
                }
                case "--cache-dir" -> {
                    if (value != null) {
                        properties.put("virtcaps.cache.dir", Path.of(value).toAbsolutePath().toString());
                    }
                }
                case "--no-cache" -> properties.put("virtcaps.cache.enabled", "false");
                default -> {
                }
            }
        }
        return properties;
    }

    /** Whether an option is on the command line (as {@code --name} or {@code --name=value}, before any {@code --}). */
    static boolean given(String[] args, String option) {
        for (String arg : args) {
            if (arg.equals("--")) {
                return false;
            }
            if (arg.equals(option) || arg.startsWith(option + "=")) {
                return true;
            }
        }
        return false;
    }
}
