package org.virtcaps.remote;

import java.net.URI;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Connects to remote virtcaps endpoints on demand (a command line's {@code --connect}). Hosts that should
 * be known all the time are configured instead (factory PID {@code org.virtcaps.remote}) and appear as
 * {@link RemoteHost} services.
 */
@ProviderType
public interface RemoteHosts {

    /**
     * A client of the endpoint at {@code endpoint} ({@code http://host:port}, optionally with a path and
     * {@code ?token=T}). Nothing is fetched until the snapshot is first asked for; the client polls and
     * subscribes to nothing on its own.
     *
     * @param token bearer token; null to take it from the URL's {@code token} or {@code access_token}
     *              parameter, or to send none
     * @throws IllegalArgumentException when the URL is not an http or https URL
     */
    RemoteHost connect(URI endpoint, String token);
}
