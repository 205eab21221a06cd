package org.virtcaps.core.internal;

import java.util.Locale;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.virtcaps.core.api.CapabilitiesDocuments;
import org.virtcaps.core.api.CapabilitiesService;
import org.virtcaps.core.api.DocumentFormat;
import org.virtcaps.core.api.GuestQuery;
import org.virtcaps.core.api.GuestQueryResult;
import org.virtcaps.core.model.Diagnostic;
import org.virtcaps.core.model.DriverReport;
import org.virtcaps.core.model.GuestArchitecture;

/**
 * Gogo shell commands, scope {@code virtcaps}: {@code capabilities [libvirt|seed|json]},
 * {@code guests [fullvirt|paravirt|32|64|FAMILY|DOMAIN]...}, {@code drivers}, {@code refresh}. No Gogo
 * dependency: the shell finds the methods through the service properties. They print to System.out, which
 * the shell redirects to the session: a returned value is printed by interactive consoles only, not when
 * a command runs over {@code ssh host command} (as scripts run Karaf's).
 */
@Component(service = GogoCommands.class, property = { "osgi.command.scope=virtcaps",
        "osgi.command.function=capabilities", "osgi.command.function=guests", "osgi.command.function=drivers",
        "osgi.command.function=refresh" })
public class GogoCommands {
    private final CapabilitiesService service;
    private final CapabilitiesDocuments documents;

    @Activate
    public GogoCommands(@Reference(target = "(" + CapabilitiesService.HOST_PROPERTY + "=localhost)")
            CapabilitiesService service, @Reference CapabilitiesDocuments documents) {
        this.service = service;
        this.documents = documents;
    }

    public void capabilities() {
        capabilities("libvirt");
    }

    public void capabilities(String format) {
        System.out.print(documents.format(service.settled(), DocumentFormat.parse(format)));
    }

    /** Filters: fullvirt, paravirt, 32, 64, a domain type (qemu, kvm, xen, ...) or an arch family. */
    public void guests(String... filters) {
        System.out.print(guestsText(filters));
    }

    String guestsText(String... filters) {
        GuestQuery query = GuestQuery.ALL;
        for (String f : filters) {
            String v = f.toLowerCase(Locale.ROOT);
            switch (v) {
                case "fullvirt" -> query = query.withFullVirt(true);
                case "paravirt" -> query = query.withFullVirt(false);
                case "31", "32", "64" -> query = query.withWordsize(Integer.parseInt(v));
                case "qemu", "kvm", "kqemu", "xen", "lxc", "test" -> query = query.withDomainType(v);
                                default -> query = query.withFamily(v);
            }
        }
        service.settled();
        GuestQueryResult result = service.query(query);
        StringBuilder sb = new StringBuilder();
        for (GuestArchitecture g : result.matches()) {
            sb.append(g.arch()).append(' ').append(g.wordsize()).append("-bit ").append(g.osType()).append('/')
                    .append(g.domainType()).append(" machine=")
                    .append(g.defaultMachine() == null ? "-" : g.defaultMachine().name()).append(" emulator=")
                    .append(g.emulator() == null ? "-" : g.emulator()).append('\n');
        }
        return sb.append("facets: ").append(result.facets()).append('\n').toString();
    }

    public void drivers() {
        System.out.print(driversText());
    }

    String driversText() {
        StringBuilder sb = new StringBuilder();
        for (DriverReport d : service.settled().drivers()) {
            sb.append(String.format("%-10s %-9s %3d guests %6d ms%n", d.name(), d.state().name().toLowerCase(Locale.ROOT),
                    d.guestCount(), d.probeTime().toMillis()));
            for (Diagnostic diag : d.diagnostics()) {
                sb.append("    ").append(diag).append('\n');
            }
        }
        return sb.length() == 0 ? "no drivers\n" : sb.toString();
    }

    public void refresh() {
        System.out.println("generation " + service.refresh().generation());
    }
}
