package org.virtcaps.cli.internal;

import java.io.InputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.List;

import org.apache.commons.cli.AlreadySelectedException;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.DefaultParser;
import org.apache.commons.cli.HelpFormatter;
import org.apache.commons.cli.MissingArgumentException;
import org.apache.commons.cli.Option;
import org.apache.commons.cli.Options;
import org.apache.commons.cli.ParseException;
import org.apache.commons.cli.UnrecognizedOptionException;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.virtcaps.core.api.CapabilitiesDocuments;
import org.virtcaps.core.api.CapabilitiesService;
import org.virtcaps.core.api.MachineDescriptions;
import org.virtcaps.launch.LaunchedCommand;
import org.virtcaps.remote.RemoteHosts;

/**
 * The command line as a service the launcher calls: {@code virtcaps [OPTIONS] COMMAND [OPTIONS]}. Apache
 * Commons CLI parses the global options up to the command, then the command's own options together with
 * the global ones (which may come after the command too). Exit codes: 0 success, 1 failure with a one-line
 * reason on stderr, 2 usage error.
 *
 * <p>Commons CLI rather than an annotation-driven parser: it is plain code with no reflection, and its
 * classes are class-data-sharing friendly, which keeps the one-shot start short.
 */
@Component(property = LaunchedCommand.NAME_PROPERTY + "=cli")
public class CliCommand implements LaunchedCommand {
    static final String VERSION = "virtcaps 0.1.0";
    private static final int HELP_WIDTH = 100;

    private final CapabilitiesService service;
    private final CapabilitiesDocuments documents;
    private final MachineDescriptions descriptions;
    private final RemoteHosts remoteHosts;
    private final List<Subcommand> commands = List.of(new CapabilitiesCommand(), new GuestsCommand(),
            new DriversCommand(), new DescribeCommand());

    @Activate
    public CliCommand(@Reference(target = "(" + CapabilitiesService.HOST_PROPERTY + "=localhost)")
            CapabilitiesService service, @Reference CapabilitiesDocuments documents,
            @Reference(cardinality = ReferenceCardinality.OPTIONAL, policyOption = ReferencePolicyOption.GREEDY)
            MachineDescriptions descriptions,
            @Reference(cardinality = ReferenceCardinality.OPTIONAL, policyOption = ReferencePolicyOption.GREEDY)
            RemoteHosts remoteHosts) {
        this.service = service;
        this.documents = documents;
        this.descriptions = descriptions;
        this.remoteHosts = remoteHosts;
    }

    @Override
    public int run(String[] args, InputStream in, PrintStream out, PrintStream err) {
        PrintWriter outWriter = new PrintWriter(out, false);
        PrintWriter errWriter = new PrintWriter(err, true);
        Session session = new Session(service, documents, descriptions, remoteHosts, in, outWriter, errWriter);
        try {
            return run(args, session);
        } catch (UsageException e) {
            outWriter.flush();
            errWriter.println("virtcaps: " + e.getMessage());
            errWriter.println("Try 'virtcaps " + (e.command() == null ? "" : e.command() + " ")
                    + "--help' for more information.");
            return 2;
        } catch (Exception e) {
            outWriter.flush();
            errWriter.println("virtcaps: " + oneLine(e));
            return 1;
        } finally {
            outWriter.flush();
            errWriter.flush();
        }
    }

    private int run(String[] args, Session session) throws Exception {
        Options global = globalOptions();
        DefaultParser parser = DefaultParser.builder().setAllowPartialMatching(false).get();
        // the global options up to the first operand, which names the command
        CommandLine head = parse(parser, global, args, true, null);
        if (head.hasOption("help")) {
            printHelp(session.out, global);
            return 0;
        }
        if (head.hasOption("version")) {
            session.out.println(VERSION);
            return 0;
        }
        List<String> rest = head.getArgList();
        if (rest.isEmpty()) {
            printHelp(session.err, global);
            return 2;
        }
        String name = rest.get(0);
        if (name.startsWith("-") && !name.equals("-")) {
            throw new UsageException(null, "unknown option '" + name + "'");
        }
        Subcommand command = commands.stream().filter(c -> c.name().equals(name)).findFirst()
                .orElseThrow(() -> new UsageException(null, "unknown command '" + name + "' (commands: "
                        + String.join(", ", commands.stream().map(Subcommand::name).toList()) + ")"));
        Options options = command.options();
        global.getOptions().forEach(options::addOption);
        CommandLine tail = parse(parser, options, rest.subList(1, rest.size()).toArray(String[]::new), false,
                command.name());
        if (tail.hasOption("help")) {
            printHelp(session.out, command, globalOptions());
            return 0;
        }
        if (tail.hasOption("version")) {
            session.out.println(VERSION);
            return 0;
        }
        command.checkOperands(tail.getArgList());
        applyGlobals(session, head, tail, command.name());
        return command.run(session, tail);
    }

