package org.virtcaps.cli.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

import org.virtcaps.remote.RemoteHost;
import org.virtcaps.remote.RemoteHosts;

import org.virtcaps.core.api.CapabilitiesDocuments;
import org.virtcaps.core.api.CapabilitiesService;
import org.virtcaps.core.api.DocumentException;
import org.virtcaps.core.api.DocumentFormat;
import org.virtcaps.core.api.GuestQuery;
import org.virtcaps.core.api.GuestQueryResult;
import org.virtcaps.core.api.MachineDescriptions;
import org.virtcaps.core.model.Capabilities;
import org.virtcaps.core.model.Diagnostic;
import org.virtcaps.core.model.DriverReport;
import org.virtcaps.core.model.GuestArchitecture;


import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code virtcaps} and its sub-commands. */
@Command(name = "virtcaps", mixinStandardHelpOptions = true, version = "virtcaps 0.1.0",
        description = "Tells what this host can virtualize: its CPU and, per hypervisor driver, the guest "
                + "architectures it supports.",
        subcommands = { VirtcapsCommand.CapabilitiesCommand.class, VirtcapsCommand.GuestsCommand.class,
                VirtcapsCommand.DriversCommand.class, DescribeCommand.class },
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = { "0:success", "1:failure (one-line reason on stderr)", "2:usage error" })
final class VirtcapsCommand implements Callable<Integer> {
    final CapabilitiesService service;
    final CapabilitiesDocuments documents;
    /** Null when the descriptions bundle is not installed. */
    final MachineDescriptions descriptions;
    final InputStream stdin;

    @Spec
    CommandSpec spec;

    // applied by the launcher before the framework starts (core probes as soon as it activates);
    // declared here for --help and validation
    @Option(names = "--root", paramLabel = "DIR", scope = ScopeType.INHERIT,
            description = "Probe a host tree captured under DIR instead of /.")
    Path root;

    @Option(names = "--cache-dir", paramLabel = "DIR", scope = ScopeType.INHERIT,
            description = "Probe cache directory (default ~/.cache/virtcaps).")
    Path cacheDir;

    @Option(names = "--no-cache", scope = ScopeType.INHERIT, description = "Probe everything afresh; write no cache.")
    boolean noCache;

    @Option(names = "--from", paramLabel = "FILE|-", scope = ScopeType.INHERIT,
            description = "Read a libvirt capabilities document (e.g. saved 'virsh capabilities') instead of probing.")
    String from;

    @Option(names = "--connect", paramLabel = "URL", scope = ScopeType.INHERIT,
            description = "Ask the virtcaps endpoint at URL (http://HOST:PORT[?token=T]) instead of this host: "
                    + "probing happens there.")
    java.net.URI connect;

    /** Null when the remote bundle is not installed. */
    final RemoteHosts remoteHosts;
    private RemoteHost remote;

    VirtcapsCommand(CapabilitiesService service, CapabilitiesDocuments documents, MachineDescriptions descriptions,
            RemoteHosts remoteHosts, InputStream stdin) {
        this.service = service;
        this.documents = documents;
        this.descriptions = descriptions;
        this.remoteHosts = remoteHosts;
        this.stdin = stdin;
    }

    /** The remote host of --connect, connected on first use; null without --connect. */
    RemoteHost remote() {
        if (connect == null) {
            return null;
        }
        if (remote == null) {
            if (remoteHosts == null) {
                throw new IllegalStateException("--connect needs the remote bundle (org.virtcaps.remote)");
            }
            if (from != null || root != null) {
                throw new picocli.CommandLine.ParameterException(spec.commandLine(),
                        "--connect cannot be combined with --from or --root: the remote host probes itself");
            }
            try {
                remote = remoteHosts.connect(connect, null);
            } catch (IllegalArgumentException e) {
                throw new picocli.CommandLine.ParameterException(spec.commandLine(), e.getMessage());
            }
        }
        return remote;
    }

