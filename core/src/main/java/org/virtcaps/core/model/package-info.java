/**
 * The immutable capability model: what a host is and which guest architectures its hypervisor drivers
 * can run. Every type is a value: lists and maps are copied and unmodifiable, so a snapshot can be shared
 * between threads without locking.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.0.0")
package org.virtcaps.core.model;
