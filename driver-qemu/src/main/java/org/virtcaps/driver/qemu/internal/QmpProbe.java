package org.virtcaps.driver.qemu.internal;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.virtcaps.core.spi.HostEnvironment;
import org.virtcaps.core.spi.ProcessResult;
import org.virtcaps.driver.qemu.Emulator;
import org.virtcaps.driver.qemu.EmulatorMachine;

/**
 * Talks to an emulator the way libvirt probes it: started paused with no devices and no machine, QMP on
 * standard input. All commands are written at once, ending with {@code quit}, so one process run answers
 * everything; QEMU answers in order.
 */
final class QmpProbe {
    static final int MAX_OUTPUT = 4 << 20;
    private static final String COMMANDS = """
            {"execute":"qmp_capabilities"}
            {"execute":"query-version"}
            {"execute":"query-target"}
            {"execute":"query-machines"}
            {"execute":"query-kvm"}
            {"execute":"quit"}
            """;
    private static final Pattern MACHINE_HELP_LINE = Pattern.compile("^(\\S+)\\s+(.+)$");

    private final Duration timeout;

    QmpProbe(Duration timeout) {
        this.timeout = timeout;
    }

    /**
     * Thrown when a probe got no usable answer; the message is the one-line reason. Only a definite failure
     * says something about the binary (it exited on its own without talking QMP, or printed without end); a
     * transient one says something about the moment (it did not answer in time on a loaded machine, or was
     * killed by a signal, by the OOM killer for instance) and is asked again next time.
     */
    static final class ProbeException extends Exception {
        private static final long serialVersionUID = 1L;
        private final boolean transientFailure;

        ProbeException(String message) {
            this(message, false);
        }

        ProbeException(String message, boolean transientFailure) {
            super(message);
            this.transientFailure = transientFailure;
        }

        boolean transientFailure() {
            return transientFailure;
        }
    }

    /**
     * Whether a run that gave no usable answer may answer next time: it ran out of time, or died of a
     * signal. A signal is counted transient even when the program raised it itself (a crash): a crash costs
     * its retry little, while a SIGKILL from the OOM killer taken for a verdict would hide a good emulator
     * until its binary changes.
     */
    static boolean transientRun(ProcessResult result) {
        return result.timedOut() || !result.truncated() && result.exitCode() > 128;
    }

    static List<String> baseCommand(Path binary, String machineOption) {
        return List.of(binary.toString(), "-S", "-no-user-config", "-nodefaults", "-display", "none", "-machine",
                machineOption, "-qmp", "stdio");
    }

    /**
     * What one probe learned: the emulator, and when KVM was asked for ({@code accel=kvm:tcg}), whether it
     * initialised; a build without KVM, or a failing /dev/kvm, falls back to TCG and answers all the same.
     *
     * @param kvmProblem when KVM was asked for: null if it is enabled, else why not (QEMU's own words where it
     *        gave them); null too when it was not asked for
     */
    record Answer(Emulator emulator, String kvmProblem) {
    }

    /**
     * Runs the probe: one emulator process answering every command. This is the part that occupies a probe
     * lane; reading the answer ({@link #interpret}) is left to the caller so the lane can start the next
     * emulator at once.
     */
    ProcessResult converse(HostEnvironment host, Path binary, boolean tryKvm) throws IOException {
        return run(host, binary, tryKvm ? "none,accel=kvm:tcg" : "none", COMMANDS);
    }

    /** Reads what {@link #converse} returned for {@code binary} into the emulator it describes. */
    Answer interpret(ProcessResult result, String hostPath, Path binary, String binaryTarget, String variant,
            boolean tryKvm) throws ProbeException {
        try {
            return read(result, hostPath, binary, binaryTarget, variant, tryKvm);
        } catch (ProbeException e) {
            // a conversation cut short by a signal is no verdict on the binary, whichever reply it lacks
            throw e.transientFailure() || !transientRun(result) ? e : new ProbeException(e.getMessage(), true);
        }
    }

