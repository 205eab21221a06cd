package org.virtcaps.core.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Builds a captured host tree (proc, sys, dev, etc under a root) for tests. */
final class HostTree {
    final Path root;

    HostTree(Path root) {
        this.root = root;
    }

    HostTree file(String hostPath, String content) {
        try {
            Path file = root.resolve(hostPath.substring(1));
            Files.createDirectories(file.getParent());
            Files.writeString(file, content, StandardCharsets.UTF_8);
            return this;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    HostTree bytes(String hostPath, byte[] content) {
        try {
            Path file = root.resolve(hostPath.substring(1));
            Files.createDirectories(file.getParent());
            Files.write(file, content);
            return this;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    HostTree dir(String hostPath) {
        try {
            Files.createDirectories(root.resolve(hostPath.substring(1)));
            return this;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String resource(String name) {
        try (InputStream in = HostTree.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalArgumentException("no test resource " + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** CPU topology files for cpus 0..n-1: one package, one core per cpu unless threads > 1. */
    HostTree cpus(int count, int threadsPerCore) {
        file("/sys/devices/system/cpu/online", count == 1 ? "0\n" : "0-" + (count - 1) + "\n");
        int cores = count / threadsPerCore;
        for (int cpu = 0; cpu < count; cpu++) {
            String base = "/sys/devices/system/cpu/cpu" + cpu + "/topology/";
            int core = cpu % cores;
            file(base + "physical_package_id", "0\n");
            file(base + "die_id", "0\n");
            file(base + "core_id", core + "\n");
            StringBuilder siblings = new StringBuilder();
            for (int t = 0; t < threadsPerCore; t++) {
                siblings.append(t == 0 ? "" : ",").append(core + t * cores);
            }
            file(base + "thread_siblings_list", siblings + "\n");
        }
        return this;
    }
}
