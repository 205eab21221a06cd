package org.virtcaps.core.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.annotation.Annotation;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.virtcaps.core.model.Diagnostic;
import org.virtcaps.core.spi.ConfigValues;

/** Core's configuration: a value that cannot be used gives its default and is told with the host's diagnostics. */
class CoreConfigTest {
    @TempDir
    Path dir;

    private static CoreConfig config(String probeTimeout, String refresh, String cacheEnabled) {
        return new CoreConfig() {
            @Override
            public Class<? extends Annotation> annotationType() {
                return CoreConfig.class;
            }

            @Override
            public String root() {
                // as a runtime that cannot convert a value does: fails when read
                throw new IllegalArgumentException("cannot convert");
            }

            @Override
            public String cacheDir() {
                return "";
            }

            @Override
            public String cacheEnabled() {
                return cacheEnabled;
            }

            @Override
            public String probeTimeoutSeconds() {
                return probeTimeout;
            }

            @Override
            public String searchPath() {
                return "";
            }

            @Override
            public String refreshIntervalSeconds() {
                return refresh;
            }
        };
    }

    @Test
    void badValuesGiveTheirDefaultsAndAreNamed() {
        ConfigValues values = new ConfigValues(Settings.PID, Map.of("probeTimeoutSeconds", "abc"));
        Settings s = Settings.from(config("abc", "-5", "yes"), key -> null, values);
        assertEquals(Duration.ofSeconds(60), s.probeTimeout());
        assertEquals(Duration.ZERO, s.refreshInterval());
        assertTrue(s.cacheEnabled());
        assertEquals(Path.of("/"), s.root());
        assertEquals(List.of("PID org.virtcaps.core key root: the value is not usable (cannot convert); using the default ",
                "PID org.virtcaps.core key cacheEnabled: 'yes' is not true or false; using the default true",
                "PID org.virtcaps.core key probeTimeoutSeconds: 'abc' is not a number; using the default 60",
                "PID org.virtcaps.core key refreshIntervalSeconds: '-5' is not a number of seconds from 0 to 86400; "
                        + "using the default 0"),
                values.problems().stream().map(Diagnostic::message).toList());
    }

    @Test
    void aComponentThatIsNoDriverTellsItsProblemsWithTheHostsDiagnostics() {
        Diagnostic problem = Diagnostic.warning("configuration",
                "PID org.virtcaps.http key maxEventStreams: 'many' is not a number; using the default 64");
        LocalCapabilitiesService service = new LocalCapabilitiesService(
                Settings.forRoot(XenFixtureTrees.build(dir, "xen-x86_64-hvm").root));
        try {
            long before = service.settled().generation();
            org.virtcaps.core.spi.ConfigurationReport report = () -> List.of(problem);
            Map<String, Object> props = Map.of(org.osgi.framework.Constants.SERVICE_ID, 42L);
            service.addConfigurationReport(report, props);
            assertTrue(service.snapshot().host().diagnostics().contains(problem));
            assertTrue(service.snapshot().generation() > before, "a new snapshot, so clients hear of it");
            service.removeConfigurationReport(report, props);
            assertTrue(!service.snapshot().host().diagnostics().contains(problem), "gone with the component");
        } finally {
            service.deactivate();
        }
    }

    @Test
    void theProblemsAreToldWithTheHostsDiagnostics() {
        Diagnostic problem = Diagnostic.warning("configuration", "PID org.virtcaps.core key probeTimeoutSeconds: 'abc' "
                + "is not a number; using the default 60");
        LocalCapabilitiesService service = new LocalCapabilitiesService(
                Settings.forRoot(XenFixtureTrees.build(dir, "xen-x86_64-hvm").root), List.of(problem));
        try {
            assertTrue(service.settled().host().diagnostics().contains(problem));
            assertTrue(service.refresh().host().diagnostics().contains(problem), "and after a refresh");
        } finally {
            service.deactivate();
        }
    }
}
