package org.virtcaps.driver.qemu.internal;

import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.virtcaps.core.api.CapabilitiesService;
import org.virtcaps.driver.qemu.EmulatorCatalog;

/**
 * The optional watch of the emulator search directories ({@code watchSearchDirs} in
 * {@code org.virtcaps.driver.qemu}): when a {@code qemu*} or {@code kvm} file appears, changes or goes
 * (a package installed, upgraded or removed), the capabilities are refreshed once things are quiet again,
 * which re-probes what changed and, if the document changed, tells every listener (a change event). Only
 * with a configuration that turns it on: a one-shot run never starts it.
 *
 * <p>The directories watched are those the catalog's last scan searched, re-read after each refresh and
 * every few seconds while idle (so a changed PATH or root is followed).
 */
@Component(configurationPid = "org.virtcaps.driver.qemu", configurationPolicy = ConfigurationPolicy.REQUIRE,
        immediate = true, service = {})
public class SearchDirectoryWatch {
    private static final long RESYNC_MILLIS = 5000;

    private final Supplier<List<Path>> directories;
    private final Runnable refresh;
    private final long quietMillis;
    private final WatchService watcher;
    private final Map<Path, WatchKey> watched = new HashMap<>();
    private final Thread thread;
    private volatile Set<String> lastChange = Set.of();
    private volatile int refreshes;

    @Activate
    public SearchDirectoryWatch(@Reference EmulatorCatalog catalog,
            @Reference(target = "(" + CapabilitiesService.HOST_PROPERTY + "=localhost)") CapabilitiesService capabilities,
            QemuConfig config, Map<String, Object> properties) throws IOException {
        this(directoriesOf(catalog), QemuSettings.read(config, properties), capabilities);
    }

    /** A bad value is reported by the catalog, which reads the same PID; here it only gives way to the default. */
    private SearchDirectoryWatch(Supplier<List<Path>> directories, QemuSettings settings,
            CapabilitiesService capabilities) throws IOException {
        this(directories, settings.watchSearchDirs() ? refreshOf(capabilities) : null, settings.watchQuietMillis());
    }

    private static Supplier<List<Path>> directoriesOf(EmulatorCatalog catalog) {
        if (catalog instanceof QemuEmulatorCatalog ours) {
            return ours::searchDirectories;
        }
        return List::of;
    }

    private static Runnable refreshOf(CapabilitiesService capabilities) {
        return capabilities::refresh;
    }

    /**
     * @param refresh what to do after a change; null: the watch is configured off and does nothing
     */
    SearchDirectoryWatch(Supplier<List<Path>> directories, Runnable refresh, long quietMillis) throws IOException {
        this.directories = directories;
        this.refresh = refresh;
        this.quietMillis = Math.max(0, quietMillis);
        if (refresh == null) {
            watcher = null;
            thread = null;
            return;
        }
        watcher = FileSystems.getDefault().newWatchService();
        thread = new Thread(this::watch, "virtcaps-qemu-watch");
        thread.setDaemon(true);
        thread.start();
    }

    @Deactivate
    public void deactivate() throws IOException, InterruptedException {
        if (watcher != null) {
            watcher.close(); // ends the thread's wait
            thread.join(5000);
        }
    }

    /** The emulator-like names behind the last refresh (for tests and diagnostics). */
    Set<String> lastChange() {
        return lastChange;
    }

    int refreshes() {
        return refreshes;
    }

    private void watch() {
        try {
            while (true) {
                sync();
                WatchKey key = watcher.poll(RESYNC_MILLIS, TimeUnit.MILLISECONDS);
                if (key == null) {
                    continue;
                }
                Set<String> changed = new TreeSet<>();
                collect(key, changed);
                // a package manager writes a temporary file and renames it, several binaries at once: wait
                // until the directories are quiet, then refresh once
                for (WatchKey more = watcher.poll(quietMillis, TimeUnit.MILLISECONDS); more != null;
                        more = watcher.poll(quietMillis, TimeUnit.MILLISECONDS)) {
                    collect(more, changed);
                }
                if (!changed.isEmpty()) {
                    lastChange = Set.copyOf(changed);
                    // counted before the refresh runs, so that whoever the refresh wakes sees it counted
                    refreshes++;
                    try {
                        refresh.run();
                    } catch (RuntimeException e) {
                        // the service is going away or failed: the next change tries again
                    }
                }
            }
        } catch (ClosedWatchServiceException | InterruptedException e) {
            // deactivated
        }
    }

    private static void collect(WatchKey key, Set<String> changed) {
        for (WatchEvent<?> event : key.pollEvents()) {
            if (event.kind() == StandardWatchEventKinds.OVERFLOW) {
                changed.add("(events lost)");
            } else if (event.context() instanceof Path name) {
                String n = name.toString();
                if (n.startsWith("qemu") || n.equals("kvm")) {
                    changed.add(n);
                }
            }
        }
        key.reset();
    }

    /** Watches the directories the catalog searches now, and no others. */
    private void sync() {
        List<Path> wanted = directories.get();
        watched.entrySet().removeIf(e -> {
            if (!wanted.contains(e.getKey()) || !e.getValue().isValid()) {
                e.getValue().cancel();
                return true;
            }
            return false;
        });
        for (Path dir : wanted) {
            if (!watched.containsKey(dir)) {
                try {
                    watched.put(dir, dir.register(watcher, StandardWatchEventKinds.ENTRY_CREATE,
                            StandardWatchEventKinds.ENTRY_DELETE, StandardWatchEventKinds.ENTRY_MODIFY));
                } catch (IOException e) {
                    // gone or unreadable: the scan reports what it can; tried again at the next sync
                }
            }
        }
    }
}
