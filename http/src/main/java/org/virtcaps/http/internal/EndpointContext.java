package org.virtcaps.http.internal;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.concurrent.TimeUnit;

import org.osgi.service.component.ComponentContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.ServiceScope;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.servlet.context.ServletContextHelper;
import org.osgi.service.servlet.whiteboard.propertytypes.HttpWhiteboardContext;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * The endpoint's servlet context: every virtcaps servlet is registered in it, so its security check
 * guards them all. When a token is configured, a request must present it as {@code Authorization: Bearer T}
 * or, for clients that cannot set headers (a browser's EventSource), as {@code ?access_token=T}.
 */
@Component(service = ServletContextHelper.class, scope = ServiceScope.BUNDLE, configurationPid = EndpointConfig.PID)
@Designate(ocd = EndpointConfig.class)
@HttpWhiteboardContext(name = EndpointContext.NAME, path = "/")
public class EndpointContext extends ServletContextHelper {
    static final String NAME = "org.virtcaps.http";
    /** Whiteboard context selection filter of the endpoint's servlets. */
    static final String SELECT = "(osgi.http.whiteboard.context.name=" + NAME + ")";

    /** What {@link #presentedToken} answers for a token it cannot read; never equal to a configured one. */
    static final String MALFORMED = new String("\0malformed");
    private static final RateLimitedLog MALFORMED_LOG = new RateLimitedLog(1, TimeUnit.MINUTES);

    private volatile byte[] token;

    @Activate
    public EndpointContext(ComponentContext context, EndpointConfig config) {
        super(context.getUsingBundle());
        modified(config);
    }

    /**
     * A new token applies to the next request; the context stays registered, so open connections and
     * event streams are not dropped when it changes.
     */
    @Modified
    void modified(EndpointConfig config) {
        // read like every other key (a value DS cannot convert gives the default), though a String rarely fails
        String configured = new org.virtcaps.core.spi.ConfigValues(EndpointConfig.PID, java.util.Map.of())
                .get("token", config::token, "").trim();
        this.token = configured.isEmpty() ? null : configured.getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public boolean handleSecurity(HttpServletRequest request, HttpServletResponse response)
            throws java.io.IOException {
        ErrorPages.ensure(request);
        byte[] expected = token;
        if (expected == null) {
            return true;
        }
        String presented = presentedToken(request);
        // constant-time comparison: response timing tells nothing about the token
        if (presented != null && presented != MALFORMED
                && MessageDigest.isEqual(expected, presented.getBytes(StandardCharsets.UTF_8))) {
            return true;
        }
        if (presented == MALFORMED) {
            MALFORMED_LOG.log("refused a malformed access token from " + request.getRemoteAddr());
        }
        response.setHeader("WWW-Authenticate", "Bearer realm=\"virtcaps\"");
        Responses.problem(response, HttpServletResponse.SC_UNAUTHORIZED,
                presented == null ? "a bearer token is required"
                        : presented == MALFORMED ? "malformed bearer token" : "wrong bearer token");
        return false;
    }

    /**
     * The presented token; {@link #MALFORMED} when it cannot be read (bad percent-encoding, bytes that are
     * not UTF-8): a client's bytes never make the check throw.
     */
    static String presentedToken(HttpServletRequest request) {
        try {
            String header = request.getHeader("Authorization");
            if (header != null && header.regionMatches(true, 0, "Bearer ", 0, 7)) {
                return header.substring(7).trim();
            }
            String query = request.getQueryString();
            if (query != null && query.length() <= Parameters.MAX_QUERY_LENGTH) {
                for (String pair : query.split("&")) {
                    if (pair.startsWith("access_token=")) {
                        String token = Parameters.decode(pair.substring(13));
                        return token == null ? MALFORMED : token;
                    }
                }
            }
            return null;
        } catch (RuntimeException e) {
            return MALFORMED;
        }
    }
}