    /** The descriptions to use: the remote host's with --connect, else this platform's (null when absent). */
    MachineDescriptions descriptions() {
        RemoteHost host = remote();
        return host != null ? host.descriptions() : descriptions;
    }

    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getOut());
        return 2;
    }

    /** The document to work on: read from --from, or the settled local probe. */
    Capabilities capabilities() throws IOException, DocumentException {
        RemoteHost host = remote();
        if (host != null) {
            return host.settled();
        }
        if (root != null && !Files.isDirectory(root)) {
            throw new NoSuchFileException(root + " (the --root directory does not exist)");
        }
        if (from == null) {
            return service.settled();
        }
        if (from.equals("-")) {
            return documents.read(stdin, "stdin");
        }
        Path file = Path.of(from);
        if (!Files.isRegularFile(file)) {
            throw new NoSuchFileException(from + " (no such file)");
        }
        try (InputStream in = Files.newInputStream(file)) {
            return documents.read(in, from);
        }
    }

    @Command(name = "capabilities", mixinStandardHelpOptions = true,
            description = "Print the capabilities document.")
    static final class CapabilitiesCommand implements Callable<Integer> {
        @picocli.CommandLine.ParentCommand
        VirtcapsCommand parent;
        @Spec
        CommandSpec spec;

        @Option(names = { "-f", "--format" }, paramLabel = "FORMAT", defaultValue = "libvirt",
                description = "libvirt (default), seed or json.")
        String format;

        @Option(names = "--lang", paramLabel = "TAG",
                description = "JSON only: describe every machine in this language (fr, de, es, ja, zh-CN, ...).")
        String lang;

        @Override
        public Integer call() throws Exception {
            DocumentFormat f;
            try {
                f = DocumentFormat.parse(format);
            } catch (IllegalArgumentException e) {
                throw new picocli.CommandLine.ParameterException(spec.commandLine(), e.getMessage());
            }
            if (lang != null && f != DocumentFormat.JSON) {
                throw new picocli.CommandLine.ParameterException(spec.commandLine(), "--lang needs --format json");
            }
            PrintWriter out = spec.commandLine().getOut();
            Locale locale = lang == null ? null : DescribeCommand.locale(spec, lang);
            if (parent.remote() != null) {
                // the remote host's document as it writes it (descriptions included): one request, no re-writing
                out.print(parent.remote().document(f, locale));
            } else {
                Capabilities caps = parent.capabilities();
                out.print(locale == null ? parent.documents.format(caps, f) : parent.documents.format(caps, f, locale));
            }
            out.flush();
            return 0;
        }
    }

    @Command(name = "guests", mixinStandardHelpOptions = true,
            description = "List guest architectures, filtered the way a user interface asks, with facet counts.")
    static final class GuestsCommand implements Callable<Integer> {
        @picocli.CommandLine.ParentCommand
        VirtcapsCommand parent;
        @Spec
        CommandSpec spec;

        @ArgGroup(exclusive = true)
        Virtualization virtualization;

        static final class Virtualization {
            @Option(names = "--fullvirt", description = "Only full virtualization (hvm).")
            boolean full;
            @Option(names = "--paravirt", description = "Only para-virtualization (xen).")
            boolean para;
        }

        @Option(names = "--family", paramLabel = "FAMILY",
                description = "Only this arch family: x86 (or pc), arm, ppc, s390, sparc, mips, riscv, ...")
        String family;

        @Option(names = "--wordsize", paramLabel = "BITS", description = "Only 32- or 64-bit (31 for s390).")
        Integer wordsize;

        @Option(names = "--domain", paramLabel = "TYPE", description = "Only this domain type: qemu, kvm, xen, ...")
        String domain;

        @Option(names = "--json", description = "Print JSON: the matches and the facet counts.")
        boolean json;

        @Override
        public Integer call() throws Exception {
            if (wordsize != null && wordsize != 31 && wordsize != 32 && wordsize != 64) {
                throw new picocli.CommandLine.ParameterException(spec.commandLine(),
                        "--wordsize must be 31, 32 or 64, not " + wordsize);
            }
            GuestQuery query = GuestQuery.ALL.withFullVirt(virtualization == null ? null : virtualization.full)
                    .withFamily(family).withWordsize(wordsize)
                    .withDomainType(domain == null ? null : domain.toLowerCase(Locale.ROOT));
            Capabilities caps = parent.capabilities();
            GuestQueryResult result = query.evaluate(caps.architectures());
            PrintWriter out = spec.commandLine().getOut();
            if (json) {
                // the same answer the HTTP endpoint's /guests gives
                java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
                parent.documents.writeQuery(caps, query, null, bytes);
                out.print(bytes.toString(java.nio.charset.StandardCharsets.UTF_8));
            } else {
                out.print(table(result.matches()));
                out.printf("%d of them; facets:%n", result.matches().size());
                for (Map.Entry<String, Map<String, Integer>> facet : new java.util.TreeMap<>(result.facets()).entrySet()) {
                    out.printf("  %-15s %s%n", facet.getKey(), facet.getValue());
                }
            }
            out.flush();
            return 0;
        }

        private static String table(java.util.List<GuestArchitecture> entries) {
            StringBuilder sb = new StringBuilder(String.format("%-12s %-4s %-6s %-7s %-12s %s%n", "ARCH", "BITS", "OS",
                    "DOMAIN", "MACHINE", "EMULATOR"));
            for (GuestArchitecture g : entries) {
                sb.append(String.format("%-12s %-4d %-6s %-7s %-12s %s%n", g.arch(), g.wordsize(), g.osType(),
                        g.domainType(), g.defaultMachine() == null ? "-" : g.defaultMachine().name(),
                        g.emulator() == null ? "-" : g.emulator()));
            }
            return sb.toString();
        }
    }

    @Command(name = "drivers", mixinStandardHelpOptions = true,
            description = "Each driver: state, guests contributed, probe time, diagnostics; and the host's diagnostics.")
    static final class DriversCommand implements Callable<Integer> {
        @picocli.CommandLine.ParentCommand
        VirtcapsCommand parent;
        @Spec
        CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            Capabilities caps = parent.capabilities();
            PrintWriter out = spec.commandLine().getOut();
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
            out.flush();
            return 0;
        }
    }
}
