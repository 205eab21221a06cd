package org.virtcaps.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a kept one-shot framework storage is made for, when it is used, and how many are kept. */
class FrameworkStorageTest {
    @TempDir
    Path dir;

    @Test
    void theKeyChangesWithAnyJarTheKindOrTheRuntimeFiles() throws Exception {
        Path a = Files.writeString(dir.resolve("a.jar"), "a");
        Path b = Files.writeString(dir.resolve("b.jar"), "b");
        Path launcher = Files.writeString(dir.resolve("launcher.jar"), "l");
        String key = FrameworkStorage.key(List.of(a, b), "local", List.of(launcher));
        assertEquals(key, FrameworkStorage.key(List.of(a, b), "local", List.of(launcher)));
        assertNotEquals(key, FrameworkStorage.key(List.of(a), "local", List.of(launcher)));
        assertNotEquals(key, FrameworkStorage.key(List.of(a, b), "remote", List.of(launcher)));
        Files.setLastModifiedTime(b, FileTime.fromMillis(Files.getLastModifiedTime(b).toMillis() - 5000));
        assertNotEquals(key, FrameworkStorage.key(List.of(a, b), "local", List.of(launcher)));
        String rebuilt = FrameworkStorage.key(List.of(a, b), "local", List.of(launcher));
        Files.writeString(launcher, "launcher 2");
        assertNotEquals(rebuilt, FrameworkStorage.key(List.of(a, b), "local", List.of(launcher)));
    }

    @Test
    void onlyAReadyStorageWithTheSameKeyIsReused() throws Exception {
        Path jar = Files.writeString(dir.resolve("a.jar"), "a");
        Path base = dir.resolve("framework");
        FrameworkStorage.Choice first = FrameworkStorage.choose(base, List.of(jar), "local", List.of());
        assertTrue(first.persistent());
        assertFalse(first.primed(), "nothing to reuse yet: this run installs");
        assertNull(first.bundles());
        assertTrue(first.dir().getFileName().toString().endsWith(".tmp"), "primed out of place, moved in when ready");

        // a storage moved into place without its ready marker (a run that died) is not used
        Files.move(first.dir(), first.home());
        assertFalse(FrameworkStorage.choose(base, List.of(jar), "local", List.of()).primed());

        Files.writeString(first.home().resolve(FrameworkStorage.BUNDLES_FILE), jar.toAbsolutePath() + "\n");
        Files.createFile(first.home().resolve(FrameworkStorage.READY_FILE));
        FrameworkStorage.Choice again = FrameworkStorage.choose(base, List.of(jar), "local", List.of());
        assertTrue(again.primed());
        assertEquals(first.home(), again.dir());
        assertEquals(List.of(jar.toAbsolutePath()), again.bundles());

        Files.writeString(first.home().resolve(FrameworkStorage.KEY_FILE), "another key");
        assertFalse(FrameworkStorage.choose(base, List.of(jar), "local", List.of()).primed());
    }

    @Test
    void twoRunsPrimingAtOnceLeaveTheFirstFinishedStorageInPlace() throws Exception {
        Path jar = Files.writeString(dir.resolve("a.jar"), "a");
        Path base = dir.resolve("framework");
        FrameworkStorage.Choice first = FrameworkStorage.choose(base, List.of(jar), "local", List.of());
        FrameworkStorage.Choice second = FrameworkStorage.choose(base, List.of(jar), "local", List.of());
        Files.writeString(first.dir().resolve("felix-file"), "first");
        Files.writeString(second.dir().resolve("felix-file"), "second");
        FrameworkStorage.finishPriming(first, noBundles(), List.of(jar));
        assertTrue(FrameworkStorage.choose(base, List.of(jar), "local", List.of()).primed());
        // the later one may find the first in use by a third run: it leaves it alone and drops its own
        FrameworkStorage.finishPriming(second, noBundles(), List.of(jar));
        assertEquals("first", Files.readString(first.home().resolve("felix-file")));
        assertFalse(Files.exists(second.dir()));
        try (var left = Files.list(base)) {
            assertEquals(List.of(first.home()), left.toList());
        }
    }

    /** A framework with no bundles (no SCR to stop). */
    private static org.osgi.framework.launch.Framework noBundles() {
        org.osgi.framework.BundleContext context = (org.osgi.framework.BundleContext) java.lang.reflect.Proxy.newProxyInstance(
                FrameworkStorageTest.class.getClassLoader(), new Class<?>[] { org.osgi.framework.BundleContext.class },
                (proxy, method, args) -> method.getName().equals("getBundles") ? new org.osgi.framework.Bundle[0] : null);
        return (org.osgi.framework.launch.Framework) java.lang.reflect.Proxy.newProxyInstance(
                FrameworkStorageTest.class.getClassLoader(), new Class<?>[] { org.osgi.framework.launch.Framework.class },
                (proxy, method, args) -> method.getName().equals("getBundleContext") ? context : null);
    }

    @Test
    void pruningKeepsTheNewestReadyStoragesAndDropsIncompleteOnes() throws Exception {
        Path base = Files.createDirectories(dir.resolve("framework"));
        Path current = ready(base, "current", 10_000);
        for (int i = 0; i < FrameworkStorage.KEPT + 2; i++) {
            ready(base, "old" + i, 1000 * i);
        }
        Path incomplete = Files.createDirectory(base.resolve("incomplete"));
        Path recentTemp = Files.createDirectory(base.resolve("x.123.tmp"));
        FrameworkStorage.prune(base, current);
        assertTrue(Files.exists(current));
        assertFalse(Files.exists(incomplete));
        assertTrue(Files.exists(recentTemp), "a priming run may still be writing it");
        assertFalse(Files.exists(base.resolve("old0")));
        assertFalse(Files.exists(base.resolve("old1")));
        for (int i = 2; i < FrameworkStorage.KEPT + 2; i++) {
            assertTrue(Files.exists(base.resolve("old" + i)), "old" + i);
        }
    }

    private static Path ready(Path base, String name, long millis) throws Exception {
        Path storage = Files.createDirectory(base.resolve(name));
        Path marker = Files.createFile(storage.resolve(FrameworkStorage.READY_FILE));
        Files.setLastModifiedTime(marker, FileTime.fromMillis(millis));
        return storage;
    }
}
