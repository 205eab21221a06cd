package org.virtcaps.core.model;

import java.util.List;

/**
 * One NUMA cell.
 *
 * @param id cell id
 * @param memoryKiB memory of the cell in KiB, or null
 * @param pages free/total page counts per page size
 * @param distances distances to the other cells (including itself)
 * @param cpuCount number of CPUs in the cell, or null when unknown; may exceed {@code cpus.size()}
 *                 when a document lists the count without the CPUs
 * @param cpus the CPUs of the cell
 */
public record NumaCell(int id, Long memoryKiB, List<PageCount> pages, List<Distance> distances, Integer cpuCount,
        List<CellCpu> cpus) {

    public NumaCell {
        pages = Values.list(pages);
        distances = Values.list(distances);
        cpus = Values.list(cpus);
    }

    /** Number of pages of one size in a cell. */
    public record PageCount(long sizeKiB, long count) {
    }

    /** Distance from this cell to cell {@code id}. */
    public record Distance(int id, int value) {
    }

    /** One CPU of a cell; topology ids are null when not known. */
    public record CellCpu(int id, Integer socketId, Integer dieId, Integer clusterId, Integer coreId,
            String siblings) {
    }
}
