package org.virtcaps.remote.internal;

import java.io.IOException;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.virtcaps.core.api.MachineDescriptions;
import org.virtcaps.remote.internal.EndpointClient.EndpointException;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.jr.ob.JSON;

/** A remote host's machine descriptions, asked of its {@code /machines} route. */
final class RemoteDescriptions implements MachineDescriptions {
    private final EndpointClient client;
    /** The answers are small and flat: what a hostile host could nest or inflate is refused early. */
    private final JSON json = JSON.builder(JsonFactory.builder().streamReadConstraints(StreamReadConstraints
            .builder().maxNestingDepth(16).maxNumberLength(40).maxStringLength(1 << 20).build()).build()).build();
    private volatile Map<String, Object> index;

    RemoteDescriptions(EndpointClient client) {
        this.client = client;
    }

    @Override
    public Optional<MachineDescription> lookup(String machine, String arch, Locale locale) {
        Locale wanted = locale == null ? Locale.getDefault() : locale;
        String path = "machines/" + EndpointClient.encode(machine) + "?lang=" + EndpointClient.encode(wanted.toLanguageTag())
                + (arch == null ? "" : "&arch=" + EndpointClient.encode(arch));
        try {
            Map<String, Object> answer = json(client.get(path, null).body());
            return Optional.of(new MachineDescription(String.valueOf(answer.get("machine")),
                    String.valueOf(answer.get("description")), Locale.forLanguageTag(String.valueOf(answer.get("locale")))));
        } catch (EndpointException e) {
            if (e.status() == 404) {
                return Optional.empty();
            }
            throw new IllegalStateException(e.getMessage());
        }
    }

    @Override
    public Set<Locale> locales() {
        Set<Locale> locales = new java.util.LinkedHashSet<>();
        for (Object tag : list("locales")) {
            locales.add(Locale.forLanguageTag(String.valueOf(tag)));
        }
        return locales;
    }

    @Override
    public List<String> problems() {
        return list("problems").stream().map(String::valueOf).toList();
    }

    private List<?> list(String name) {
        Map<String, Object> known = index;
        if (known == null) {
            try {
                known = json(client.get("machines", null).body());
            } catch (EndpointException e) {
                throw new IllegalStateException(e.getMessage());
            }
            index = known;
        }
        return known.get(name) instanceof List<?> l ? l : List.of();
    }

    private Map<String, Object> json(byte[] body) {
        try {
            return json.mapFrom(body);
        } catch (IOException e) {
            throw new IllegalStateException("the endpoint's answer is not JSON: " + e.getMessage());
        }
    }

}
