/**
 * Remote hosts, treated like the local one: a {@link org.virtcaps.remote.RemoteHost} is a
 * {@link org.virtcaps.core.api.CapabilitiesService} whose probing happens on the remote machine, reached
 * through its virtcaps HTTP endpoint.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.0.0")
package org.virtcaps.remote;
