package org.virtcaps.driver.qemu;

/**
 * A machine type as QEMU reports it.
 *
 * @param name canonical name
 * @param alias short alias (pc, q35, pseries), or null
 * @param maxCpus maximum CPUs
 * @param deprecated whether QEMU marks it deprecated
 * @param isDefault whether it is QEMU's default machine
 */
public record EmulatorMachine(String name, String alias, int maxCpus, boolean deprecated, boolean isDefault) {
}
