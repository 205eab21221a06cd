package org.virtcaps.core.api;

import org.osgi.annotation.versioning.ProviderType;
import org.virtcaps.core.model.Capabilities;

/**
 * The capabilities of one host. Registered by core for the local host (and by remote connectors for
 * other hosts, with a {@code virtcaps.host} service property).
 *
 * <p>Snapshots are immutable and replaced atomically: a reader never sees a half-built document.
 */
@ProviderType
public interface CapabilitiesService {

    /** Service property naming the host a service answers for. */
    String HOST_PROPERTY = "virtcaps.host";

    /** The current snapshot; never blocks on probing. */
    Capabilities snapshot();

    /**
     * Probes the host and every driver now (drivers whose probe is already running are awaited, not
     * started twice) and returns the resulting snapshot.
     */
    Capabilities refresh();

    /**
     * The snapshot once every probe already started (e.g. of drivers that just arrived) has finished,
     * waiting at most the probe timeout; starts no probe. What a one-shot client wants after start-up.
     */
    Capabilities settled();

    /** Guest architectures of the current snapshot that match the query, with facet counts. */
    GuestQueryResult query(GuestQuery query);

    /**
     * Adds a listener called after every snapshot change. Listeners registered as OSGi services are
     * called too (whiteboard).
     *
     * @return closing it removes the listener
     */
    AutoCloseable addListener(CapabilitiesListener listener);
}
