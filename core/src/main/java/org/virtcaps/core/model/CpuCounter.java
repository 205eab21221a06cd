package org.virtcaps.core.model;

/** A CPU time-stamp counter: name (tsc), frequency in Hz and whether it is scaled. */
public record CpuCounter(String name, long frequency, boolean scaling) {
}
