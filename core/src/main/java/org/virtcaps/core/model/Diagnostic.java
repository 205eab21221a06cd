package org.virtcaps.core.model;

/**
 * A message for the user: why something is missing or was skipped.
 *
 * @param severity how serious
 * @param source what it is about (a file, an emulator path, a driver)
 * @param message what happened, in one line
 */
public record Diagnostic(Severity severity, String source, String message) {

    public Diagnostic {
        severity = severity == null ? Severity.INFO : severity;
        source = source == null ? "" : source;
        message = message == null ? "" : message;
    }

    public static Diagnostic info(String source, String message) {
        return new Diagnostic(Severity.INFO, source, message);
    }

    public static Diagnostic warning(String source, String message) {
        return new Diagnostic(Severity.WARNING, source, message);
    }

    public static Diagnostic error(String source, String message) {
        return new Diagnostic(Severity.ERROR, source, message);
    }

    @Override
    public String toString() {
        return severity + " " + (source.isEmpty() ? "" : source + ": ") + message;
    }

    /** How serious a diagnostic is. */
    public enum Severity {
        INFO, WARNING, ERROR
    }
}
