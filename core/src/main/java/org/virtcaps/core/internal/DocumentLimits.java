package org.virtcaps.core.internal;

/**
 * What a document read from elsewhere (--from, --connect, a remote host) may be, in one place for every
 * reader. The bounds are far above real documents and far below what costs real time or memory: a
 * capabilities document nests fewer than 10 levels and a large host has some thousands of elements,
 * while a parser's cost past these bounds grows faster than the input (JAXB's DOM loader is quadratic in
 * depth: 40,000 levels took 4.5 s).
 */
public final class DocumentLimits {
    private DocumentLimits() {
    }

    /** Larger inputs are refused: real documents are tens of KiB. */
    public static final int MAX_DOCUMENT_BYTES = 16 << 20;

    /** Deepest element nesting (the root is level 1). */
    public static final int MAX_DEPTH = 64;

    /**
     * Most elements in an XML document; a JSON document may hold as many values. A host with 8,192 CPUs in
     * 64 NUMA cells writes about 15,000; reading up to the bound stays well under a second.
     */
    public static final int MAX_ELEMENTS = 200_000;

    /**
     * Most elements inside open-vocabulary blocks (libvirt's {@code <features>}), which are kept as they
     * came: JAXB builds a DOM document with a transformer of its own for each, ~25 µs apiece warm and
     * ~0.5 ms in a fresh JVM, against ~1 µs for a bound element. libvirt 9.0's document for a QEMU host
     * with every emulator has 73.
     */
    public static final int MAX_OPEN_ELEMENTS = 1024;

    /**
     * Most JSON tokens: a value costs at most four (its name, and a scalar or an object's or array's start
     * and end), so this allows {@link #MAX_ELEMENTS} values.
     */
    public static final long MAX_JSON_TOKENS = 4L * MAX_ELEMENTS;

    /** Longest JSON number, in characters: a long has 19 digits, so 40 refuses nothing legitimate. */
    public static final int MAX_NUMBER_CHARS = 40;

    /** Longest JSON string or name, in characters: paths, model names and descriptions are short. */
    public static final int MAX_STRING_CHARS = 1 << 20;

    /** An inclusive range of accepted values for one kind of number, with the text its errors show. */
    public record Range(long min, long max) {
        /** The value, or an IllegalArgumentException naming the path when it is outside the range. */
        public long check(String path, long value) {
            if (value < min || value > max) {
                throw outOfRange(path, Long.toString(value));
            }
            return value;
        }

        /** Parses decimal text (surrounding blanks ignored), refusing what is not a number or not in range. */
        public long parse(String path, String text) {
            String trimmed = text.trim();
            if (!trimmed.matches("[+-]?[0-9]+")) {
                throw new IllegalArgumentException(path + ": '" + abbreviate(trimmed) + "' is not a number");
            }
            try {
                return check(path, Long.parseLong(trimmed));
            } catch (NumberFormatException e) {
                // more digits than a long holds: out of every range here
                throw outOfRange(path, trimmed);
            }
        }

        /** The same for an int-typed field (every range for one has int bounds). */
        public int parseInt(String path, String text) {
            return (int) parse(path, text);
        }

        public IllegalArgumentException outOfRange(String path, String value) {
            return new IllegalArgumentException(path + ": " + abbreviate(value) + " is out of range (" + min + ".."
                    + max + ")");
        }

        private static String abbreviate(String text) {
            return text.length() > 40 ? text.substring(0, 37) + "..." : text;
        }
    }

    /** Guest word size in bits (libvirt knows 31, 32 and 64; newer arches may bring others). */
    public static final Range WORDSIZE = new Range(1, 1024);
    /** A machine's maximum vCPU count. */
    public static final Range MAX_CPUS = new Range(1, Integer.MAX_VALUE);
    /** Counts and numbers that cannot be negative (CPU, cell and cache ids, topology counts, distances). */
    public static final Range COUNT = new Range(0, Integer.MAX_VALUE);
    /** Topology ids of a CPU, which Linux reports as -1 when unknown (die_id, cluster_id on some arches). */
    public static final Range TOPOLOGY_ID = new Range(-1, Integer.MAX_VALUE);
    /** Sizes, amounts of memory, frequencies, microcode revisions, page counts. */
    public static final Range SIZE = new Range(0, Long.MAX_VALUE);
}
