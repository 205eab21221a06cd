package org.virtcaps.core.model;

/** Host suspend support: to memory, to disk, hybrid. */
public record PowerManagement(boolean suspendMem, boolean suspendDisk, boolean suspendHybrid) {
}
