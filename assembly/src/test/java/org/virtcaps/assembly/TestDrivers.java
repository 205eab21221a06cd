package org.virtcaps.assembly;

import org.virtcaps.core.spi.HostEnvironment;
import org.virtcaps.core.spi.HypervisorDriver;
import org.virtcaps.core.spi.ProbeResult;

/** Drivers the integration tests register, with whatever probe behaviour a test needs. */
final class TestDrivers {
    private TestDrivers() {
    }

    /** A probe's behaviour: return, throw, hang. */
    interface ProbeBehaviour {
        ProbeResult probe(HostEnvironment host) throws Exception;
    }

    static HypervisorDriver driver(String name, ProbeBehaviour behaviour) {
        return new HypervisorDriver() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public ProbeResult probe(HostEnvironment host) throws Exception {
                return behaviour.probe(host);
            }
        };
    }
}
