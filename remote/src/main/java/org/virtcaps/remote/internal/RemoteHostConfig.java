package org.virtcaps.remote.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.AttributeType;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/** Factory PID {@code org.virtcaps.remote}: one configuration per remote host. */
@ObjectClassDefinition(name = "virtcaps remote host", description = "A remote host's virtcaps endpoint")
@interface RemoteHostConfig {
    String FACTORY_PID = "org.virtcaps.remote";

    @AttributeDefinition(description = "Endpoint URL, e.g. http://host:8470/ (may carry ?token=T)")
    String url();

    @AttributeDefinition(type = AttributeType.PASSWORD, description = "Bearer token; empty: the URL's or none")
    String token() default "";

    @AttributeDefinition(description = "Service property virtcaps.host; empty: the URL's host name")
    String hostName() default "";

    @AttributeDefinition(description = "events: follow the endpoint's change events; poll: fetch every pollSeconds")
    String mode() default "events";

    @AttributeDefinition(description = "Seconds between fetches in poll mode")
    int pollSeconds() default 30;

    @AttributeDefinition(description = "Seconds a request may take")
    int timeoutSeconds() default 10;
}
