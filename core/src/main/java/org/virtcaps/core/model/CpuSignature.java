package org.virtcaps.core.model;

/** CPUID family, model and stepping. */
public record CpuSignature(int family, int model, int stepping) {
}