    private Answer read(ProcessResult result, String hostPath, Path binary, String binaryTarget, String variant,
            boolean tryKvm) throws ProbeException {
        List<Map<String, Object>> replies = replies(result);
        Map<String, Object> version = returned(replies, 1, "query-version");
        Map<String, Object> target = returned(replies, 2, "query-target");
        Object machines = replies.size() > 3 ? replies.get(3).get("return") : null;
        if (!(machines instanceof List<?> machineList)) {
            throw new ProbeException("query-machines gave no machine list" + error(replies, 3));
        }
        Map<String, Object> kvm = replies.size() > 4 && replies.get(4).get("return") instanceof Map<?, ?> m
                ? cast(m) : Map.of();
        String versionText = versionText(version);
        List<EmulatorMachine> parsed = new ArrayList<>();
        for (Object o : machineList) {
            if (o instanceof Map<?, ?> m) {
                Map<String, Object> machine = cast(m);
                Object name = machine.get("name");
                if (!(name instanceof String n) || n.isBlank() || n.equals("none")) {
                    continue;
                }
                parsed.add(new EmulatorMachine(n, machine.get("alias") instanceof String a ? a : null,
                        machine.get("cpu-max") instanceof Number c ? c.intValue() : 1,
                        Boolean.TRUE.equals(machine.get("deprecated")), Boolean.TRUE.equals(machine.get("is-default"))));
            }
        }
        String targetArch = target.get("arch") instanceof String a ? a : null;
        if (targetArch == null) {
            throw new ProbeException("query-target named no arch");
        }
        Emulator emulator = new Emulator(hostPath, binaryTarget, variant, targetArch, versionText,
                version.get("package") instanceof String p ? p.trim() : "", parsed,
                Boolean.TRUE.equals(kvm.get("present")));
        String kvmProblem = null;
        if (tryKvm && !Boolean.TRUE.equals(kvm.get("enabled"))) {
            String said = firstLine(result.stderr());
            kvmProblem = said.isEmpty() ? "kvm is not enabled in " + binary.getFileName() : said;
        }
        return new Answer(emulator, kvmProblem);
    }

    /**
     * Starts the emulator with an accelerator and asks whether it is enabled.
     *
     * @return null when it works, else why not
     * @throws IOException when it could not be run, or gave no answer this time (timed out, killed): no verdict
     */
    String acceleratorProblem(HostEnvironment host, Path binary, String accelerator) throws IOException {
        ProcessResult result = run(host, binary, "none,accel=" + accelerator, """
                {"execute":"qmp_capabilities"}
                {"execute":"query-kvm"}
                {"execute":"quit"}
                """);
        try {
            List<Map<String, Object>> replies = replies(result);
            Map<String, Object> kvm = returned(replies, 1, "query-kvm");
            return Boolean.TRUE.equals(kvm.get("enabled")) ? null
                    : accelerator + " is not enabled in " + binary.getFileName();
        } catch (ProbeException e) {
            if (e.transientFailure() || transientRun(result)) {
                // no answer about the accelerator at all: the caller must not keep it as one
                throw new IOException(e.getMessage());
            }
            return e.getMessage();
        }
    }

    /** Machine name (and alias) → English description, from {@code -machine help}. */
    Map<String, String> machineDescriptions(HostEnvironment host, Path binary) throws IOException, ProbeException {
        ProcessResult result = host.run(List.of(binary.toString(), "-machine", "help"), null, timeout, MAX_OUTPUT);
        if (!result.succeeded()) {
            throw new ProbeException(failure(result), transientRun(result));
        }
        Map<String, String> descriptions = new LinkedHashMap<>();
        for (String line : result.stdout().split("\n")) {
            Matcher m = MACHINE_HELP_LINE.matcher(line);
            if (!m.matches() || line.startsWith("Supported machines")) {
                continue;
            }
            String name = m.group(1);
            String text = m.group(2).trim();
            String canonical = null;
            Matcher alias = Pattern.compile("\\s*\\(alias of (\\S+)\\)").matcher(text);
            if (alias.find()) {
                canonical = alias.group(1);
                text = alias.replaceAll("");
            }
            text = text.replace(" (default)", "").replace(" (deprecated)", "").trim();
            if (!name.equals("none")) {
                descriptions.put(name, text);
                if (canonical != null) {
                    descriptions.putIfAbsent(canonical, text);
                }
            }
        }
        return descriptions;
    }

