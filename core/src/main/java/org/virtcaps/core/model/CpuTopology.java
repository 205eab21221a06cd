package org.virtcaps.core.model;

/**
 * CPU topology. Dies and clusters are null where the host does not report them.
 */
public record CpuTopology(int sockets, Integer dies, Integer clusters, int cores, int threads) {
}
