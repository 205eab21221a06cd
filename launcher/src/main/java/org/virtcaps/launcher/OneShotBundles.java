package org.virtcaps.launcher;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.jar.Attributes;
import java.util.jar.JarFile;

import org.osgi.framework.Constants;

/**
 * Which of the distribution's bundles a one-shot command starts, decided from the command line and each
 * bundle's manifest (the services it provides, as DS declares them in {@code Provide-Capability}):
 * <ul>
 * <li>with {@code --connect} the remote host probes and describes, so bundles providing hypervisor drivers
 * or machine descriptions stay out;</li>
 * <li>without {@code describe} or {@code --lang} nothing asks for machine descriptions, so the bundles
 * providing them and their language fragments stay out (~25 ms of a one-shot start, measured).</li>
 * </ul>
 * Everything else is always installed, and what is installed still resolves by its own metadata. The
 * long-lived container installs everything.
 */
final class OneShotBundles {
    private static final String DRIVER_SERVICE = "org.virtcaps.core.spi.HypervisorDriver";
    private static final String DESCRIPTIONS_SERVICE = "org.virtcaps.core.api.MachineDescriptions";

    private OneShotBundles() {
    }

    /** The bundle's identity and what it offers, from its manifest. */
    record Offer(Path jar, String symbolicName, String fragmentHost, boolean driver, boolean descriptions) {
        static Offer of(Path jar) {
            try {
                java.util.jar.Manifest manifest = manifest(jar);
                Attributes main = manifest == null ? new Attributes() : manifest.getMainAttributes();
                String provided = main.getValue(Constants.PROVIDE_CAPABILITY);
                return new Offer(jar, name(main.getValue(Constants.BUNDLE_SYMBOLICNAME)),
                        name(main.getValue(Constants.FRAGMENT_HOST)),
                        provided != null && provided.contains(DRIVER_SERVICE),
                        provided != null && provided.contains(DESCRIPTIONS_SERVICE));
            } catch (IOException e) {
                // unreadable: install it and let the framework say what is wrong
                return new Offer(jar, null, null, false, false);
            }
        }

        /**
         * The manifest, read from the front of the jar: jar tools (bnd among them) write it first, so this
         * reads a few hundred bytes instead of the central directory of every entry (thousands in the JAXB
         * bundle) as opening a JarFile does; a jar with its manifest elsewhere is opened the usual way.
         */
        private static java.util.jar.Manifest manifest(Path jar) throws IOException {
            try (java.util.jar.JarInputStream in = new java.util.jar.JarInputStream(
                    new java.io.BufferedInputStream(java.nio.file.Files.newInputStream(jar), 8192), false)) {
                if (in.getManifest() != null) {
                    return in.getManifest();
                }
            }
            try (JarFile file = new JarFile(jar.toFile())) {
                return file.getManifest();
            }
        }

        /** A header's first clause without its attributes and directives. */
        private static String name(String header) {
            if (header == null) {
                return null;
            }
            int semicolon = header.indexOf(';');
            return (semicolon < 0 ? header : header.substring(0, semicolon)).trim();
        }
    }

    private static final String REMOTE = "remote";
    private static final String DESCRIBES = "local+descriptions";

    /**
     * What decides the choice besides the jars ({@code remote}, {@code local+descriptions} or {@code local}):
     * a one-shot storage made for one kind serves only that kind.
     */
    static String kind(String[] args) {
        if (HostOptions.given(args, "--connect")) {
            return REMOTE;
        }
        return HostOptions.given(args, "--lang") || List.of(args).contains("describe") ? DESCRIBES : "local";
    }

    static List<Path> select(List<Path> jars, String[] args) {
        String kind = kind(args);
        boolean remote = kind.equals(REMOTE);
        boolean describes = kind.equals(DESCRIBES);
        List<Offer> offers = new ArrayList<>();
        for (Path jar : jars) {
            offers.add(Offer.of(jar));
        }
        Set<String> leftOut = new HashSet<>();
        for (Offer offer : offers) {
            if ((remote && offer.driver()) || (!describes && offer.descriptions())) {
                leftOut.add(offer.symbolicName());
            }
        }
        List<Path> chosen = new ArrayList<>();
        for (Offer offer : offers) {
            // a fragment leaves with its host
            if (!leftOut.contains(offer.symbolicName()) && !leftOut.contains(offer.fragmentHost())) {
                chosen.add(offer.jar());
            }
        }
        return chosen;
    }
}
