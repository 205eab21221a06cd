package org.virtcaps.core.model;

import java.util.List;

/** A security model (selinux, apparmor, dac) with its domain of interpretation and base labels. */
public record SecurityModel(String model, String doi, List<BaseLabel> baseLabels) {

    public SecurityModel {
        baseLabels = Values.list(baseLabels);
    }

    /** Base label for one domain type. */
    public record BaseLabel(String type, String label) {
    }
}
