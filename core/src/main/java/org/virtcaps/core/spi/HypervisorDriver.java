package org.virtcaps.core.spi;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * A hypervisor driver: register an implementation as an OSGi service and its guest architectures join
 * the capabilities document; unregister it and they leave.
 *
 * <p>Contract: {@link #probe} is called on a platform thread, possibly concurrently with other drivers'
 * probes but never concurrently with itself. It runs under a timeout (the thread is interrupted when it
 * expires); it should return rather than throw when the hypervisor is simply absent, explaining why in
 * the diagnostics. Invalid entries are dropped and reported; an exception fails only this driver.
 */
@ConsumerType
public interface HypervisorDriver {

    /** Service property with the driver's name; defaults to {@link #name()}. */
    String NAME_PROPERTY = "virtcaps.driver";

    /** A short, stable name: qemu, kvm, xen, ... */
    String name();

    /**
     * Probes the host.
     *
     * @param host root-relative access to the host, process execution and this driver's cache directory
     * @return the guest architectures this driver can run, one per arch + os type + domain type
     * @throws Exception when probing failed; reported as this driver's failure
     */
    ProbeResult probe(HostEnvironment host) throws Exception;
}
