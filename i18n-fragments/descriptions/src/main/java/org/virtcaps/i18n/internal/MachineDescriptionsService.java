package org.virtcaps.i18n.internal;

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.virtcaps.core.api.MachineDescriptions;
import org.virtcaps.driver.qemu.Emulator;
import org.virtcaps.driver.qemu.EmulatorCatalog;
import org.virtcaps.driver.qemu.EmulatorMachine;
import org.virtcaps.driver.qemu.QemuArchitectures;

/**
 * Machine descriptions: English as the host's emulators print it ({@code -machine help}, through the QEMU
 * emulator catalog) or from the base list for machines whose emulator is absent; translations from the
 * locale fragments attached to this bundle. A fragment added or removed later reaches this component
 * through a refresh of this bundle alone (see {@link FragmentRefresher}).
 */
@Component
public class MachineDescriptionsService implements MachineDescriptions {
    static final String DIR = "descriptions";

    private final Map<String, URL> files;
    /** Read on first use: a one-shot CLI that never describes a machine should not pay for it. */
    private volatile Loaded loaded;
    private volatile EmulatorCatalog catalog;

    private record Loaded(EnglishBase base, Translations translations, List<String> problems) {
    }

    @Activate
    public MachineDescriptionsService(BundleContext context) {
        this(files(context.getBundle()));
    }

    /** The host's description files, its attached fragments' included: file name → URL. */
    static Map<String, URL> files(Bundle bundle) {
        Map<String, URL> files = new java.util.TreeMap<>();
        Enumeration<URL> entries = bundle.findEntries(DIR, "*.properties", false);
        while (entries != null && entries.hasMoreElements()) {
            URL url = entries.nextElement();
            files.putIfAbsent(url.getPath().substring(url.getPath().lastIndexOf('/') + 1), url);
        }
        return files;
    }

    /**
     * @param files {@code machines.properties} (the English base) and {@code translations_TAG.properties}
     *              (one per locale), by file name
     */
    MachineDescriptionsService(Map<String, URL> files) {
        this.files = Map.copyOf(files);
    }

    private Loaded loaded() {
        Loaded l = loaded;
        if (l == null) {
            synchronized (this) {
                l = loaded;
                if (l == null) {
                    l = load(files);
                    loaded = l;
                }
            }
        }
        return l;
    }

    private static Loaded load(Map<String, URL> files) {
        List<String> found = new ArrayList<>();
        EnglishBase base = new EnglishBase(readBase(files.get("machines.properties"), found));
        Map<Locale, Map<String, String>> byLocale = new LinkedHashMap<>();
        for (Map.Entry<String, URL> entry : files.entrySet()) {
            String name = entry.getKey();
            if (!name.startsWith("translations_")) {
                continue;
            }
            try (InputStream in = entry.getValue().openStream()) {
                TranslationFile file = TranslationFile.read(name, in);
                found.addAll(file.problems());
                if (!file.translations().isEmpty()) {
                    byLocale.put(Translations.localeOf(name), file.translations());
                }
            } catch (IOException e) {
                found.add(name + ": unreadable (" + e.getMessage() + "); ignored");
            }
        }
        return new Loaded(base, new Translations(byLocale), List.copyOf(found));
    }

    private static Map<String, String> readBase(URL url, List<String> problems) {
        if (url == null) {
            problems.add(DIR + "/machines.properties: missing; English only from the emulators");
            return Map.of();
        }
        try (InputStream in = url.openStream()) {
            TranslationFile file = TranslationFile.read("machines.properties", in);
            problems.addAll(file.problems());
            return file.translations();
        } catch (IOException e) {
            problems.add("machines.properties: unreadable (" + e.getMessage() + ")");
            return Map.of();
        }
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void setCatalog(EmulatorCatalog catalog) {
        this.catalog = catalog;
    }

    void unsetCatalog(EmulatorCatalog catalog) {
        if (this.catalog == catalog) {
            this.catalog = null;
        }
    }

    @Override
    public Optional<MachineDescription> lookup(String machine, String arch, Locale locale) {
        if (machine == null || machine.isBlank()) {
            return Optional.empty();
        }
        Optional<String> english = english(machine, arch);
        if (english.isEmpty()) {
            return Optional.empty();
        }
        Locale wanted = locale == null ? Locale.getDefault() : locale;
        return Optional.of(loaded().translations().translate(english.get(), wanted)
                .map(t -> new MachineDescription(machine, t.getValue(), t.getKey()))
                .orElse(new MachineDescription(machine, english.get(), Locale.ENGLISH)));
    }

    /** English: from an emulator on this host that has the machine, else from the base list. */
    Optional<String> english(String machine, String arch) {
        EmulatorCatalog c = catalog;
        if (c != null) {
            List<Emulator> emulators = new ArrayList<>(c.lastScan());
            emulators.sort(Comparator.comparingInt(e -> QemuArchitectures.order(arches(e).get(0))));
            for (Emulator e : emulators) {
                if ((arch == null || arches(e).contains(arch)) && has(e, machine)) {
                    String text = c.machineDescriptions(e).get(machine);
                    if (text != null) {
                        return Optional.of(text);
                    }
                }
            }
        }
        return loaded().base().describe(machine, arch);
    }

    private static List<String> arches(Emulator e) {
        List<String> arches = e.binaryTarget() == null ? List.of() : QemuArchitectures.archesOf(e.binaryTarget());
        return arches.isEmpty() ? List.of(e.targetArch()) : arches;
    }

    private static boolean has(Emulator e, String machine) {
        for (EmulatorMachine m : e.machines()) {
            if (m.name().equals(machine) || machine.equals(m.alias())) {
                return true;
            }
        }
        return false;
    }

    @Override
    public Set<Locale> locales() {
        Set<Locale> locales = new LinkedHashSet<>();
        locales.add(Locale.ENGLISH);
        locales.addAll(loaded().translations().all().keySet());
        return locales;
    }

    @Override
    public List<String> problems() {
        return loaded().problems();
    }
}
