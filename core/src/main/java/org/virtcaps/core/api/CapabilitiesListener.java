package org.virtcaps.core.api;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Told about every change of the capabilities snapshot. Register one as an OSGi service (whiteboard)
 * or through {@link CapabilitiesService#addListener}. Called on a platform thread; keep it short.
 */
@ConsumerType
@FunctionalInterface
public interface CapabilitiesListener {
    void capabilitiesChanged(CapabilitiesChange change);
}
