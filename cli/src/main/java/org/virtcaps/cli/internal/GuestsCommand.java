package org.virtcaps.cli.internal;

import java.io.ByteArrayOutputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Option;
import org.apache.commons.cli.OptionGroup;
import org.apache.commons.cli.Options;
import org.virtcaps.core.api.GuestQuery;
import org.virtcaps.core.api.GuestQueryResult;
import org.virtcaps.core.model.Capabilities;
import org.virtcaps.core.model.GuestArchitecture;

/** {@code virtcaps guests}: guest architectures filtered the way a user interface asks, with facet counts. */
final class GuestsCommand implements Subcommand {
    @Override
    public String name() {
        return "guests";
    }

    @Override
    public String summary() {
        return "List guest architectures, filtered the way a user interface asks, with facet counts.";
    }

    @Override
    public Options options() {
        OptionGroup virtualization = new OptionGroup()
                .addOption(Option.builder().longOpt("fullvirt").desc("Only full virtualization (hvm).").get())
                .addOption(Option.builder().longOpt("paravirt").desc("Only para-virtualization (xen).").get());
        return new Options().addOptionGroup(virtualization)
                .addOption(Option.builder().longOpt("family").hasArg().argName("FAMILY")
                        .desc("Only this arch family: x86 (or pc), arm, ppc, s390, sparc, mips, riscv, ...").get())
                .addOption(Option.builder().longOpt("wordsize").hasArg().argName("BITS")
                        .desc("Only 32- or 64-bit (31 for s390).").get())
                .addOption(Option.builder().longOpt("domain").hasArg().argName("TYPE")
                        .desc("Only this domain type: qemu, kvm, xen, ...").get())
                .addOption(Option.builder().longOpt("json").desc("Print JSON: the matches and the facet counts.").get());
    }

    @Override
    public int run(Session session, CommandLine line) throws Exception {
        Integer wordsize = wordsize(line.getOptionValue("wordsize"));
        Boolean fullVirt = line.hasOption("fullvirt") ? Boolean.TRUE : line.hasOption("paravirt") ? Boolean.FALSE : null;
        String domain = line.getOptionValue("domain");
        GuestQuery query = GuestQuery.ALL.withFullVirt(fullVirt).withFamily(line.getOptionValue("family"))
                .withWordsize(wordsize).withDomainType(domain == null ? null : domain.toLowerCase(Locale.ROOT));
        Capabilities caps = session.capabilities();
        PrintWriter out = session.out;
        if (line.hasOption("json")) {
            // the same answer the HTTP endpoint's /guests gives
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            session.documents.writeQuery(caps, query, null, bytes);
            out.print(bytes.toString(StandardCharsets.UTF_8));
            return 0;
        }
        GuestQueryResult result = query.evaluate(caps.architectures());
        out.print(table(result.matches()));
        out.printf("%d of them; facets:%n", result.matches().size());
        for (Map.Entry<String, Map<String, Integer>> facet : new TreeMap<>(result.facets()).entrySet()) {
            out.printf("  %-15s %s%n", facet.getKey(), facet.getValue());
        }
        return 0;
    }

    private Integer wordsize(String value) throws UsageException {
        if (value == null) {
            return null;
        }
        int bits;
        try {
            bits = Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            throw new UsageException(name(), "--wordsize must be 31, 32 or 64, not '" + value + "'");
        }
        if (bits != 31 && bits != 32 && bits != 64) {
            throw new UsageException(name(), "--wordsize must be 31, 32 or 64, not " + bits);
        }
        return bits;
    }

    private static String table(List<GuestArchitecture> entries) {
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
