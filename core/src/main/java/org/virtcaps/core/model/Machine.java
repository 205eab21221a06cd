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
}
