package io.gamerlab.bpf;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.Arena;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A loaded program's maps put back as they were after load, with the program run and its globals written in between. */
class MapsSnapshotTest {
    private static final int CALLS = 1000;

    @BeforeEach
    void needsRoot() {
        Fixtures.assumeRoot();
    }

    @Test
    void restoringPutsBackCountersGlobalsAndHashEntriesAndLeavesReadOnlyDataAlone() {
        try (BpfObject object = BpfObject.open(Fixtures.syscallCounter()); Arena arena = Arena.ofConfined()) {
            object.setReadOnlyU32("target_tgid", ProcessHandle.current().pid());
            object.load();
            BpfMap notes = object.map("notes");
            notes.update(arena.allocateFrom(JAVA_INT, 1), arena.allocateFrom(JAVA_LONG, 11));
            MapsSnapshot asLoaded = MapsSnapshot.of(object);
            List<String> copied = asLoaded.mapNames();
            assertTrue(copied.containsAll(List.of("calls", "call_stats", "notes")), copied.toString());
            assertTrue(copied.stream().anyMatch(m -> m.endsWith(".data")) && copied.stream().anyMatch(m -> m.endsWith(".bss")), copied.toString());
            assertFalse(copied.stream().anyMatch(m -> m.endsWith(".rodata")), "read-only data is the programs' to read only: " + copied);

            try (BpfLink link = object.attachProgram("count_getpgid")) {
                Fixtures.getpgid(CALLS);
            }
            object.writeGlobalUnsigned("counting", 0);
            notes.delete(arena.allocateFrom(JAVA_INT, 1));
            notes.update(arena.allocateFrom(JAVA_INT, 7), arena.allocateFrom(JAVA_LONG, 9));
            assertEquals(CALLS, Fixtures.callsOverAllCpus(object.map("calls")));
            assertTrue(object.readGlobalUnsigned("last_call_ns") > 0);

            asLoaded.restore();
            assertEquals(0, Fixtures.callsOverAllCpus(object.map("calls")), "the per-CPU counter");
            assertEquals(0, object.readGlobalUnsigned("last_call_ns"), "the .bss global");
            assertEquals(1, object.readGlobalUnsigned("counting"), "the .data global");
            List<Integer> keys = notes.keys(arena).stream().map(k -> k.get(JAVA_INT, 0)).toList();
            assertEquals(List.of(1), keys, "the hash holds what it held, and only that");
            assertEquals(11, notes.lookup(1, arena).get(JAVA_LONG, 0));
            assertEquals(ProcessHandle.current().pid(), object.map(".rodata").lookup(0, arena).get(JAVA_INT, 0), "target_tgid");

            try (BpfLink link = object.attachProgram("count_getpgid")) {
                Fixtures.getpgid(CALLS);
            }
            assertEquals(CALLS, Fixtures.callsOverAllCpus(object.map("calls")), "the program counts from zero again");
        }
    }
}
