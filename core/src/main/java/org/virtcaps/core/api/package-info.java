/**
 * The capabilities service and what clients use with it: guest queries with facet counts, change
 * listeners, machine descriptions and the document formats.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.1.0")
package org.virtcaps.core.api;
