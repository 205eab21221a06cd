package org.virtcaps.i18n.internal;

import java.util.Locale;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.virtcaps.core.api.MachineDescriptions;

/** Gogo: {@code virtcaps:describe MACHINE [LANG]} and {@code virtcaps:languages}, printed to the session. */
@Component(service = DescribeCommand.class, property = { "osgi.command.scope=virtcaps",
        "osgi.command.function=describe", "osgi.command.function=languages" })
public class DescribeCommand {
    private final MachineDescriptions descriptions;

    @Activate
    public DescribeCommand(@Reference MachineDescriptions descriptions) {
        this.descriptions = descriptions;
    }

    public void describe(String machine) {
        describe(machine, null);
    }

    public void describe(String machine, String language) {
        Locale locale = language == null ? null : Locale.forLanguageTag(language);
        System.out.println(descriptions.lookup(machine, null, locale)
                .map(d -> d.text() + " [" + d.locale().toLanguageTag() + "]")
                .orElse("no description of '" + machine + "'"));
    }

    public void languages() {
        System.out.print(languagesText());
    }

    String languagesText() {
        StringBuilder sb = new StringBuilder();
        descriptions.locales().forEach(l -> sb.append(l.toLanguageTag()).append(' ').append(l.getDisplayName(l))
                .append('\n'));
        descriptions.problems().forEach(p -> sb.append("problem: ").append(p).append('\n'));
        return sb.toString();
    }
}
