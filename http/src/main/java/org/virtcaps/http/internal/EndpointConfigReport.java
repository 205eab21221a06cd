package org.virtcaps.http.internal;

import java.util.List;
import java.util.Map;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Modified;
import org.virtcaps.core.model.Diagnostic;
import org.virtcaps.core.spi.ConfigValues;
import org.virtcaps.core.spi.ConfigurationReport;

/**
 * Tells the endpoint's configuration values that could not be used (each replaced by its default where it
 * is read, in {@link EventsServlet}) with the host's diagnostics, so {@code drivers} and {@code /drivers}
 * show them, and on standard error for the operator of {@code serve}. A component of its own: the servlet
 * needs the capabilities service, and core binding a report back from it would be a reference cycle.
 */
@Component(service = ConfigurationReport.class, configurationPid = EndpointConfig.PID)
public class EndpointConfigReport implements ConfigurationReport {
    private volatile List<Diagnostic> problems = List.of();

    @Activate
    public EndpointConfigReport(EndpointConfig config, Map<String, Object> properties) {
        modified(config, properties);
    }

    @Modified
    void modified(EndpointConfig config, Map<String, Object> properties) {
        ConfigValues values = new ConfigValues(EndpointConfig.PID, properties);
        EventsServlet.maxEventStreams(config, values);
        EventsServlet.heartbeatSeconds(config, values);
        problems = values.problems();
        problems.forEach(p -> System.err.println("virtcaps http: " + p.message()));
    }

    @Override
    public List<Diagnostic> configurationProblems() {
        return problems;
    }
}
