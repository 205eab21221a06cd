package org.virtcaps.i18n.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * One locale's translations: a UTF-8 properties file whose keys are the English descriptions (spaces
 * escaped, as properties keys need) and whose values are the translations. A key may stand for a family:
 * {@code {version}} in it matches any version number, and the translation repeats it. A file that is not
 * valid UTF-8, has a malformed escape or holds nothing is reported and ignored.
 */
record TranslationFile(String name, Map<String, String> translations, List<String> problems) {

    static TranslationFile read(String name, InputStream in) throws IOException {
        byte[] bytes = in.readAllBytes();
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            return broken(name, "not valid UTF-8 (" + e.getMessage() + ")");
        }
        Properties properties = new Properties();
        try {
            properties.load(new StringReader(text));
        } catch (IllegalArgumentException e) {
            return broken(name, "malformed escape: " + e.getMessage());
        }
        if (properties.isEmpty()) {
            return broken(name, "holds no translations");
        }
        Map<String, String> map = new LinkedHashMap<>();
        for (String key : properties.stringPropertyNames()) {
            String value = properties.getProperty(key).trim();
            if (!value.isEmpty()) {
                map.put(key.trim(), value);
            }
        }
        return new TranslationFile(name, Collections.unmodifiableMap(map), List.of());
    }

    private static TranslationFile broken(String name, String problem) {
        return new TranslationFile(name, Map.of(), List.of(name + ": " + problem + "; ignored"));
    }
}
