package org.virtcaps.http.internal;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * A request's query parameters, bounded: the query string's length, the names a route knows, one value
 * each, a short value. Anything else is a 4xx with the reason, before a route does any work.
 */
final class Parameters {
    static final int MAX_QUERY_LENGTH = 2048;
    static final int MAX_VALUE_LENGTH = 128;
    /** Accepted on every route: the token, for clients that cannot send headers (checked by the context). */
    static final String ACCESS_TOKEN = "access_token";

    private final Map<String, String> values;

    private Parameters(Map<String, String> values) {
        this.values = values;
    }

    static Parameters of(HttpServletRequest request, Set<String> known) throws HttpProblem {
        String query = request.getQueryString();
        if (query != null && query.length() > MAX_QUERY_LENGTH) {
            throw new HttpProblem(414, "query string longer than " + MAX_QUERY_LENGTH + " characters");
        }
        Map<String, String[]> raw;
        try {
            raw = request.getParameterMap();
        } catch (RuntimeException e) {
            throw new HttpProblem(HttpServletResponse.SC_BAD_REQUEST, "malformed query string");
        }
        Map<String, String> values = new HashMap<>();
        for (Map.Entry<String, String[]> e : raw.entrySet()) {
            String name = e.getKey();
            if (name.equals(ACCESS_TOKEN)) {
                continue;
            }
            if (!known.contains(name)) {
                throw new HttpProblem(HttpServletResponse.SC_BAD_REQUEST, "unknown parameter '" + shorten(name)
                        + "'" + (known.isEmpty() ? " (this route takes none)" : " (known: " + String.join(", ", new java.util.TreeSet<>(known)) + ")"));
            }
            if (e.getValue().length != 1) {
                throw new HttpProblem(HttpServletResponse.SC_BAD_REQUEST, "parameter '" + name + "' given more than once");
            }
            String value = e.getValue()[0];
            if (value.length() > MAX_VALUE_LENGTH) {
                throw new HttpProblem(HttpServletResponse.SC_BAD_REQUEST,
                        "parameter '" + name + "' longer than " + MAX_VALUE_LENGTH + " characters");
            }
            values.put(name, value);
        }
        return new Parameters(values);
    }

    String get(String name) {
        String v = values.get(name);
        return v == null || v.isEmpty() ? null : v;
    }

    Boolean bool(String name) throws HttpProblem {
        String v = get(name);
        if (v == null) {
            return null;
        }
        return switch (v.toLowerCase(Locale.ROOT)) {
            case "true", "yes", "1" -> Boolean.TRUE;
            case "false", "no", "0" -> Boolean.FALSE;
            default -> throw new HttpProblem(HttpServletResponse.SC_BAD_REQUEST,
                    name + " must be true or false, not '" + shorten(v) + "'");
        };
    }

    Integer integer(String name, int min, int max) throws HttpProblem {
        String v = get(name);
        if (v == null) {
            return null;
        }
        try {
            int n = Integer.parseInt(v);
            if (n >= min && n <= max) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new HttpProblem(HttpServletResponse.SC_BAD_REQUEST,
                name + " must be a number from " + min + " to " + max + ", not '" + shorten(v) + "'");
    }

    /** A name-like value (arch, family, domain type, machine): letters, digits and . _ + - only. */
    String token(String name) throws HttpProblem {
        String v = get(name);
        if (v != null) {
            requireToken(name, v);
        }
        return v;
    }

    static void requireToken(String what, String value) throws HttpProblem {
        if (value.length() > 64 || !value.matches("[A-Za-z0-9._+-]+")) {
            throw new HttpProblem(HttpServletResponse.SC_BAD_REQUEST,
                    what + " '" + shorten(value) + "' is not a valid name");
        }
    }

    /** A language tag (fr, zh-CN), or null when not given. */
    Locale locale(String name) throws HttpProblem {
        String v = get(name);
        if (v == null) {
            return null;
        }
        Locale locale = Locale.forLanguageTag(v);
        if (locale.getLanguage().isEmpty() || !v.matches("[A-Za-z0-9-]{1,35}")) {
            throw new HttpProblem(HttpServletResponse.SC_BAD_REQUEST, name + " '" + shorten(v) + "' is not a language tag");
        }
        return locale;
    }

    /**
     * Decodes a query component (percent-encoding, {@code +} as space) strictly: null when a {@code %} is
     * not followed by two hex digits or the bytes are not UTF-8, instead of an exception
     * ({@code URLDecoder} throws on the first and guesses on the second).
     */
    static String decode(String component) {
        byte[] bytes = new byte[component.length()];
        int n = 0;
        for (int i = 0; i < component.length(); i++) {
            char c = component.charAt(i);
            if (c == '%') {
                if (i + 2 >= component.length()) {
                    return null;
                }
                int hi = Character.digit(component.charAt(i + 1), 16);
                int lo = Character.digit(component.charAt(i + 2), 16);
                if (hi < 0 || lo < 0) {
                    return null;
                }
                bytes[n++] = (byte) (hi << 4 | lo);
                i += 2;
            } else if (c == '+') {
                bytes[n++] = ' ';
            } else if (c < 0x80) {
                bytes[n++] = (byte) c;
            } else {
                return null; // a raw query string is ASCII; anything else is not a client we understand
            }
        }
        try {
            return java.nio.charset.StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(java.nio.charset.CodingErrorAction.REPORT)
                    .onUnmappableCharacter(java.nio.charset.CodingErrorAction.REPORT)
                    .decode(java.nio.ByteBuffer.wrap(bytes, 0, n)).toString();
        } catch (java.nio.charset.CharacterCodingException e) {
            return null;
        }
    }

    static String shorten(String s) {
        String printable = s.replaceAll("[^\\x20-\\x7e]", "?");
        return printable.length() > 40 ? printable.substring(0, 37) + "..." : printable;
    }
}
