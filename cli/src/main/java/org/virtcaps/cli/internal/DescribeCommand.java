package org.virtcaps.cli.internal;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

import org.virtcaps.core.api.MachineDescriptions;
import org.virtcaps.core.api.MachineDescriptions.MachineDescription;
import org.virtcaps.core.model.Capabilities;
import org.virtcaps.core.model.Guest;
import org.virtcaps.core.model.Machine;

import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code virtcaps describe MACHINE [--lang TAG]} and {@code virtcaps describe --coverage [--lang TAG]}. */
@Command(name = "describe", mixinStandardHelpOptions = true,
        description = "Describe a machine type for people, in a language; or report which descriptions of this "
                + "host's machines each language covers.")
final class DescribeCommand implements Callable<Integer> {
    @ParentCommand
    VirtcapsCommand parent;
    @Spec
    CommandSpec spec;

    @Parameters(arity = "0..1", paramLabel = "MACHINE", description = "Machine type, canonical name or alias (pc, q35, virt-7.2).")
    String machine;

    @Option(names = "--lang", paramLabel = "TAG", description = "Language tag (fr, de, es, ja, zh-CN); default: the current locale.")
    String lang;

    @Option(names = "--arch", paramLabel = "ARCH", description = "The arch whose machine is meant (virt is ARM on aarch64, RISC-V on riscv64).")
    String arch;

    @Option(names = "--coverage", description = "Per language: how many machine descriptions of this host's guests are translated, and which are not.")
    boolean coverage;

    static Locale locale(CommandSpec spec, String tag) {
        Locale locale = Locale.forLanguageTag(tag);
        if (locale.getLanguage().isEmpty()) {
            throw new ParameterException(spec.commandLine(), "'" + tag + "' is not a language tag (fr, de, zh-CN, ...)");
        }
        return locale;
    }

    @Override
    public Integer call() throws Exception {
        MachineDescriptions descriptions = parent.descriptions();
        if (descriptions == null) {
            throw new IllegalStateException("the machine descriptions bundle (org.virtcaps.i18n) is not installed");
        }
        if (coverage == (machine != null)) {
            throw new ParameterException(spec.commandLine(), "give a MACHINE or --coverage");
        }
        PrintWriter out = spec.commandLine().getOut();
        for (String problem : descriptions.problems()) {
            spec.commandLine().getErr().println("virtcaps: " + problem);
        }
        if (coverage) {
            coverage(descriptions, out);
            return 0;
        }
        Locale locale = lang == null ? null : locale(spec, lang);
        MachineDescription d = descriptions.lookup(machine, arch, locale)
                .orElseThrow(() -> new IllegalStateException("no description of '" + machine + "'"
                        + (arch == null ? "" : " on " + arch)));
        out.println(d.text());
        out.flush();
        return 0;
    }

    private void coverage(MachineDescriptions descriptions, PrintWriter out) throws Exception {
        Capabilities caps = parent.capabilities();
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
        if (lang != null) {
            locales.add(locale(spec, lang));
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
        out.flush();
    }
}
