package org.virtcaps.remote.internal;

import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import org.virtcaps.core.api.DocumentFormat;
import org.virtcaps.core.api.CapabilitiesListener;
import org.virtcaps.core.api.GuestQuery;
import org.virtcaps.core.api.GuestQueryResult;
import org.virtcaps.core.api.MachineDescriptions;
import org.virtcaps.core.model.Capabilities;
import org.virtcaps.core.model.Diagnostic;
import org.virtcaps.core.model.Host;
import org.virtcaps.core.model.HostCpu;
import org.virtcaps.remote.RemoteHost;

/**
 * A remote-host configuration that names no usable endpoint (no {@code url}, or one that is no http URL):
 * stale for good, with the reason as its problem, never contacted. It stands where the host would, so the
 * configuration's mistake is seen where remote hosts are looked at instead of as a stack trace.
 */
final class UnconfiguredRemoteHost implements RemoteHost {
    private final String hostName;
    private final String reason;

    UnconfiguredRemoteHost(String hostName, String reason) {
        this.hostName = hostName;
        this.reason = reason;
    }

    @Override
    public URI endpoint() {
        return URI.create("unconfigured:" + hostName);
    }

    @Override
    public String hostName() {
        return hostName;
    }

    @Override
    public boolean stale() {
        return true;
    }

    @Override
    public Optional<String> problem() {
        return Optional.of(reason);
    }

    @Override
    public Instant lastContact() {
        return null;
    }

    @Override
    public String document(DocumentFormat format, Locale descriptions) {
        throw new IllegalStateException(reason);
    }

    @Override
    public MachineDescriptions descriptions() {
        return new MachineDescriptions() {
            @Override
            public Optional<MachineDescription> lookup(String machine, String arch, Locale locale) {
                return Optional.empty();
            }

            @Override
            public java.util.Set<Locale> locales() {
                return java.util.Set.of(Locale.ENGLISH);
            }
        };
    }

    @Override
    public Capabilities snapshot() {
        HostCpu cpu = new HostCpu("unknown", null, null, null, null, null, null, null, List.of(), List.of(), List.of());
        Host host = new Host(null, cpu, null, null, null, List.of(), List.of(), List.of(), null, null,
                List.of(Diagnostic.error("remote", reason)));
        return new Capabilities(host, List.of(), List.of(), List.of(), 0, null, endpoint().toString());
    }

    @Override
    public Capabilities refresh() {
        return snapshot();
    }

    @Override
    public Capabilities settled() {
        throw new IllegalStateException(reason);
    }

    @Override
    public GuestQueryResult query(GuestQuery query) {
        return query.evaluate(List.of());
    }

    @Override
    public AutoCloseable addListener(CapabilitiesListener listener) {
        return () -> {
        };
    }

    @Override
    public void close() {
        // nothing was started
    }
}
