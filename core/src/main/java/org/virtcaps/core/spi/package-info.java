/**
 * The driver SPI: a hypervisor driver is an OSGi service implementing {@link HypervisorDriver}; it probes
 * the host through a {@link HostEnvironment} and returns guest architectures and diagnostics.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.0.0")
package org.virtcaps.core.spi;
