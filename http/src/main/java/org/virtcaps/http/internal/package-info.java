/**
 * The remote endpoint's servlets, its servlet context (the bearer-token check) and the per-snapshot
 * document cache. Private: clients use HTTP, not these classes. The bundle needs an implementation of
 * the Servlet Whiteboard 2.0 (Felix HTTP Jetty 12 in the container); the requirement says so to resolvers.
 */
@org.osgi.service.servlet.whiteboard.annotations.RequireHttpWhiteboard
package org.virtcaps.http.internal;
