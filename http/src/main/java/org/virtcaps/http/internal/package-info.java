/**
 * The remote endpoint's servlets, its servlet context (the bearer-token check) and the per-snapshot
 * document cache. Private: clients use HTTP, not these classes.
 */
package org.virtcaps.http.internal;
