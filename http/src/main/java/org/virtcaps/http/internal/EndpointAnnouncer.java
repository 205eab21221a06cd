package org.virtcaps.http.internal;

import java.util.Map;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.servlet.runtime.HttpServiceRuntime;
import org.osgi.service.servlet.runtime.HttpServiceRuntimeConstants;

/**
 * Tells the operator where the endpoint listens, as the HTTP runtime reports it (the address and port
 * come from Felix HTTP's configuration), so that {@code virtcaps serve} shows the URL to open.
 */
@Component(immediate = true)
public class EndpointAnnouncer {

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    void addRuntime(HttpServiceRuntime runtime, Map<String, Object> properties) {
        Object endpoints = properties.get(HttpServiceRuntimeConstants.HTTP_SERVICE_ENDPOINT);
        String text = endpoints instanceof String[] list ? String.join(" ", list)
                : endpoints instanceof java.util.Collection<?> c ? String.join(" ", c.stream().map(String::valueOf).toList())
                : String.valueOf(endpoints);
        System.err.println("virtcaps: remote endpoint at " + text);
    }

    void removeRuntime(HttpServiceRuntime runtime) {
        // nothing to undo: the announcement was a line of output
    }

}
