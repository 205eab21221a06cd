package org.virtcaps.remote;

import java.net.URI;
import java.time.Instant;
import java.util.Optional;

import org.osgi.annotation.versioning.ProviderType;
import java.util.Locale;

import org.virtcaps.core.api.CapabilitiesService;
import org.virtcaps.core.api.DocumentFormat;
import org.virtcaps.core.api.MachineDescriptions;

/**
 * The capabilities of a remote host, probed there. {@link #snapshot()} is the last document fetched; when
 * the host cannot be reached it is kept, {@link #stale()} turns true and {@link #problem()} says why.
 * {@link #refresh()} fetches the remote host's current document (the remote host decides when to probe).
 * {@link #settled()} fetches when nothing was fetched yet and fails with the reason when the host cannot
 * be reached at all.
 */
@ProviderType
public interface RemoteHost extends CapabilitiesService, AutoCloseable {

    /** Service property: the endpoint's URL (without the token). */
    String URL_PROPERTY = "virtcaps.remote.url";
    /** Service property: true while the last attempt to reach the host failed. */
    String STALE_PROPERTY = "virtcaps.remote.stale";
    /**
     * Service property: what is wrong with the host's configuration (PID, key, why, the default used);
     * empty when nothing is. A host whose configuration names no usable endpoint is registered as a
     * {@code RemoteHost} only, stale, with this as its {@link #problem()}.
     */
    String PROBLEM_PROPERTY = "virtcaps.remote.problem";

    /** The endpoint, without the token. */
    URI endpoint();

    /** The host's name as configured or as the URL gives it. */
    String hostName();

    /** Whether the last attempt to reach the host failed (the snapshot is then the last good one). */
    boolean stale();

    /** Why the last attempt failed; empty while the host answers. */
    Optional<String> problem();

    /** When the host last answered; null before it ever did. */
    Instant lastContact();

    /**
     * The current document exactly as the remote host writes it, in a format, with machine descriptions
     * in a language (JSON only; null for none) — what running virtcaps on that host prints.
     *
     * @throws IllegalStateException when the host cannot be reached, with the reason
     */
    String document(DocumentFormat format, Locale descriptions);

    /** The remote host's machine descriptions (asked over the network, one request per lookup). */
    MachineDescriptions descriptions();

    /** Stops polling or listening; the last snapshot stays readable. */
    @Override
    void close();
}