    private static CommandLine parse(DefaultParser parser, Options options, String[] args, boolean stopAtCommand,
            String command) throws UsageException {
        CommandLine line;
        try {
            line = parser.parse(options, args, stopAtCommand);
        } catch (UnrecognizedOptionException e) {
            throw new UsageException(command, "unknown option '" + e.getOption() + "'");
        } catch (MissingArgumentException e) {
            throw new UsageException(command, display(e.getOption()) + " needs a value ("
                    + e.getOption().getArgName() + ")");
        } catch (AlreadySelectedException e) {
            throw new UsageException(command, display(e.getOption()) + " cannot be combined with "
                    + display(e.getOptionGroup().getSelected()));
        } catch (ParseException e) {
            throw new UsageException(command, e.getMessage());
        }
        for (Option option : line.getOptions()) {
            if (option.hasArg() && line.getOptionValues(option).length > 1) {
                throw new UsageException(command, display(option) + " given more than once");
            }
        }
        return line;
    }

    private static String display(Option option) {
        return option.getLongOpt() != null ? "--" + option.getLongOpt() : "-" + option.getOpt();
    }

    private static String display(String key) {
        return key.length() == 1 ? "-" + key : "--" + key;
    }

    /** The global options, given before the command, after it, or both (but each once). */
    private static void applyGlobals(Session session, CommandLine head, CommandLine tail, String command)
            throws UsageException {
        for (String name : List.of("root", "cache-dir", "from", "connect")) {
            if (head.hasOption(name) && tail.hasOption(name)) {
                throw new UsageException(command, "--" + name + " given more than once");
            }
        }
        String root = value(head, tail, "root");
        String cacheDir = value(head, tail, "cache-dir");
        try {
            session.root = root == null ? null : Path.of(root);
            if (cacheDir != null) {
                Path.of(cacheDir); // applied by the launcher; checked here so a bad one is a usage error
            }
        } catch (InvalidPathException e) {
            throw new UsageException(command, "not a path: " + e.getInput());
        }
        session.from = value(head, tail, "from");
        String connect = value(head, tail, "connect");
        if (connect != null) {
            try {
                session.connect = new URI(connect);
            } catch (URISyntaxException e) {
                throw new UsageException(command, "--connect: not a URL: " + e.getMessage());
            }
        }
    }

    private static String value(CommandLine head, CommandLine tail, String name) {
        String value = head.getOptionValue(name);
        return value != null ? value : tail.getOptionValue(name);
    }

    static Options globalOptions() {
        return new Options()
                .addOption(Option.builder("h").longOpt("help").desc("Show this help and exit.").get())
                .addOption(Option.builder("V").longOpt("version").desc("Print the version and exit.").get())
                // applied by the launcher before the framework starts (core probes as soon as it activates);
                // declared here for --help and validation
                .addOption(Option.builder().longOpt("root").hasArg().argName("DIR")
                        .desc("Probe a host tree captured under DIR instead of /.").get())
                .addOption(Option.builder().longOpt("cache-dir").hasArg().argName("DIR")
                        .desc("Probe cache directory (default ~/.cache/virtcaps).").get())
                .addOption(Option.builder().longOpt("no-cache").desc("Probe everything afresh; write no cache.").get())
                .addOption(Option.builder().longOpt("from").hasArg().argName("FILE|-")
                        .desc("Read a libvirt capabilities document (e.g. saved 'virsh capabilities') instead of "
                                + "probing.").get())
                .addOption(Option.builder().longOpt("connect").hasArg().argName("URL")
                        .desc("Ask the virtcaps endpoint at URL (http://HOST:PORT[?token=T]) instead of this host: "
                                + "probing happens there.").get());
    }

    private void printHelp(PrintWriter to, Options global) {
        HelpFormatter formatter = formatter(to);
        to.println("usage: virtcaps [OPTIONS] COMMAND [COMMAND OPTIONS]");
        formatter.printWrapped(to, HELP_WIDTH, 0, "Tells what this host can virtualize: its CPU and, per hypervisor "
                + "driver, the guest architectures it supports.");
        to.println();
        to.println("Commands:");
        for (Subcommand c : commands) {
            formatter.printWrapped(to, HELP_WIDTH, 16, String.format("  %-13s %s", c.name(), c.summary()));
        }
        to.println();
        to.println("Options (before or after the command):");
        formatter.printOptions(to, HELP_WIDTH, global, 2, 3);
        to.println();
        to.println("Run 'virtcaps COMMAND --help' for a command's options.");
        to.println(EXIT_CODES);
        to.flush();
    }

    private static void printHelp(PrintWriter to, Subcommand command, Options global) {
        HelpFormatter formatter = formatter(to);
        to.println("usage: virtcaps " + command.name() + " [OPTIONS]"
                + (command.operands().isEmpty() ? "" : " " + command.operands()));
        formatter.printWrapped(to, HELP_WIDTH, 0, command.summary());
        Options own = command.options();
        if (!own.getOptions().isEmpty()) {
            to.println();
            to.println("Options:");
            formatter.printOptions(to, HELP_WIDTH, own, 2, 3);
        }
        to.println();
        to.println("Global options:");
        formatter.printOptions(to, HELP_WIDTH, global, 2, 3);
        to.println();
        to.println(EXIT_CODES);
        to.flush();
    }

    private static final String EXIT_CODES = "Exit codes: 0 success, 1 failure (one-line reason on stderr), 2 usage error.";

    private static HelpFormatter formatter(PrintWriter to) {
        return HelpFormatter.builder().setPrintWriter(to).setShowDeprecated(false).get();
    }

    private static String oneLine(Throwable e) {
        String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return message.replaceAll("\\s+", " ").trim();
    }
}
