package org.virtcaps.launcher;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.zip.CRC32C;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleException;
import org.osgi.framework.launch.Framework;

/**
 * Where a one-shot run keeps its framework. The first run with a given set of bundles (the same jar files,
 * the same kind of command) installs them into a fresh storage and, once its command is done, stops SCR so
 * that it writes its component-metadata cache ({@code ds.cache.metadata}); the storage is then moved into
 * place under {@code <cache-dir>/framework/}. Later runs with the same bundles open that storage as it is:
 * nothing is installed, no bundle manifest is read to choose, no component descriptor is parsed (a warm
 * {@code capabilities} ~55-80 ms faster here, the QEMU family's share of it halved). Bundles are started
 * transiently, so the storage never starts anything on its own.
 *
 * <p>The storage's name is a checksum of its key (every jar's path, size and mtime, the launcher's and the
 * framework's jars, the Java version and the command kind); the full key is stored inside and compared,
 * so a checksum collision only costs a fresh storage. A storage is used only when complete (its ready
 * marker is written last, and the directory appears by an atomic rename); Felix locks it while in use, and
 * a run that finds it locked (another run at the same moment) uses a throw-away storage instead. With the
 * cache disabled ({@code --no-cache}) every run uses a throw-away storage, as all runs did before.
 */
final class FrameworkStorage {
    static final String KEY_FILE = "virtcaps-storage.key";
    static final String BUNDLES_FILE = "virtcaps-storage.bundles";
    static final String READY_FILE = "virtcaps-storage.ready";
    /** Storages kept besides the one in use: enough for the usual command kinds of one build. */
    static final int KEPT = 4;
    /** A priming run that left its temporary directory this long ago has died. */
    private static final long ABANDONED_MILLIS = TimeUnit.MINUTES.toMillis(10);

    private FrameworkStorage() {
    }

    /**
     * One run's storage.
     *
     * @param dir     the framework storage directory for this run
     * @param home    where it lives once primed (null: throw-away)
     * @param key     what it was made for
     * @param bundles the bundles installed in it, when it is primed (null: they are to be chosen and
     *                installed by this run)
     */
    record Choice(Path dir, Path home, String key, List<Path> bundles) {
        boolean persistent() {
            return home != null;
        }

        boolean primed() {
            return bundles != null;
        }

        static Choice throwAway() throws IOException {
            return new Choice(Platform.scratchDirectory(), null, null, null);
        }
    }

    /**
     * @param base  the directory storages live in, or null for a throw-away storage
     * @param jars  the distribution's bundle jars (all of them: the choice among them is part of the kind)
     * @param kind  the command kind that decides the choice among the jars
     * @param extra other files the framework's behaviour depends on (the launcher and framework jars)
     */
    static Choice choose(Path base, List<Path> jars, String kind, List<Path> extra) throws IOException {
        if (base == null) {
            return Choice.throwAway();
        }
        String key = key(jars, kind, extra);
        Path home = base.resolve(name(key));
        try {
            if (ready(home, key)) {
                List<Path> bundles = new ArrayList<>();
                for (String line : Files.readAllLines(home.resolve(BUNDLES_FILE), StandardCharsets.UTF_8)) {
                    if (!line.isEmpty()) {
                        bundles.add(Path.of(line));
                    }
                }
                return new Choice(home, home, key, List.copyOf(bundles));
            }
        } catch (NoSuchFileException e) {
            // not there (or half there): primed afresh below
        }
        Files.createDirectories(base);
        Path fresh = base.resolve(name(key) + "." + Long.toHexString(System.nanoTime()) + ".tmp");
        Files.createDirectory(fresh);
        Files.writeString(fresh.resolve(KEY_FILE), key, StandardCharsets.UTF_8);
        return new Choice(fresh, home, key, null);
    }

