package org.virtcaps.i18n.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.virtcaps.core.api.MachineDescriptions.MachineDescription;

/** Lookup, fallback and the coverage of the shipped locales, from the files the bundles ship. */
class MachineDescriptionsTest {
    @TempDir
    Path dir;

    /** The host's base list and every locale fragment on the test class path. */
    static Map<String, URL> shipped() throws Exception {
        Map<String, URL> files = new TreeMap<>();
        Enumeration<URL> urls = MachineDescriptionsTest.class.getClassLoader().getResources("descriptions");
        while (urls.hasMoreElements()) {
            URL dir = urls.nextElement();
            for (String name : List.of("machines.properties", "translations_fr.properties", "translations_de.properties",
                    "translations_es.properties", "translations_ja.properties", "translations_zh_CN.properties")) {
                URL url = new URL(dir, "descriptions/" + name);
                URL direct = new URL(dir.toString() + "/" + name);
                for (URL candidate : List.of(direct, url)) {
                    try (var in = candidate.openStream()) {
                        files.putIfAbsent(name, candidate);
                    } catch (java.io.IOException e) {
                        // not in this class path entry
                    }
                }
            }
        }
        return files;
    }

    private static MachineDescriptionsService service() throws Exception {
        return new MachineDescriptionsService(shipped());
    }

    @Test
    void lookupFollowsLocaleThenLanguageThenEnglish() throws Exception {
        MachineDescriptionsService s = service();
        assertEquals(List.of(), s.problems());
        assertEquals("PC standard (i440FX + PIIX, 1996)", s.describe("pc-i440fx-7.2", Locale.FRENCH).orElseThrow());
        assertEquals("PC standard (i440FX + PIIX, 1996)", s.describe("pc-i440fx-2.0", Locale.CANADA_FRENCH).orElseThrow(),
                "fr_CA falls back to fr; every pc-i440fx-* shares one translation");
        assertEquals("标准 PC（i440FX + PIIX，1996 年）", s.describe("pc-i440fx-7.2", Locale.SIMPLIFIED_CHINESE).orElseThrow());
        MachineDescription tw = s.lookup("pc-i440fx-7.2", null, Locale.TRADITIONAL_CHINESE).orElseThrow();
        assertEquals(Locale.ENGLISH, tw.locale(), "zh_TW: no zh_TW, no zh → English");
        assertEquals("Standard PC (i440FX + PIIX, 1996)", tw.text());
        assertEquals("Machine virtuelle s390x (version 7.1)",
                s.describe("s390-ccw-virtio-7.1", Locale.FRENCH).orElseThrow(), "a family keeps its version");
        assertEquals("Virtuelle ARM-Maschine von QEMU 2.12",
                s.lookup("virt-2.12", "aarch64", Locale.GERMAN).orElseThrow().text());
        assertEquals("Carte RISC-V VirtIO", s.lookup("virt", "riscv64", Locale.FRENCH).orElseThrow().text(),
                "one name, different boards per arch");
        assertTrue(s.describe("no-such-machine", Locale.FRENCH).isEmpty(), "no description is an empty answer");
        assertEquals(6, s.locales().size());
    }

    /**
     * Every English description Debian 12's QEMU 7.2 prints (the base list) has a translation in every
     * shipped locale: a missing one fails here.
     */
    @ParameterizedTest
    @ValueSource(strings = { "fr", "de", "es", "ja", "zh-CN" })
    void shippedLocalesCoverEveryDescription(String tag) throws Exception {
        Map<String, URL> files = shipped();
        Properties base = new Properties();
        try (var in = files.get("machines.properties").openStream()) {
            base.load(new java.io.InputStreamReader(in, StandardCharsets.UTF_8));
        }
        MachineDescriptionsService s = new MachineDescriptionsService(files);
        Locale locale = Locale.forLanguageTag(tag);
        List<String> missing = new ArrayList<>();
        for (String key : base.stringPropertyNames()) {
            String machine = key.contains("@") ? key.substring(0, key.indexOf('@')) : key;
            String arch = key.contains("@") ? key.substring(key.indexOf('@') + 1) : null;
            String name = machine.endsWith("-*") ? machine.replace("*", "7.2") : machine;
            MachineDescription d = s.lookup(name, arch, locale).orElseThrow(() -> new AssertionError(key));
            if (!d.locale().getLanguage().equals(locale.getLanguage())) {
                missing.add(key + " (" + d.text() + ")");
            }
        }
        assertEquals(List.of(), missing, tag + " lacks translations");
    }

    @Test
    void malformedFilesAreReportedAndIgnored() throws Exception {
        Map<String, URL> files = new TreeMap<>(shipped());
        Path badEscape = Files.writeString(dir.resolve("translations_it.properties"), "Standard\\ PC = PC \\uZZZZ\n");
        Path latin1 = Files.write(dir.resolve("translations_pt.properties"),
                "ISA-only\\ PC = PC apenas ISA, edi\u00e7\u00e3o\n".getBytes(StandardCharsets.ISO_8859_1));
        Path empty = Files.writeString(dir.resolve("translations_nl.properties"), "# nothing\n");
        files.put("translations_it.properties", badEscape.toUri().toURL());
        files.put("translations_pt.properties", latin1.toUri().toURL());
        files.put("translations_nl.properties", empty.toUri().toURL());
        MachineDescriptionsService s = new MachineDescriptionsService(files);
        assertEquals(3, s.problems().size(), s.problems().toString());
        assertTrue(s.problems().stream().anyMatch(p -> p.contains("malformed escape")));
        assertTrue(s.problems().stream().anyMatch(p -> p.contains("not valid UTF-8")));
        assertTrue(s.problems().stream().anyMatch(p -> p.contains("holds no translations")));
        assertEquals(6, s.locales().size(), "the broken ones add no language; the good ones stay");
        assertEquals("PC standard (i440FX + PIIX, 1996)", s.describe("pc-i440fx-7.2", Locale.FRENCH).orElseThrow());
    }

    @Test
    void translationFileReadsUtf8Properties() throws Exception {
        TranslationFile f = TranslationFile.read("translations_fr.properties",
                new ByteArrayInputStream("A\\ B = d\u00e9j\u00e0\n".getBytes(StandardCharsets.UTF_8)));
        assertEquals(Map.of("A B", "d\u00e9j\u00e0"), f.translations());
    }
}
