package org.virtcaps.core.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * Core configuration (PID {@code org.virtcaps.core}). An empty value falls back to the framework
 * property named in its description (how the one-shot CLI passes {@code --root} and friends), then to
 * the built-in default.
 */
@ObjectClassDefinition(name = "virtcaps core", description = "Host root, probe cache and probe timeout")
public @interface CoreConfig {

    @AttributeDefinition(description = "Host root to probe (framework property virtcaps.root; default /)")
    String root() default "";

    @AttributeDefinition(description = "Probe cache directory (virtcaps.cache.dir; default ~/.cache/virtcaps)")
    String cacheDir() default "";

    @AttributeDefinition(description = "Whether drivers may cache probe results: true/false (virtcaps.cache.enabled)")
    String cacheEnabled() default "";

    @AttributeDefinition(description = "Seconds a driver's probe may take (virtcaps.probe.timeout; default 60)")
    String probeTimeoutSeconds() default "";

    @AttributeDefinition(description = "Program search path under the root (virtcaps.path; default: PATH)")
    String searchPath() default "";

    @AttributeDefinition(description = "Seconds between automatic refreshes; 0 or empty: only on request "
            + "(virtcaps.refresh.interval)")
    String refreshIntervalSeconds() default "";
}
