package org.virtcaps.cli.internal;

import java.io.PrintWriter;
import java.util.Locale;

import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Options;
import org.virtcaps.core.model.Capabilities;
import org.virtcaps.core.model.Diagnostic;
import org.virtcaps.core.model.DriverReport;

/** {@code virtcaps drivers}: each driver's state, guests, probe time and diagnostics; the host's diagnostics. */
final class DriversCommand implements Subcommand {
    @Override
    public String name() {
        return "drivers";
    }

    @Override
    public String summary() {
        return "Each driver: state, guests contributed, probe time, diagnostics; and the host's diagnostics.";
    }

    @Override
    public Options options() {
        return new Options();
    }

    @Override
    public int run(Session session, CommandLine line) throws Exception {
        Capabilities caps = session.capabilities();
        PrintWriter out = session.out;
        if (caps.drivers().isEmpty()) {
            out.println(caps.source().equals("probe") ? "no hypervisor driver is installed"
                    : "no driver reports: the document was read from " + caps.source());
        }
        for (DriverReport d : caps.drivers()) {
            out.printf("%-12s %-9s %3d guests %7d ms%n", d.name(), d.state().name().toLowerCase(Locale.ROOT),
                    d.guestCount(), d.probeTime().toMillis());
            for (Diagnostic diag : d.diagnostics()) {
                out.println("    " + diag);
            }
        }
        if (!caps.host().diagnostics().isEmpty()) {
            out.println("host:");
            for (Diagnostic diag : caps.host().diagnostics()) {
                out.println("    " + diag);
            }
        }
        if (caps.host().virtualization() != null && caps.host().virtualization().reason() != null) {
            out.println("hardware virtualization: " + caps.host().virtualization().reason());
        }
        return 0;
    }
}
