package org.virtcaps.core.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.util.List;

import org.junit.jupiter.api.Test;

/** Machine's hand-written equality must be the record's: every component counts, nulls included. */
class MachineTest {
    private final Machine pc = new Machine("pc", "pc-i440fx-7.2", 255, false);

    @Test
    void equalComponentsAreEqualWithEqualHashes() {
        Machine same = new Machine("pc", "pc-i440fx-7.2", 255, false);
        assertEquals(pc, same);
        assertEquals(pc.hashCode(), same.hashCode());
        assertEquals(Machine.named("none"), new Machine("none", null, null, null));
        assertEquals(List.of(pc, Machine.named("q35")), List.of(same, Machine.named("q35")));
    }

    @Test
    void everyComponentCounts() {
        assertNotEquals(pc, new Machine("isapc", "pc-i440fx-7.2", 255, false));
        assertNotEquals(pc, new Machine("pc", "pc-i440fx-7.1", 255, false));
        assertNotEquals(pc, new Machine("pc", null, 255, false));
        assertNotEquals(pc, new Machine("pc", "pc-i440fx-7.2", 288, false));
        assertNotEquals(pc, new Machine("pc", "pc-i440fx-7.2", null, false));
        assertNotEquals(pc, new Machine("pc", "pc-i440fx-7.2", 255, true));
        assertNotEquals(pc, new Machine("pc", "pc-i440fx-7.2", 255, null));
        assertNotEquals(pc, "pc");
        assertNotEquals(pc, null);
    }
}
