package org.virtcaps.assembly;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;

import org.virtcaps.core.internal.LocalCapabilitiesService;
import org.virtcaps.core.internal.Settings;
import org.virtcaps.core.model.Capabilities;
import org.virtcaps.driver.kqemu.internal.KqemuDriver;
import org.virtcaps.driver.kvm.internal.KvmDriver;
import org.virtcaps.driver.qemu.internal.QemuDriver;
import org.virtcaps.driver.qemu.internal.QemuDriverTestSupport;
import org.virtcaps.driver.qemu.internal.QemuEmulatorCatalog;

/**
 * In-container refresh with nothing changed, on this host's real emulators: the capabilities service
 * with the QEMU, KVM and kqemu drivers, probed once, then refreshed many times. Prints the median and
 * the 90th percentile. Run by bench/qemu.sh; not a test.
 */
public final class RefreshBenchmark {
    private RefreshBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Path cache = Files.createTempDirectory("virtcaps-bench-cache");
        LocalCapabilitiesService service = new LocalCapabilitiesService(Settings.defaults().withCache(cache));
        QemuEmulatorCatalog catalog = new QemuEmulatorCatalog(QemuDriverTestSupport.config(10));
        long id = 1;
        service.addDriver(new QemuDriver(catalog), Map.of(org.osgi.framework.Constants.SERVICE_ID, id++));
        service.addDriver(new KvmDriver(catalog), Map.of(org.osgi.framework.Constants.SERVICE_ID, id++));
        service.addDriver(new KqemuDriver(catalog), Map.of(org.osgi.framework.Constants.SERVICE_ID, id++));
        service.settled();
        for (int i = 0; i < 200; i++) {
            service.refresh();
        }
        Capabilities first = service.snapshot();
        int runs = 500;
        long[] nanos = new long[runs];
        for (int i = 0; i < runs; i++) {
            long start = System.nanoTime();
            Capabilities c = service.refresh();
            nanos[i] = System.nanoTime() - start;
            if (c.generation() != first.generation()) {
                throw new IllegalStateException("an unchanged refresh changed the document");
            }
        }
        Arrays.sort(nanos);
        System.out.printf("refresh (nothing changed, %d guests, %d drivers): median %.2f ms, p90 %.2f ms "
                + "(target 5 ms, ratio %.2f)%n", first.architectures().size(), first.drivers().size(),
                nanos[runs / 2] / 1e6, nanos[runs * 9 / 10] / 1e6, nanos[runs / 2] / 1e6 / 5);
        catalog.deactivate();
        Runtime.getRuntime().halt(0);
    }
}
