package org.virtcaps.core.model;

/** A cache bank: level, type (both/code/data), size with unit (KiB, MiB) and the CPUs sharing it. */
public record CacheBank(int id, int level, String type, long size, String unit, String cpus) {
}
