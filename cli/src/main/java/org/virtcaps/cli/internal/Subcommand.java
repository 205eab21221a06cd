package org.virtcaps.cli.internal;

import java.util.List;

import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Options;

/** One {@code virtcaps COMMAND}: its options, its help and what it does. */
interface Subcommand {
    String name();

    /** One sentence for the command list and the command's help. */
    String summary();

    /** The command's own options; the global ones are added by the caller. */
    Options options();

    /** The operands after the options, for the usage line ({@code ""} when it takes none). */
    default String operands() {
        return "";
    }

    /** Checks the operands (those of a command that takes none are refused by the caller). */
    default void checkOperands(List<String> operands) throws UsageException {
        if (!operands.isEmpty()) {
            throw new UsageException(name(), "unexpected argument '" + operands.get(0) + "'");
        }
    }

    /** Runs the command; returns the exit code. */
    int run(Session session, CommandLine line) throws Exception;
}
