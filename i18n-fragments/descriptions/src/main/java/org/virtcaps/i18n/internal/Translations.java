package org.virtcaps.i18n.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Translations by locale, and the lookup chain: the locale itself (zh_CN), then its language (zh); an
 * English text is matched exactly first, then as a family with its version numbers generalized.
 */
final class Translations {
    static final String VERSION = "{version}";
    private static final Pattern VERSION_NUMBER = Pattern.compile("\\d+\\.\\d+(\\.\\d+)?");

    private final Map<Locale, Map<String, String>> byLocale;

    Translations(Map<Locale, Map<String, String>> byLocale) {
        this.byLocale = new LinkedHashMap<>(byLocale);
    }

    Map<Locale, Map<String, String>> all() {
        return byLocale;
    }

    /** Locale tags of file names: translations_fr.properties → fr, translations_zh_CN → zh-CN. */
    static Locale localeOf(String fileName) {
        String tag = fileName.replaceFirst("^translations_", "").replaceFirst("\\.properties$", "");
        return Locale.forLanguageTag(tag.replace('_', '-'));
    }

    /** The translation of an English text and the locale it is in, following the chain. */
    Optional<Map.Entry<Locale, String>> translate(String english, Locale locale) {
        for (Locale candidate : chain(locale)) {
            Map<String, String> table = byLocale.get(candidate);
            if (table == null) {
                continue;
            }
            String exact = table.get(english);
            if (exact != null) {
                return Optional.of(Map.entry(candidate, exact));
            }
            Matcher m = VERSION_NUMBER.matcher(english);
            if (m.find()) {
                String family = table.get(english.substring(0, m.start()) + VERSION + english.substring(m.end()));
                if (family != null) {
                    return Optional.of(Map.entry(candidate, family.replace(VERSION, m.group())));
                }
            }
        }
        return Optional.empty();
    }

    static List<Locale> chain(Locale locale) {
        List<Locale> chain = new ArrayList<>();
        if (!locale.getCountry().isEmpty()) {
            chain.add(new Locale(locale.getLanguage(), locale.getCountry()));
        }
        chain.add(new Locale(locale.getLanguage()));
        return chain;
    }
}
