package org.virtcaps.cli.internal;

/** The command line was wrong: exit code 2, the message and a pointer to {@code --help}. */
final class UsageException extends Exception {
    private static final long serialVersionUID = 1L;

    /** The command whose help to point at; null for the top level. */
    private final String command;

    UsageException(String command, String message) {
        super(message);
        this.command = command;
    }

    String command() {
        return command;
    }
}