    private ProcessResult run(HostEnvironment host, Path binary, String machine, String commands) throws IOException {
        return host.run(baseCommand(binary, machine), commands, timeout, MAX_OUTPUT);
    }

    private List<Map<String, Object>> replies(ProcessResult result) throws ProbeException {
        if (result.timedOut()) {
            throw new ProbeException("did not answer within " + timeout.toMillis() / 1000.0 + " s; killed", true);
        }
        if (result.truncated()) {
            throw new ProbeException("printed more than " + MAX_OUTPUT + " bytes; killed");
        }
        List<Object> values;
        try {
            values = Json.values(result.stdout());
        } catch (IOException e) {
            throw new ProbeException("no QMP conversation: " + failure(result), transientRun(result));
        }
        if (values.isEmpty() || !(values.get(0) instanceof Map<?, ?> greeting) || !greeting.containsKey("QMP")) {
            throw new ProbeException("no QMP greeting: " + failure(result), transientRun(result));
        }
        List<Map<String, Object>> replies = new ArrayList<>();
        for (Object v : values) {
            if (v instanceof Map<?, ?> m && !m.containsKey("event")) {
                replies.add(cast(m));
            }
        }
        // replies.get(0) is the greeting; the replies to the commands follow in order
        return replies.subList(1, replies.size());
    }

    private static Map<String, Object> returned(List<Map<String, Object>> replies, int index, String command)
            throws ProbeException {
        if (replies.size() <= index || !(replies.get(index).get("return") instanceof Map<?, ?> m)) {
            throw new ProbeException(command + " gave no answer" + error(replies, index));
        }
        return cast(m);
    }

    private static String error(List<Map<String, Object>> replies, int index) {
        if (replies.size() > index && replies.get(index).get("error") instanceof Map<?, ?> e) {
            return ": " + e.get("desc");
        }
        return "";
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> cast(Map<?, ?> map) {
        return (Map<String, Object>) map;
    }

    private static String versionText(Map<String, Object> version) {
        if (version.get("qemu") instanceof Map<?, ?> q) {
            return q.get("major") + "." + q.get("minor") + "." + q.get("micro");
        }
        return "unknown";
    }

    /** One line saying how a run failed: exit status and the first line it printed. */
    static String failure(ProcessResult result) {
        String said = firstLine(result.stderr());
        if (said.isEmpty()) {
            said = firstLine(result.stdout());
        }
        String status = result.exitCode() > 128 ? "killed by signal " + (result.exitCode() - 128)
                : "exit status " + result.exitCode();
        return status + (said.isEmpty() ? "" : ", said: " + said);
    }

    /** The first non-blank line, printable ASCII only, at most 120 characters (read once per probe). */
    private static String firstLine(String text) {
        String stripped = text.strip();
        int end = 0;
        while (end < stripped.length() && stripped.charAt(end) != '\n' && stripped.charAt(end) != '\r') {
            end++;
        }
        StringBuilder line = new StringBuilder(Math.min(end, 120));
        for (int i = 0; i < end && line.length() < 120; i++) {
            char c = stripped.charAt(i);
            line.append(c >= 0x20 && c <= 0x7e ? c : '?');
        }
        return end > 120 ? line.substring(0, 117) + "..." : line.toString();
    }
}
