package org.virtcaps.cli.internal;

import java.io.InputStream;
import java.io.PrintStream;
import java.io.PrintWriter;

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

import picocli.CommandLine;

/** The command line as a service the launcher calls. */
@Component(property = LaunchedCommand.NAME_PROPERTY + "=cli")
public class CliCommand implements LaunchedCommand {
    private final CapabilitiesService service;
    private final CapabilitiesDocuments documents;
    private final MachineDescriptions descriptions;
    private final RemoteHosts remoteHosts;

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
        VirtcapsCommand root = new VirtcapsCommand(service, documents, descriptions, remoteHosts, in);
        CommandLine cli = new CommandLine(root);
        PrintWriter outWriter = new PrintWriter(out, true);
        PrintWriter errWriter = new PrintWriter(err, true);
        cli.setOut(outWriter);
        cli.setErr(errWriter);
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            errWriter.println("virtcaps: " + oneLine(e));
            return 1;
        });
        cli.setParameterExceptionHandler((e, args2) -> {
            errWriter.println("virtcaps: " + e.getMessage());
            errWriter.println("Try 'virtcaps " + (e.getCommandLine() == cli ? "" : e.getCommandLine().getCommandName() + " ")
                    + "--help' for more information.");
            return 2;
        });
        int exit = cli.execute(args);
        outWriter.flush();
        errWriter.flush();
        return exit;
    }

    private static String oneLine(Throwable e) {
        String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        return message.replaceAll("\\s+", " ").trim();
    }
}
