package org.virtcaps.remote.internal;

import java.net.URI;
import java.time.Duration;
import java.util.Hashtable;
import java.util.Locale;
import java.util.Map;

import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.Designate;
import org.virtcaps.core.api.CapabilitiesDocuments;
import org.virtcaps.core.api.CapabilitiesService;
import org.virtcaps.core.spi.ConfigValues;
import org.virtcaps.core.spi.ConfigurationReport;
import org.virtcaps.remote.RemoteHost;

/**
 * One configured remote host, registered as a {@link CapabilitiesService} (and {@link RemoteHost}) with
 * {@code virtcaps.host} naming it, so local code treats it exactly like the local host. The service
 * property {@code virtcaps.remote.stale} follows the connection. A configuration value that cannot be used
 * gives its default and is named in {@code virtcaps.remote.problem}; a configuration without a usable
 * {@code url} registers a {@link RemoteHost} only, stale, whose problem says what is missing.
 */
@Component(configurationPid = RemoteHostConfig.FACTORY_PID, configurationPolicy = ConfigurationPolicy.REQUIRE,
        service = { })
@Designate(ocd = RemoteHostConfig.class, factory = true)
public class RemoteHostComponent {
    private final RemoteHost remote;
    private final ServiceRegistration<?> registration;
    /** The configuration's problems told with the local host's diagnostics (drivers, /drivers); null: none. */
    private final ServiceRegistration<?> report;
    private final Hashtable<String, Object> properties = new Hashtable<>();

    @Activate
    public RemoteHostComponent(BundleContext context, RemoteHostConfig config, @Reference CapabilitiesDocuments documents,
            Map<String, Object> configuration) {
        ConfigValues values = new ConfigValues(RemoteHostConfig.FACTORY_PID, configuration);
        String url = values.get("url", config::url, null);
        String configuredToken = values.get("token", config::token, "").trim();
        String configuredName = values.get("hostName", config::hostName, "").trim();
        String modeText = values.get("mode", config::mode, "events").trim().toLowerCase(Locale.ROOT);
        int pollSeconds = values.get("pollSeconds", config::pollSeconds, 30, n -> n >= 1 && n <= 86_400,
                "a number of seconds from 1 to 86400");
        int timeoutSeconds = values.get("timeoutSeconds", config::timeoutSeconds, 10, n -> n >= 1 && n <= 3600,
                "a number of seconds from 1 to 3600");
        RemoteCapabilities.Mode mode = switch (modeText) {
            case "poll" -> RemoteCapabilities.Mode.POLL;
            case "events", "" -> RemoteCapabilities.Mode.EVENTS;
            default -> {
                values.report("mode", "'" + modeText + "' is not events or poll", "events");
                yield RemoteCapabilities.Mode.EVENTS;
            }
        };
        Endpoints.Parsed parsed = null;
        if (url != null) {
            try {
                parsed = Endpoints.parse(URI.create(url.trim()));
            } catch (IllegalArgumentException e) {
                values.report("url", e.getMessage(), null);
            }
        }
        String problems = String.join("; ", values.problems().stream().map(d -> d.message()).toList());
        properties.put(RemoteHost.PROBLEM_PROPERTY, problems);
        java.util.List<org.virtcaps.core.model.Diagnostic> told = values.problems();
        report = told.isEmpty() ? null : context.registerService(ConfigurationReport.class,
                (ConfigurationReport) () -> told, null);
        if (parsed == null) {
            // without an endpoint there is nothing to contact: the host stands as not configured, with the reason,
            // where remote hosts are looked at (and not as a CapabilitiesService that local code would aggregate)
            String name = configuredName.isEmpty() ? String.valueOf(configuration.getOrDefault(
                    org.osgi.framework.Constants.SERVICE_PID, "unconfigured")) : configuredName;
            remote = new UnconfiguredRemoteHost(name, "not configured: " + problems);
            properties.put(CapabilitiesService.HOST_PROPERTY, name);
            properties.put(RemoteHost.URL_PROPERTY, url == null ? "" : url);
            properties.put(RemoteHost.STALE_PROPERTY, Boolean.TRUE);
            properties.put(RemoteHost.PROBLEM_PROPERTY, "not configured: " + problems);
            registration = context.registerService(RemoteHost.class.getName(), remote, properties);
            return;
        }
        String token = configuredToken.isEmpty() ? parsed.token() : configuredToken;
        String name = configuredName.isEmpty() ? parsed.base().getHost() : configuredName;
        EndpointClient client = new EndpointClient(parsed.base(), token, Duration.ofSeconds(timeoutSeconds));
        properties.put(CapabilitiesService.HOST_PROPERTY, name);
        properties.put(RemoteHost.URL_PROPERTY, parsed.base().toString());
        properties.put(RemoteHost.STALE_PROPERTY, Boolean.FALSE);
        RemoteCapabilities capabilities = new RemoteCapabilities(client, name, documents, mode,
                Duration.ofSeconds(pollSeconds), this::staleChanged);
        remote = capabilities;
        registration = context.registerService(new String[] { CapabilitiesService.class.getName(),
                RemoteHost.class.getName() }, remote, properties);
        capabilities.start();
    }

    private synchronized void staleChanged(boolean stale) {
        properties.put(RemoteHost.STALE_PROPERTY, stale);
        try {
            registration.setProperties(properties);
        } catch (IllegalStateException e) {
            // unregistered meanwhile
        }
    }

    @Deactivate
    void deactivate() {
        remote.close();
        if (report != null) {
            try {
                report.unregister();
            } catch (IllegalStateException e) {
                // already gone with the bundle
            }
        }
        try {
            registration.unregister();
        } catch (IllegalStateException e) {
            // already gone with the bundle
        }
    }
}
