package org.virtcaps.remote.internal;

import java.net.URI;
import java.time.Duration;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.virtcaps.core.api.CapabilitiesDocuments;
import org.virtcaps.remote.RemoteHost;
import org.virtcaps.remote.RemoteHosts;

/** On-demand connections ({@code --connect}): fetch when asked, nothing in the background. */
@Component
public class RemoteHostsComponent implements RemoteHosts {
    static final Duration TIMEOUT = Duration.ofSeconds(30);
    private final CapabilitiesDocuments documents;

    @Activate
    public RemoteHostsComponent(@Reference CapabilitiesDocuments documents) {
        this.documents = documents;
    }

    @Override
    public RemoteHost connect(URI endpoint, String token) {
        Endpoints.Parsed parsed = Endpoints.parse(endpoint);
        EndpointClient client = new EndpointClient(parsed.base(), token != null ? token : parsed.token(), TIMEOUT);
        return new RemoteCapabilities(client, parsed.base().getHost(), documents, RemoteCapabilities.Mode.NONE,
                Duration.ZERO, stale -> { });
    }
}
