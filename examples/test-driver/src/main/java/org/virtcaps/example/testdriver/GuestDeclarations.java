package org.virtcaps.example.testdriver;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.virtcaps.core.model.Diagnostic;
import org.virtcaps.core.model.GuestArchitecture;
import org.virtcaps.core.model.GuestFeature;
import org.virtcaps.core.model.Machine;
import org.virtcaps.core.spi.ProbeResult;

/**
 * Guest architectures written one per line:
 * {@code os-type arch wordsize domain-type [emulator|-] [machine,machine|-] [feature,feature=on/yes|-]}.
 * Blank lines and {@code #} comments are skipped; a malformed line becomes a diagnostic, never a failure.
 */
final class GuestDeclarations {
    private GuestDeclarations() {
    }

    static ProbeResult parse(String source, List<String> lines, String driverName) {
        ProbeResult.Builder result = ProbeResult.builder();
        int number = 0;
        for (String raw : lines) {
            number++;
            String line = raw.strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String[] f = line.split("\\s+");
            if (f.length < 4) {
                result.diagnostic(Diagnostic.warning(source + ":" + number,
                        "needs at least os-type, arch, wordsize and domain-type: " + line));
                continue;
            }
            int wordsize;
            try {
                wordsize = Integer.parseInt(f[2]);
            } catch (NumberFormatException e) {
                result.diagnostic(Diagnostic.warning(source + ":" + number, "wordsize '" + f[2] + "' is not a number"));
                continue;
            }
            String emulator = f.length > 4 && !f[4].equals("-") ? f[4] : null;
            List<Machine> machines = new ArrayList<>();
            if (f.length > 5 && !f[5].equals("-")) {
                for (String m : f[5].split(",")) {
                    machines.add(Machine.named(m));
                }
            }
            List<GuestFeature> features = new ArrayList<>();
            if (f.length > 6 && !f[6].equals("-")) {
                for (String feature : f[6].split(",")) {
                    String[] kv = feature.split("=", 2);
                    if (kv.length == 1) {
                        features.add(GuestFeature.bare(kv[0]));
                    } else {
                        String[] dt = kv[1].split("/", 2);
                        features.add(GuestFeature.toggled(kv[0], dt[0].equals("on"), dt.length > 1 && dt[1].equals("yes")));
                    }
                }
            }
            result.guest(new GuestArchitecture(f[0], f[1], wordsize, f[3], emulator, null, machines, features,
                    Map.of("simulated", "yes", "declared-in", source), driverName));
        }
        return result.build();
    }
}
