package org.virtcaps.core.model;

/**
 * A machine type.
 *
 * @param name the machine name (an alias such as {@code pc}, or a canonical name)
 * @param canonical the canonical name when {@code name} is an alias, else null
 * @param maxCpus maximum CPUs, or null when unknown
 * @param deprecated whether the emulator marks it deprecated; null when unknown
 */
public record Machine(String name, String canonical, Integer maxCpus, Boolean deprecated) {

    public Machine {
        Values.require(name, "machine name");
    }

    public static Machine named(String name) {
        return new Machine(name, null, null, null);
    }

    // Written out rather than generated: a record's generated equals/hashCode is bootstrapped through
    // method handles on first use, which measured 8-17 ms of a one-shot run (machine lists are compared
    // when guests are grouped); the result is the same.
    @Override
    public boolean equals(Object other) {
        return this == other || other instanceof Machine m && name.equals(m.name)
                && java.util.Objects.equals(canonical, m.canonical) && java.util.Objects.equals(maxCpus, m.maxCpus)
                && java.util.Objects.equals(deprecated, m.deprecated);
    }

    @Override
    public int hashCode() {
        return java.util.Objects.hash(name, canonical, maxCpus, deprecated);
    }
}
