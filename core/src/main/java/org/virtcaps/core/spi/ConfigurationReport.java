package org.virtcaps.core.spi;

import java.util.List;

import org.osgi.annotation.versioning.ConsumerType;
import org.virtcaps.core.model.Diagnostic;

/**
 * Whiteboard: a component that is no driver (an endpoint, a front end) registers this to have the
 * configuration values it could not use told with the host's diagnostics, which {@code drivers} and
 * {@code /drivers} show. Asked whenever a snapshot is built (a reconfigured component's problems show from
 * the next one on); it should answer at once, from what it read.
 */
@ConsumerType
public interface ConfigurationReport {

    /** The values replaced by their defaults, as {@link ConfigValues#problems()} words them; empty: none. */
    List<Diagnostic> configurationProblems();
}
