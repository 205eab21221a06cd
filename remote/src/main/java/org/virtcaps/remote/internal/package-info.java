/** The HTTP client of the virtcaps endpoint and the remote capabilities services built on it. */
package org.virtcaps.remote.internal;
