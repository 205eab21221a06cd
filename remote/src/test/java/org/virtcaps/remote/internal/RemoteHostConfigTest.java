package org.virtcaps.remote.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.Dictionary;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.virtcaps.remote.RemoteHost;

/**
 * A remote-host configuration without a usable url, or with a value that does not convert, activates: the
 * host stands as not configured with the reason, or runs with the default, instead of an NPE in activate.
 */
class RemoteHostConfigTest {
    /** What the component registered: interfaces, service, properties. */
    private record Registered(List<String> classes, Object service, Dictionary<String, ?> properties) {
    }

    private final List<Registered> registered = new ArrayList<>();

    @SuppressWarnings("unchecked")
    private BundleContext context() {
        ServiceRegistration<?> registration = (ServiceRegistration<?>) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] { ServiceRegistration.class }, (p, m, a) -> null);
        return (BundleContext) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] { BundleContext.class },
                (p, m, a) -> {
                    if (m.getName().equals("registerService")) {
                        List<String> classes = a[0] instanceof String[] names ? List.of(names)
                                : a[0] instanceof Class<?> type ? List.of(type.getName()) : List.of((String) a[0]);
                        registered.add(new Registered(classes, a[1], (Dictionary<String, ?>) a[2]));
                        return registration;
                    }
                    throw new UnsupportedOperationException(m.getName());
                });
    }

    /** As DS hands a configuration over: a missing key without default reads null, an unconvertible one throws. */
    private static RemoteHostConfig config(String url, boolean pollSecondsConverts) {
        return (RemoteHostConfig) Proxy.newProxyInstance(RemoteHostConfig.class.getClassLoader(),
                new Class<?>[] { RemoteHostConfig.class }, (p, m, a) -> switch (m.getName()) {
                    case "url" -> url;
                    case "token", "hostName" -> "";
                    case "mode" -> "poll";
                    case "pollSeconds" -> {
                        if (!pollSecondsConverts) {
                            throw new IllegalArgumentException("cannot convert 'often' to int");
                        }
                        yield 30;
                    }
                    case "timeoutSeconds" -> 10;
                    default -> throw new UnsupportedOperationException(m.getName());
                });
    }

    @Test
    void withoutUrlTheHostIsRegisteredAsNotConfiguredWithTheReason() {
        RemoteHostComponent component = new RemoteHostComponent(context(), config(null, true), null,
                Map.of("service.pid", "org.virtcaps.remote~lab"));
        assertEquals(2, registered.size(), "the host, and its configuration's problems for drivers and /drivers");
        assertEquals(List.of(org.virtcaps.core.spi.ConfigurationReport.class.getName()), registered.get(0).classes());
        assertEquals("PID org.virtcaps.remote key url: missing",
                ((org.virtcaps.core.spi.ConfigurationReport) registered.get(0).service()).configurationProblems().get(0)
                        .message());
        Registered r = registered.get(1);
        assertEquals(List.of(RemoteHost.class.getName()), r.classes(), "not a CapabilitiesService to aggregate");
        assertEquals(Boolean.TRUE, r.properties().get(RemoteHost.STALE_PROPERTY));
        String problem = (String) r.properties().get(RemoteHost.PROBLEM_PROPERTY);
        assertEquals("not configured: PID org.virtcaps.remote key url: missing", problem);
        RemoteHost host = (RemoteHost) r.service();
        assertTrue(host.stale());
        assertEquals(problem, host.problem().orElseThrow());
        assertEquals(problem, assertThrows(IllegalStateException.class, host::settled).getMessage());
        assertTrue(host.snapshot().host().diagnostics().toString().contains("key url: missing"));
        component.deactivate();
    }

    @Test
    void aUrlThatIsNoHttpUrlIsReportedTheSameWay() {
        new RemoteHostComponent(context(), config("ftp://lab/", true), null, Map.of()).deactivate();
        String problem = (String) registered.get(1).properties().get(RemoteHost.PROBLEM_PROPERTY);
        assertTrue(problem.startsWith("not configured: PID org.virtcaps.remote key url: 'ftp://lab/' is not"), problem);
    }

    @Test
    void aValueThatDoesNotConvertGivesItsDefaultAndIsNamed() {
        RemoteHostComponent component = new RemoteHostComponent(context(), config("http://127.0.0.1:9/", false), null,
                Map.of("pollSeconds", "often"));
        try {
            Registered r = registered.get(1);
            assertTrue(r.classes().contains(RemoteHost.class.getName()));
            assertEquals("PID org.virtcaps.remote key pollSeconds: 'often' is not a number; using the default 30",
                    r.properties().get(RemoteHost.PROBLEM_PROPERTY));
        } finally {
            component.deactivate();
        }
    }
}
