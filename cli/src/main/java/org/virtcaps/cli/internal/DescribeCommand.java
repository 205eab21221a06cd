package org.virtcaps.cli.internal;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.virtcaps.core.api.MachineDescriptions;
import org.virtcaps.core.api.MachineDescriptions.MachineDescription;
import org.virtcaps.core.model.Capabilities;
import org.virtcaps.core.model.Guest;
import org.virtcaps.core.model.Machine;

import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Option;
import org.apache.commons.cli.Options;

/** {@code virtcaps describe MACHINE [--lang TAG] [--arch ARCH]} and {@code virtcaps describe --coverage [--lang TAG]}. */
final class DescribeCommand implements Subcommand {
    @Override
    public String name() {
        return "describe";
    }

    @Override
    public String summary() {
        return "Describe a machine type for people, in a language; or report which descriptions of this "
                + "host's machines each language covers.";
    }

    @Override
    public Options options() {
        return new Options()
                .addOption(Option.builder().longOpt("lang").hasArg().argName("TAG")
                        .desc("Language tag (fr, de, es, ja, zh-CN); default: the current locale.").get())
                .addOption(Option.builder().longOpt("arch").hasArg().argName("ARCH")
                        .desc("The arch whose machine is meant (virt is ARM on aarch64, RISC-V on riscv64).").get())
                .addOption(Option.builder().longOpt("coverage").desc("Per language: how many machine descriptions of "
                        + "this host's guests are translated, and which are not.").get());
    }

    @Override
    public String operands() {
        return "[MACHINE]";
    }

    @Override
    public void checkOperands(List<String> operands) throws UsageException {
        if (operands.size() > 1) {
            throw new UsageException(name(), "one MACHINE at a time, not " + operands.size());
        }
    }

    @Override
    public int run(Session session, CommandLine line) throws Exception {
        String machine = line.getArgList().isEmpty() ? null : line.getArgList().get(0);
        String lang = line.getOptionValue("lang");
        String arch = line.getOptionValue("arch");
        boolean coverage = line.hasOption("coverage");
        MachineDescriptions descriptions = session.descriptions();
        if (descriptions == null) {
            throw new IllegalStateException("the machine descriptions bundle (org.virtcaps.i18n) is not installed");
        }
        if (coverage == (machine != null)) {
            throw new UsageException(name(), "give a MACHINE or --coverage");
        }
        PrintWriter out = session.out;
        for (String problem : descriptions.problems()) {
            session.err.println("virtcaps: " + problem);
        }
        if (coverage) {
            coverage(session, descriptions, lang == null ? null : Session.locale(name(), lang), out);
            return 0;
        }
        Locale locale = lang == null ? null : Session.locale(name(), lang);
        MachineDescription d = descriptions.lookup(machine, arch, locale)
                .orElseThrow(() -> new IllegalStateException("no description of '" + machine + "'"
                        + (arch == null ? "" : " on " + arch)));
        out.println(d.text());
        return 0;
    }

    /** Coverage of every language, or of {@code only} when given. */
    private static void coverage(Session session, MachineDescriptions descriptions, Locale only, PrintWriter out)
            throws Exception {
        Capabilities caps = session.capabilities();
        // every machine of every guest, once per arch: the names a person picks from
        Map<String, String> machines = new LinkedHashMap<>();
        for (Guest g : caps.guests()) {
            List<Machine> all = new ArrayList<>(g.machines());
            g.domains().forEach(d -> all.addAll(d.machines()));
            for (Machine m : all) {
                machines.putIfAbsent(g.arch() + "/" + m.name(), g.arch());
            }
        }
        List<Locale> locales = new ArrayList<>();
        if (only != null) {
            locales.add(only);
        } else {
            descriptions.locales().stream().filter(l -> !l.getLanguage().equals("en")).forEach(locales::add);
        }
        List<String> undescribed = new ArrayList<>();
        for (String key : machines.keySet()) {
            String name = key.substring(key.indexOf('/') + 1);
            if (descriptions.lookup(name, machines.get(key), Locale.ENGLISH).isEmpty()) {
                undescribed.add(key);
            }
        }
        int total = machines.size() - undescribed.size();
        for (Locale locale : locales) {
            List<String> missing = new ArrayList<>();
            for (Map.Entry<String, String> e : machines.entrySet()) {
                String name = e.getKey().substring(e.getKey().indexOf('/') + 1);
                descriptions.lookup(name, e.getValue(), locale)
                        .filter(d -> !d.locale().getLanguage().equals(locale.getLanguage()))
                        .ifPresent(d -> missing.add(e.getKey() + " (" + d.text() + ")"));
            }
            int translated = total - missing.size();
            out.printf("%-6s %5d of %d machine descriptions translated (%.1f%%)%n", locale.toLanguageTag(), translated,
                    total, total == 0 ? 100.0 : 100.0 * translated / total);
            for (String m : missing) {
                out.println("       missing: " + m);
            }
        }
        if (!undescribed.isEmpty()) {
            out.println(undescribed.size() + " machines have no description in any language: "
                    + String.join(", ", undescribed));
        }
    }
}
