package org.virtcaps.example.testdriver;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.virtcaps.core.model.Diagnostic;
import org.virtcaps.core.spi.ConfigValues;
import org.virtcaps.core.spi.HostEnvironment;
import org.virtcaps.core.spi.HypervisorDriver;
import org.virtcaps.core.spi.ProbeResult;

/**
 * The test driver ({@code test}): guests declared in a file instead of probed. Without configuration it
 * declares the bundle's own {@code guests.txt}; configuration PID {@code org.virtcaps.example.testdriver}
 * ({@code file}, {@code guests}) replaces them. Each configuration is read when the component activates; a
 * change of configuration reactivates it, which the platform sees as the driver leaving and coming back.
 */
@Component(configurationPid = "org.virtcaps.example.testdriver", configurationPolicy = ConfigurationPolicy.OPTIONAL,
        property = HypervisorDriver.NAME_PROPERTY + "=test")
@Designate(ocd = TestDriver.Config.class)
public class TestDriver implements HypervisorDriver {

    /** Configuration of the test driver. */
    @ObjectClassDefinition(name = "virtcaps test driver")
    public @interface Config {
        @AttributeDefinition(description = "A file of guest declarations (one per line); empty: the bundle's own")
        String file() default "";

        @AttributeDefinition(description = "Guest declarations, one per value, in the file's line format")
        String[] guests() default {};
    }

    private final ProbeResult declared;

    public TestDriver(Config config) {
        this(config, java.util.Map.of());
    }

    @Activate
    public TestDriver(Config config, java.util.Map<String, Object> properties) {
        ConfigValues values = new ConfigValues("org.virtcaps.example.testdriver", properties);
        this.declared = withProblems(declarations(values.get("file", config::file, ""),
                values.get("guests", config::guests, new String[0]), "test"), values);
    }

    /** The declarations with the configuration values that could not be used told first. */
    static ProbeResult withProblems(ProbeResult result, ConfigValues values) {
        if (values.problems().isEmpty()) {
            return result;
        }
        List<Diagnostic> diagnostics = new java.util.ArrayList<>(values.problems());
        diagnostics.addAll(result.diagnostics());
        return new ProbeResult(result.guests(), diagnostics);
    }

    static ProbeResult declarations(String file, String[] guests, String name) {
        if (guests.length > 0) {
            return GuestDeclarations.parse("configuration", List.of(guests), name);
        }
        if (!file.isBlank()) {
            try {
                return GuestDeclarations.parse(file, Files.readAllLines(Path.of(file)), name);
            } catch (IOException e) {
                return ProbeResult.empty(Diagnostic.error(file, "unreadable: " + e.getMessage()));
            }
        }
        try (InputStream in = TestDriver.class.getResourceAsStream("/guests.txt")) {
            if (in == null) {
                return ProbeResult.empty(Diagnostic.warning(name, "no guests.txt in the bundle and no configuration"));
            }
            return GuestDeclarations.parse("bundle:guests.txt",
                    new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8)).lines().toList(), name);
        } catch (IOException e) {
            return ProbeResult.empty(Diagnostic.error(name, "guests.txt unreadable: " + e.getMessage()));
        }
    }

    @Override
    public String name() {
        return "test";
    }

    @Override
    public ProbeResult probe(HostEnvironment host) {
        return declared;
    }
}