    /**
     * After a priming run's command: SCR stores its metadata as it stops, then the storage is marked ready
     * and moved into place. A failure leaves no usable storage behind, only a run that primes again.
     */
    static void finishPriming(Choice choice, Framework framework, List<Path> installed) {
        if (!choice.persistent() || choice.primed()) {
            return;
        }
        try {
            for (Bundle bundle : framework.getBundleContext().getBundles()) {
                if ("org.apache.felix.scr".equals(bundle.getSymbolicName())) {
                    bundle.stop(Bundle.STOP_TRANSIENT);
                }
            }
            StringBuilder list = new StringBuilder();
            for (Path jar : installed) {
                list.append(jar.toAbsolutePath()).append('\n');
            }
            Files.writeString(choice.dir().resolve(BUNDLES_FILE), list, StandardCharsets.UTF_8);
            Files.createFile(choice.dir().resolve(READY_FILE));
            if (ready(choice.home(), choice.key())) {
                // a run alongside primed the same storage first, and others may be using it: keep it
                Platform.deleteQuietly(choice.dir());
                return;
            }
            Platform.deleteQuietly(choice.home()); // an incomplete or damaged one under the same name
            try {
                Files.move(choice.dir(), choice.home(), StandardCopyOption.ATOMIC_MOVE);
            } catch (FileAlreadyExistsException | java.nio.file.DirectoryNotEmptyException
                    | AtomicMoveNotSupportedException e) {
                // a run alongside primed it first (its storage serves), or no atomic rename here (none kept)
                Platform.deleteQuietly(choice.dir());
            }
            prune(choice.home().getParent(), choice.home());
        } catch (BundleException | IOException | RuntimeException e) {
            Platform.deleteQuietly(choice.dir());
        }
    }

    private static boolean ready(Path storage, String key) {
        try {
            return Files.exists(storage.resolve(READY_FILE))
                    && key.equals(Files.readString(storage.resolve(KEY_FILE), StandardCharsets.UTF_8));
        } catch (IOException e) {
            return false;
        }
    }

    /** Keeps the {@link #KEPT} most recently primed storages besides {@code current}; drops abandoned ones. */
    static void prune(Path base, Path current) {
        List<Path> ready = new ArrayList<>();
        long now = System.currentTimeMillis();
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(base)) {
            for (Path entry : entries) {
                if (entry.equals(current)) {
                    continue;
                }
                if (entry.getFileName().toString().endsWith(".tmp")) {
                    if (now - Files.getLastModifiedTime(entry).toMillis() > ABANDONED_MILLIS) {
                        Platform.deleteQuietly(entry);
                    }
                } else if (Files.exists(entry.resolve(READY_FILE))) {
                    ready.add(entry);
                } else {
                    Platform.deleteQuietly(entry);
                }
            }
        } catch (IOException e) {
            return; // a storage too many costs disk space, not correctness
        }
        ready.sort(Comparator.comparing(FrameworkStorage::primedAt).reversed());
        for (Path stale : ready.subList(Math.min(KEPT, ready.size()), ready.size())) {
            Platform.deleteQuietly(stale);
        }
    }

    private static FileTime primedAt(Path storage) {
        try {
            return Files.getLastModifiedTime(storage.resolve(READY_FILE));
        } catch (IOException e) {
            return FileTime.fromMillis(0);
        }
    }

    /** Everything a storage's content depends on, one item per line. */
    static String key(List<Path> jars, String kind, List<Path> extra) throws IOException {
        StringBuilder key = new StringBuilder("virtcaps framework storage 1\nkind ").append(kind)
                .append("\njava ").append(Runtime.version()).append('\n');
        for (Path file : extra) {
            identity(key, file);
        }
        for (Path jar : jars) {
            identity(key, jar);
        }
        return key.toString();
    }

    private static void identity(StringBuilder key, Path file) throws IOException {
        Path absolute = file.toAbsolutePath();
        BasicFileAttributes attributes = Files.readAttributes(absolute, BasicFileAttributes.class);
        key.append(absolute).append(' ').append(attributes.size()).append(' ')
                .append(attributes.lastModifiedTime().toMillis()).append('\n');
    }

    private static String name(String key) {
        CRC32C crc = new CRC32C();
        crc.update(key.getBytes(StandardCharsets.UTF_8));
        String hex = Long.toHexString(crc.getValue());
        return "00000000".substring(hex.length()) + hex;
    }
}
