package org.virtcaps.driver.qemu;

import java.util.List;
import java.util.Map;

import org.osgi.annotation.versioning.ProviderType;
import org.virtcaps.core.spi.HostEnvironment;

/**
 * The QEMU emulators of a host. Drivers call {@link #scan} from their probe; concurrent calls share one
 * scan, and unchanged binaries are answered from the cache (a stat per binary, no process).
 */
@ProviderType
public interface EmulatorCatalog {

    /** Discovers and probes (or re-validates) every emulator under the environment's root. */
    EmulatorScan scan(HostEnvironment host);

    /**
     * Whether an accelerator (e.g. {@code kvm}) really initializes for this emulator on the live host:
     * QEMU is started with it and asked over QMP. Cached like the probe.
     *
     * @return empty when it works, else the reason it does not
     */
    java.util.Optional<String> acceleratorProblem(Emulator emulator, String accelerator, HostEnvironment host);

    /**
     * The English machine descriptions the emulator prints for {@code -machine help}, keyed by machine
     * name (aliases included). Run on first request and cached.
     */
    Map<String, String> machineDescriptions(Emulator emulator, HostEnvironment host);

    /** The emulators of the latest scan (empty before the first). */
    List<Emulator> lastScan();

    /**
     * {@link #machineDescriptions(Emulator, HostEnvironment)} in the environment of the latest scan; empty
     * before the first scan.
     */
    Map<String, String> machineDescriptions(Emulator emulator);

    /** The outcome of one scan: probed emulators, candidates that failed, and why. */
    record EmulatorScan(List<Emulator> emulators, List<Failure> failures) {
        public EmulatorScan {
            emulators = List.copyOf(emulators);
            failures = List.copyOf(failures);
        }
    }

    /**
     * A discovered binary that could not be probed.
     *
     * @param path host path of the binary
     * @param reason one line: timed out, crashed, no QMP greeting, not executable, ...
     */
    record Failure(String path, String reason) {
    }
}
