package org.virtcaps.driver.qemu.internal;

/** Catalog configuration for tests of the drivers that build on the catalog. */
public final class QemuDriverTestSupport {
    private QemuDriverTestSupport() {
    }

    public static QemuConfig config(double timeoutSeconds) {
        return QemuDriverTest.config(timeoutSeconds);
    }
}
