package org.virtcaps.remote.internal;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Endpoint URLs as users give them: {@code http://host:port[/path][?token=T]}. */
final class Endpoints {
    private Endpoints() {
    }

    /** The URL and the token it carried (null when none). */
    record Parsed(URI base, String token) {
    }

    static Parsed parse(URI url) {
        String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(java.util.Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https") || url.getHost() == null) {
            throw new IllegalArgumentException("'" + url + "' is not an http:// or https:// URL with a host");
        }
        String token = null;
        List<String> rest = new ArrayList<>();
        if (url.getRawQuery() != null) {
            for (String pair : url.getRawQuery().split("&")) {
                if (pair.startsWith("token=") || pair.startsWith("access_token=")) {
                    token = URLDecoder.decode(pair.substring(pair.indexOf('=') + 1), StandardCharsets.UTF_8);
                } else if (!pair.isEmpty()) {
                    rest.add(pair);
                }
            }
        }
        if (!rest.isEmpty()) {
            throw new IllegalArgumentException("unknown parameter in '" + withoutQuery(url) + "': " + String.join("&", rest)
                    + " (only token= is understood)");
        }
        String path = url.getRawPath() == null || url.getRawPath().isEmpty() ? "/" : url.getRawPath();
        // relative routes resolve under the endpoint's path only when it ends with a slash
        if (!path.endsWith("/")) {
            path = path + "/";
        }
        try {
            return new Parsed(new URI(scheme + "://" + url.getRawAuthority() + path), token);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("'" + withoutQuery(url) + "' is not a valid URL: " + e.getMessage());
        }
    }

    private static String withoutQuery(URI url) {
        String s = url.toString();
        int q = s.indexOf('?');
        return q < 0 ? s : s.substring(0, q);
    }
}
