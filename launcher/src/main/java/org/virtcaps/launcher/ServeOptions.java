package org.virtcaps.launcher;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The command line of {@code virtcaps serve}, read as strictly as the CLI reads its commands: every option as
 * {@code --name value} or {@code --name=value}, an unknown option or a stray argument is a usage error, and
 * nothing is silently ignored.
 *
 * @param drivers the directory whose bundles are installed, updated and removed as files come and go
 * @param configs the directory of {@code .cfg} files
 * @param bind the address the endpoint listens on
 * @param port the endpoint's port
 * @param hostOptions the options that decide what core probes, as framework properties ({@link HostOptions})
 * @param help whether the usage was asked for
 */
record ServeOptions(Path drivers, Path configs, String bind, int port, Map<String, String> hostOptions,
        boolean help) {
    /** The endpoint's default address: this machine only. */
    static final String DEFAULT_BIND = "127.0.0.1";
    static final int DEFAULT_PORT = 8470;
    private static final Set<String> WITH_VALUE = Set.of("--drivers-dir", "--config-dir", "--bind", "--port",
            "--root", "--cache-dir");
    private static final Set<String> FLAGS = Set.of("--no-cache", "-h", "--help");

    /**
     * Reads the arguments after {@code serve}.
     *
     * @throws IllegalArgumentException with a one-line reason for a usage error
     */
    static ServeOptions parse(String[] args, Path defaultDrivers, Path defaultConfigs) {
        Path drivers = defaultDrivers;
        Path configs = defaultConfigs;
        String bind = DEFAULT_BIND;
        int port = DEFAULT_PORT;
        boolean help = false;
        List<String> host = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            String name = arg;
            String value = null;
            int eq = arg.indexOf('=');
            if (arg.startsWith("--") && eq > 2) {
                name = arg.substring(0, eq);
                value = arg.substring(eq + 1);
            }
            if (WITH_VALUE.contains(name)) {
                if (value == null) {
                    if (i + 1 >= args.length) {
                        throw new IllegalArgumentException(name + " needs a value");
                    }
                    value = args[++i];
                }
                if (value.isEmpty()) {
                    throw new IllegalArgumentException(name + " needs a value");
                }
            } else if (FLAGS.contains(name)) {
                if (value != null) {
                    throw new IllegalArgumentException(name + " takes no value");
                }
            } else if (arg.startsWith("-")) {
                throw new IllegalArgumentException("serve has no option '" + name + "' (see virtcaps serve --help)");
            } else {
                throw new IllegalArgumentException("serve takes no argument '" + arg + "' (see virtcaps serve --help)");
            }
            switch (name) {
                case "--drivers-dir" -> drivers = Path.of(value);
                case "--config-dir" -> configs = Path.of(value);
                case "--bind" -> bind = value;
                case "--port" -> port = port(value);
                case "--root", "--cache-dir" -> host.add(name + "=" + value);
                case "--no-cache" -> host.add(name);
                default -> help = true;
            }
        }
        Map<String, String> hostOptions = new LinkedHashMap<>(HostOptions.from(host.toArray(String[]::new)));
        return new ServeOptions(drivers, configs, bind, port, Map.copyOf(hostOptions), help);
    }

    private static int port(String text) {
        try {
            int port = Integer.parseInt(text);
            if (port >= 0 && port <= 65535) {
                return port;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException("--port must be a number from 0 to 65535, not '" + text + "'");
    }
}
