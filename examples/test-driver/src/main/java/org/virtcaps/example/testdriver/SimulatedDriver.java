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
    public SimulatedDriver(Config config) {
        this.name = config.name();
        this.declared = TestDriver.declarations(new TestDriver.Config() {
            @Override
            public Class<? extends java.lang.annotation.Annotation> annotationType() {
                return TestDriver.Config.class;
            }

            @Override
            public String file() {
                return config.file();
            }

            @Override
            public String[] guests() {
                return config.guests();
            }
        }, name);
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
