package org.virtcaps.example.testdriver;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.virtcaps.core.spi.HostEnvironment;
import org.virtcaps.core.spi.HypervisorDriver;
import org.virtcaps.core.spi.ProbeResult;

/**
 * Simulated hypervisors: one driver per Config Admin factory configuration of
 * {@code org.virtcaps.example.simulated} (e.g. {@code org.virtcaps.example.simulated-bhyve.cfg} with
 * {@code name=bhyve} and {@code guests=hvm x86_64 64 bhyve /usr/sbin/bhyve}). Tests of client code can
 * so stand up any mix of hypervisors.
 */
@Component(configurationPid = "org.virtcaps.example.simulated", configurationPolicy = ConfigurationPolicy.REQUIRE)
@Designate(ocd = SimulatedDriver.Config.class, factory = true)
public class SimulatedDriver implements HypervisorDriver {

    /** One simulated hypervisor. */
    @ObjectClassDefinition(name = "virtcaps simulated hypervisor")
    public @interface Config {
        @AttributeDefinition(description = "Driver name, shown in the drivers report")
        String name();

        @AttributeDefinition(description = "A file of guest declarations (one per line)")
        String file() default "";

        @AttributeDefinition(description = "Guest declarations, one per value")
        String[] guests() default {};
    }

    private final String name;
    private final ProbeResult declared;

    @Activate
    public SimulatedDriver(Config config, java.util.Map<String, Object> properties) {
        org.virtcaps.core.spi.ConfigValues values = new org.virtcaps.core.spi.ConfigValues(
                "org.virtcaps.example.simulated", properties);
        // without a name the driver still runs, under a name that says what is missing
        this.name = values.get("name", config::name, "simulated", n -> !n.isBlank(), "a name");
        this.declared = TestDriver.withProblems(TestDriver.declarations(values.get("file", config::file, ""),
                values.get("guests", config::guests, new String[0]), name), values);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public ProbeResult probe(HostEnvironment host) {
        return declared;
    }
}
