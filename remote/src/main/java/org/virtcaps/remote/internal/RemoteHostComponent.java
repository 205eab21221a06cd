package org.virtcaps.remote.internal;

import java.net.URI;
import java.time.Duration;
import java.util.Hashtable;
import java.util.Locale;

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
import org.virtcaps.remote.RemoteHost;

/**
 * One configured remote host, registered as a {@link CapabilitiesService} (and {@link RemoteHost}) with
 * {@code virtcaps.host} naming it, so local code treats it exactly like the local host. The service
 * property {@code virtcaps.remote.stale} follows the connection.
 */
@Component(configurationPid = RemoteHostConfig.FACTORY_PID, configurationPolicy = ConfigurationPolicy.REQUIRE,
        service = { })
@Designate(ocd = RemoteHostConfig.class, factory = true)
public class RemoteHostComponent {
    private final RemoteCapabilities remote;
    private final ServiceRegistration<?> registration;
    private final Hashtable<String, Object> properties = new Hashtable<>();

    @Activate
    public RemoteHostComponent(BundleContext context, RemoteHostConfig config, @Reference CapabilitiesDocuments documents) {
        Endpoints.Parsed parsed = Endpoints.parse(URI.create(config.url().trim()));
        String token = config.token().isBlank() ? parsed.token() : config.token().trim();
        String name = config.hostName().isBlank() ? parsed.base().getHost() : config.hostName().trim();
        RemoteCapabilities.Mode mode = switch (config.mode().trim().toLowerCase(Locale.ROOT)) {
            case "poll" -> RemoteCapabilities.Mode.POLL;
            case "events", "" -> RemoteCapabilities.Mode.EVENTS;
            default -> throw new IllegalArgumentException("mode must be events or poll, not '" + config.mode() + "'");
        };
        EndpointClient client = new EndpointClient(parsed.base(), token,
                Duration.ofSeconds(Math.max(1, config.timeoutSeconds())));
        properties.put(CapabilitiesService.HOST_PROPERTY, name);
        properties.put(RemoteHost.URL_PROPERTY, parsed.base().toString());
        properties.put(RemoteHost.STALE_PROPERTY, Boolean.FALSE);
        remote = new RemoteCapabilities(client, name, documents, mode,
                Duration.ofSeconds(Math.max(1, config.pollSeconds())), this::staleChanged);
        registration = context.registerService(new String[] { CapabilitiesService.class.getName(),
                RemoteHost.class.getName() }, remote, properties);
        remote.start();
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
        try {
            registration.unregister();
        } catch (IllegalStateException e) {
            // already gone with the bundle
        }
    }
}
