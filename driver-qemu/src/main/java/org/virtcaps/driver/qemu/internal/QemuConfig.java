package org.virtcaps.driver.qemu.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** Configuration of the QEMU emulator catalog (PID {@code org.virtcaps.driver.qemu}). */
@ObjectClassDefinition(name = "virtcaps QEMU driver")
public @interface QemuConfig {

    @AttributeDefinition(description = "Seconds one emulator's probe may take before it is killed")
    double emulatorTimeoutSeconds() default 10;

    @AttributeDefinition(description = "Directories searched besides the PATH directories (host paths)")
    String[] extraSearchDirs() default { "/usr/libexec" };

    @AttributeDefinition(description = "Probes run at once; 0 means two per CPU core")
    int parallelProbes() default 0;

    @AttributeDefinition(description = "Watch the search directories and refresh the capabilities when an emulator "
            + "appears, changes or disappears (a package upgraded)")
    boolean watchSearchDirs() default false;

    @AttributeDefinition(description = "With the watch on: milliseconds without further changes before refreshing "
            + "(a package manager writes and renames several files)")
    long watchQuietMillis() default 1000;
}
