package org.virtcaps.cli.internal;

import java.io.InputStream;
import java.io.PrintStream;
import java.io.PrintWriter;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.virtcaps.core.api.CapabilitiesDocuments;
import org.virtcaps.core.api.CapabilitiesService;
import org.virtcaps.launch.LaunchedCommand;

import picocli.CommandLine;

/** The command line as a service the launcher calls. */
@Component(property = LaunchedCommand.NAME_PROPERTY + "=cli", immediate = true)
public class CliCommand implements LaunchedCommand {
    private final CapabilitiesService service;
    private final CapabilitiesDocuments documents;

    @Activate
    public CliCommand(@Reference(target = "(" + CapabilitiesService.HOST_PROPERTY + "=localhost)")
            CapabilitiesService service, @Reference CapabilitiesDocuments documents) {
        this.service = service;
        this.documents = documents;
        warmUp();
    }

    /**
     * picocli builds its model by reflection and loads some 170 classes; in a one-shot process that is a
     * sizeable part of the run. Doing it once on a spare core while the other bundles start takes it off
     * the critical path; the command line built in {@link #run} then finds the classes loaded.
     */
    private void warmUp() {
        Thread warm = new Thread(() -> {
            try {
                new CommandLine(new VirtcapsCommand(service, documents, InputStream.nullInputStream()))
                        .parseArgs("capabilities", "--format", "libvirt");
            } catch (RuntimeException e) {
                // only a warm-up: the real run reports its own errors
            }
        }, "virtcaps-cli-warmup");
        warm.setDaemon(true);
        warm.start();
    }

    @Override
    public int run(String[] args, InputStream in, PrintStream out, PrintStream err) {
        VirtcapsCommand root = new VirtcapsCommand(service, documents, in);
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
