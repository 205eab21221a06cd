package org.virtcaps.core.internal;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.RecordComponent;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.virtcaps.core.model.Guest;
import org.virtcaps.core.model.GuestDomain;
import org.virtcaps.core.model.GuestFeature;
import org.virtcaps.core.model.Machine;

/**
 * An unambiguous byte form of a model value: records (by class and every component, in order), lists,
 * maps (entries in key order), strings, numbers, booleans, enums, and anything else by class and
 * {@code toString()} (durations, instants). Two values give the same bytes exactly when they are equal,
 * so stored bytes can stand for a document across processes. It walks the records' components
 * reflectively, so a component added to the model is covered without changes here; the records a document
 * holds by the hundred (machines, features, guests) are written by hand in exactly the reflective form,
 * since calling an accessor reflectively more than a few times makes the JVM generate a class for it (18 of
 * them for a QEMU host's document: ~10 ms of a one-shot run). RenderCacheTest holds the two forms equal.
 */
final class ModelBytes {
    private final Map<Class<?>, RecordComponent[]> components = new HashMap<>();
    private final boolean byHand;

    ModelBytes() {
        this(true);
    }

    /** With {@code byHand} false every record is walked reflectively (the reference the tests compare with). */
    ModelBytes(boolean byHand) {
        this.byHand = byHand;
    }

    byte[] of(Object value) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(1 << 16);
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            write(out, value);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a byte array does not fail
        }
        return bytes.toByteArray();
    }

    private void write(DataOutputStream out, Object value) throws IOException {
        if (value == null) {
            out.writeByte(0);
        } else if (value instanceof String s) {
            out.writeByte(1);
            string(out, s);
        } else if (value instanceof Integer || value instanceof Long || value instanceof Short || value instanceof Byte) {
            out.writeByte(2);
            out.writeLong(((Number) value).longValue());
        } else if (value instanceof Double || value instanceof Float) {
            out.writeByte(3);
            out.writeDouble(((Number) value).doubleValue());
        } else if (value instanceof Boolean b) {
            out.writeByte(4);
            out.writeBoolean(b);
        } else if (value instanceof Enum<?> e) {
            out.writeByte(5);
            string(out, e.getDeclaringClass().getName());
            string(out, e.name());
        } else if (value instanceof List<?> list) {
            out.writeByte(6);
            out.writeInt(list.size());
            for (Object element : list) {
                write(out, element);
            }
        } else if (value instanceof Map<?, ?> map) {
            out.writeByte(7);
            out.writeInt(map.size());
            // map order is not part of a map's value (Map.copyOf's order even changes from run to run)
            List<Map.Entry<?, ?>> entries = new ArrayList<>(map.entrySet());
            entries.sort((a, b) -> String.valueOf(a.getKey()).compareTo(String.valueOf(b.getKey())));
            for (Map.Entry<?, ?> entry : entries) {
                write(out, entry.getKey());
                write(out, entry.getValue());
            }
        } else if (byHand && value instanceof Machine m) {
            recordHeader(out, m);
            write(out, m.name());
            write(out, m.canonical());
            write(out, m.maxCpus());
            write(out, m.deprecated());
        } else if (byHand && value instanceof GuestFeature f) {
            recordHeader(out, f);
            write(out, f.name());
            write(out, f.defaultOn());
            write(out, f.toggle());
        } else if (byHand && value instanceof GuestDomain d) {
            recordHeader(out, d);
            write(out, d.type());
            write(out, d.emulator());
            write(out, d.machines());
        } else if (byHand && value instanceof Guest g) {
            recordHeader(out, g);
            write(out, g.osType());
            write(out, g.arch());
            write(out, g.wordsize());
            write(out, g.emulator());
            write(out, g.loader());
            write(out, g.machines());
            write(out, g.domains());
            write(out, g.features());
        } else if (value instanceof Record record) {
            recordHeader(out, record);
            RecordComponent[] parts = components.get(record.getClass());
            if (parts == null) {
                parts = record.getClass().getRecordComponents();
                components.put(record.getClass(), parts);
            }
            for (RecordComponent component : parts) {
                write(out, component(record, component));
            }
        } else if (value instanceof Collection<?>) {
            throw new IllegalArgumentException("no canonical order for a " + value.getClass().getName());
        } else {
            out.writeByte(9);
            string(out, value.getClass().getName());
            string(out, value.toString());
        }
    }

    private static void recordHeader(DataOutputStream out, Record record) throws IOException {
        out.writeByte(8);
        string(out, record.getClass().getName());
    }

    private static Object component(Record record, RecordComponent component) {
        try {
            return component.getAccessor().invoke(record);
        } catch (IllegalAccessException | InvocationTargetException e) {
            throw new IllegalStateException("cannot read " + component + " of " + record.getClass().getName(), e);
        }
    }

    private static void string(DataOutputStream out, String s) throws IOException {
        byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
        out.writeInt(utf8.length);
        out.write(utf8);
    }
}
