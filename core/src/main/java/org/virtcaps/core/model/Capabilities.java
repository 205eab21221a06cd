package org.virtcaps.core.model;

import java.time.Instant;
import java.util.List;

/**
 * One immutable capabilities document: the host, the guest architectures in libvirt's nested view
 * (one {@link Guest} per os type + arch), the same guests flattened as the original proposal lists them
 * (one {@link GuestArchitecture} per arch + os type + domain type), and the state of every driver.
 *
 * @param host the host part
 * @param guests nested view, in document order
 * @param architectures flat view, in document order
 * @param drivers one report per driver that took part, in name order
 * @param generation increases with every snapshot a service publishes; 0 for documents read from elsewhere
 * @param createdAt when this snapshot was assembled
 * @param source where the document came from: "probe" or the file/URL it was read from
 */
public record Capabilities(Host host, List<Guest> guests, List<GuestArchitecture> architectures,
        List<DriverReport> drivers, long generation, Instant createdAt, String source) {

    public Capabilities {
        if (host == null) {
            throw new IllegalArgumentException("host is required");
        }
        guests = Values.list(guests);
        architectures = Values.list(architectures);
        drivers = Values.list(drivers);
        createdAt = createdAt == null ? Instant.EPOCH : createdAt;
        source = source == null ? "probe" : source;
    }

    /** The report of the named driver, or null when no such driver took part. */
    public DriverReport driver(String name) {
        return drivers.stream().filter(d -> d.name().equals(name)).findFirst().orElse(null);
    }
}
