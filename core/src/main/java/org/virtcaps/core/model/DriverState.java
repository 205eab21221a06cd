package org.virtcaps.core.model;

/** Outcome of a driver's latest probe. */
public enum DriverState {
    /** Probed and contributed at least one guest architecture. */
    ACTIVE,
    /** Probed fine but found nothing to contribute (its diagnostics say why). */
    EMPTY,
    /** Bound, first probe not finished yet. */
    PROBING,
    /** The probe threw or returned nothing usable. */
    FAILED,
    /** The probe did not finish within the probe timeout. */
    TIMED_OUT
}
