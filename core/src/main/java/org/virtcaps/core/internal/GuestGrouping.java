package org.virtcaps.core.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import org.virtcaps.core.model.Guest;
import org.virtcaps.core.model.GuestArchitecture;
import org.virtcaps.core.model.GuestDomain;
import org.virtcaps.core.model.GuestFeature;

/** Converts between the flat view (one entry per domain type) and libvirt's nested view. */
final class GuestGrouping {
    private GuestGrouping() {
    }

    /**
     * Groups flat entries by os type + arch. The first entry of a group sets the guest's emulator and
     * machines; later domains carry their own only where they differ. Features are merged in order.
     */
    static List<Guest> group(List<GuestArchitecture> flat) {
        Map<String, List<GuestArchitecture>> groups = new LinkedHashMap<>();
        for (GuestArchitecture entry : flat) {
            // no computeIfAbsent lambda: this runs in every one-shot run, where a lambda's first use costs more
            // than the grouping
            String key = entry.osType() + "\u0000" + entry.arch();
            List<GuestArchitecture> group = groups.get(key);
            if (group == null) {
                group = new ArrayList<>();
                groups.put(key, group);
            }
            group.add(entry);
        }
        List<Guest> guests = new ArrayList<>();
        for (List<GuestArchitecture> group : groups.values()) {
            GuestArchitecture base = group.get(0);
            String loader = null;
            for (GuestArchitecture entry : group) {
                if (entry.loader() != null) {
                    loader = entry.loader();
                    break;
                }
            }
            List<GuestDomain> domains = new ArrayList<>();
            Map<String, GuestFeature> features = new LinkedHashMap<>();
            for (GuestArchitecture entry : group) {
                String emulator = Objects.equals(entry.emulator(), base.emulator()) ? null : entry.emulator();
                domains.add(new GuestDomain(entry.domainType(), emulator,
                        entry.machines().equals(base.machines()) ? List.of() : entry.machines()));
                for (GuestFeature f : entry.features()) {
                    features.putIfAbsent(f.name(), f);
                }
            }
            guests.add(new Guest(base.osType(), base.arch(), base.wordsize(), base.emulator(), loader, base.machines(),
                    domains, List.copyOf(features.values())));
        }
        return guests;
    }

    /** One flat entry per domain of every guest, with the domain's overrides applied. */
    static List<GuestArchitecture> flatten(List<Guest> guests) {
        List<GuestArchitecture> flat = new ArrayList<>();
        for (Guest guest : guests) {
            for (GuestDomain domain : guest.domains()) {
                flat.add(new GuestArchitecture(guest.osType(), guest.arch(), guest.wordsize(), domain.type(),
                        domain.emulator() != null ? domain.emulator() : guest.emulator(), guest.loader(),
                        domain.machines().isEmpty() ? guest.machines() : domain.machines(), guest.features(), Map.of(),
                        null));
            }
        }
        return flat;
    }
}
