package org.virtcaps.core.internal;

import java.util.HashMap;
import java.util.Map;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.event.Event;
import org.osgi.service.event.EventAdmin;
import org.virtcaps.core.api.CapabilitiesChange;
import org.virtcaps.core.api.CapabilitiesListener;

/**
 * Posts every capabilities change to Event Admin (topic {@link CapabilitiesChange#TOPIC}). It is a
 * whiteboard listener that exists only while an Event Admin service does.
 */
@Component(service = CapabilitiesListener.class)
public class EventAdminBridge implements CapabilitiesListener {
    private final EventAdmin eventAdmin;

    @Activate
    public EventAdminBridge(@Reference EventAdmin eventAdmin) {
        this.eventAdmin = eventAdmin;
    }

    @Override
    public void capabilitiesChanged(CapabilitiesChange change) {
        Map<String, Object> properties = new HashMap<>();
        properties.put("reason", change.reason());
        properties.put("generation", change.current().generation());
        properties.put("drivers.added", change.driversAdded().toArray(String[]::new));
        properties.put("drivers.removed", change.driversRemoved().toArray(String[]::new));
        properties.put("guests.added", change.guestsAdded().size());
        properties.put("guests.removed", change.guestsRemoved().size());
        properties.put("host.changed", change.hostChanged());
        properties.put("change", change);
        eventAdmin.postEvent(new Event(CapabilitiesChange.TOPIC, properties));
    }
}
