package org.virtcaps.core.api;

import java.util.List;

import org.virtcaps.core.model.Capabilities;
import org.virtcaps.core.model.GuestArchitecture;

/**
 * What changed between two snapshots.
 *
 * @param previous the snapshot before
 * @param current the snapshot after
 * @param reason why the snapshot was rebuilt (driver-added, driver-removed, driver-probed, refresh, host)
 * @param driversAdded drivers that joined
 * @param driversRemoved drivers that left
 * @param guestsAdded guest architectures in {@code current} but not in {@code previous}
 * @param guestsRemoved guest architectures in {@code previous} but not in {@code current}
 * @param hostChanged whether the host part differs
 */
public record CapabilitiesChange(Capabilities previous, Capabilities current, String reason,
        List<String> driversAdded, List<String> driversRemoved, List<GuestArchitecture> guestsAdded,
        List<GuestArchitecture> guestsRemoved, boolean hostChanged) {

    /** Event Admin topic of the change events core posts. */
    public static final String TOPIC = "org/virtcaps/capabilities/CHANGED";

    public CapabilitiesChange {
        driversAdded = List.copyOf(driversAdded);
        driversRemoved = List.copyOf(driversRemoved);
        guestsAdded = List.copyOf(guestsAdded);
        guestsRemoved = List.copyOf(guestsRemoved);
    }
}
