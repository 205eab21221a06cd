package org.virtcaps.core.api;

import java.util.Locale;

/** The document formats capabilities are written in. */
public enum DocumentFormat {
    /** libvirt's capabilities XML, valid against libvirt 9.0's capability.rng. */
    LIBVIRT("application/xml"),
    /** The original proposal's XML: host cpu flags and a flat list of guest architectures. */
    SEED("application/xml"),
    /** JSON with the host, the flat guest architectures, the nested guests and the driver reports. */
    JSON("application/json");

    private final String mediaType;

    DocumentFormat(String mediaType) {
        this.mediaType = mediaType;
    }

    public String mediaType() {
        return mediaType;
    }

    /** Parses a format name as users type it (libvirt, seed, json; case-insensitive). */
    public static DocumentFormat parse(String name) {
        try {
            return valueOf(name.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new IllegalArgumentException("unknown format '" + name + "' (expected libvirt, seed or json)");
        }
    }
}
