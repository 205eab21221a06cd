package org.virtcaps.core.model;

import java.util.List;

/** Migration support: live migration and the URI transports. */
public record MigrationFeatures(boolean live, List<String> uriTransports) {

    public MigrationFeatures {
        uriTransports = Values.list(uriTransports);
    }
}
