package org.virtcaps.cli.internal;

import java.util.Locale;

import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Option;
import org.apache.commons.cli.Options;
import org.virtcaps.core.api.DocumentFormat;
import org.virtcaps.core.model.Capabilities;

/** {@code virtcaps capabilities [--format libvirt|seed|json] [--lang TAG]}. */
final class CapabilitiesCommand implements Subcommand {
    @Override
    public String name() {
        return "capabilities";
    }

    @Override
    public String summary() {
        return "Print the capabilities document.";
    }

    @Override
    public Options options() {
        return new Options()
                .addOption(Option.builder("f").longOpt("format").hasArg().argName("FORMAT")
                        .desc("libvirt (default), seed or json.").get())
                .addOption(Option.builder().longOpt("lang").hasArg().argName("TAG")
                        .desc("JSON only: describe every machine in this language (fr, de, es, ja, zh-CN, ...).").get());
    }

    @Override
    public int run(Session session, CommandLine line) throws Exception {
        DocumentFormat format;
        try {
            format = DocumentFormat.parse(line.getOptionValue("format", "libvirt"));
        } catch (IllegalArgumentException e) {
            throw new UsageException(name(), e.getMessage());
        }
        String lang = line.getOptionValue("lang");
        if (lang != null && format != DocumentFormat.JSON) {
            throw new UsageException(name(), "--lang needs --format json");
        }
        Locale locale = lang == null ? null : Session.locale(name(), lang);
        if (session.remote() != null) {
            // the remote host's document as it writes it (descriptions included): one request, no re-writing
            session.out.print(session.remote().document(format, locale));
        } else {
            Capabilities caps = session.capabilities();
            session.out.print(locale == null ? session.documents.format(caps, format)
                    : session.documents.format(caps, format, locale));
        }
        return 0;
    }
}
