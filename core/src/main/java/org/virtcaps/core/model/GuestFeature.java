package org.virtcaps.core.model;

/**
 * A guest feature. Bare features (pae, nonpae, ia64_be, cpuselection, deviceboot, externalSnapshot) have
 * neither default nor toggle; others (acpi, apic, hap, disksnapshot) say whether they are on by default and
 * whether the user may toggle them.
 */
public record GuestFeature(String name, Boolean defaultOn, Boolean toggle) {

    public GuestFeature {
        Values.require(name, "feature name");
    }

    public static GuestFeature bare(String name) {
        return new GuestFeature(name, null, null);
    }

    public static GuestFeature toggled(String name, boolean defaultOn, boolean toggle) {
        return new GuestFeature(name, defaultOn, toggle);
    }

    public boolean isBare() {
        return defaultOn == null && toggle == null;
    }
}
