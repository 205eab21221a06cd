package org.virtcaps.http.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.AttributeType;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * Configuration PID {@code org.virtcaps.http}. The address and port are Felix HTTP's own
 * ({@code org.apache.felix.http} PID: {@code org.apache.felix.http.host}, {@code org.osgi.service.http.port};
 * {@code virtcaps serve --bind/--port} sets them).
 */
@ObjectClassDefinition(name = "virtcaps HTTP endpoint", description = "Remote capabilities endpoint")
@interface EndpointConfig {
    String PID = "org.virtcaps.http";

    @AttributeDefinition(type = AttributeType.PASSWORD,
            description = "Bearer token every request must carry (Authorization: Bearer T, or ?access_token=T); "
                    + "empty: no token")
    String token() default "";

    @AttributeDefinition(description = "Most event streams (/events) open at once; more get 503")
    int maxEventStreams() default 64;

    @AttributeDefinition(description = "Seconds between keep-alive comments on event streams; a departed client's "
            + "stream (and its slot) is let go within two of them")
    int heartbeatSeconds() default 1;
}
