package org.virtcaps.deployer.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * One version of a jar file in the drivers directory: what tells a replaced file from the one deployed.
 *
 * @param size     its size in bytes
 * @param modified its modification time in milliseconds
 * @param fileKey  the file system's identity of the file (device and inode), or null
 */
record JarState(long size, long modified, Object fileKey) {
    /** The state of a regular file, or null when it is gone or not a regular file. */
    static JarState of(Path file) {
        try {
            BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
            return a.isRegularFile() ? new JarState(a.size(), a.lastModifiedTime().toMillis(), a.fileKey()) : null;
        } catch (IOException e) {
            return null;
        }
    }
}
