package io.gamerlab.bpf;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The libbpf ring-buffer binding against this kernel, fed by the bench trigger (batch=1: one event per record). */
class RingBufferPollerTest {
    private static final int EVENT_BYTES = 32;
    private static final int VALUE_OFFSET = 28;

    @BeforeEach
    void needsRoot() {
        Fixtures.assumeRoot();
    }

    @Test
    void aSharedRingDeliversEveryRecordOnceInOrder() {
        try (BpfObject object = loadedTrigger(List.of())) {
            List<Integer> values = new ArrayList<>();
            List<Long> sizes = new ArrayList<>();
            try (RingBufferPoller poller = new RingBufferPoller(record -> {
                sizes.add(record.byteSize());
                values.add(record.get(JAVA_INT, VALUE_OFFSET));
            })) {
                poller.add(object.map("input_ring"));
                assertEquals(List.of("input_ring"), poller.rings());
                try (BpfLink link = object.attachProgram(RingBufferTrigger.PROGRAM)) {
                    for (int i = 0; i < 200; i++) RingBufferTrigger.fire(i);
                }
                pollUntil(poller, 200);
                assertEquals(200, poller.records());
                assertTrue(sizes.stream().allMatch(size -> size == EVENT_BYTES), "record sizes " + sizes.stream().distinct().toList());
                List<Integer> expected = new ArrayList<>();
                for (int i = 0; i < 200; i++) expected.add(i);
                assertEquals(expected, values, "one thread's events arrive in call order through one shared ring");
                assertEquals(0, poller.consume(), "nothing is left after every record was read");
            }
        }
    }

    @Test
    void theInnerRingsOfAnArrayOfMapsAreCreatedFromJavaAndPolledTogether() {
        try (BpfObject object = loadedTrigger(List.of("-DGAMER_RINGBUF_PERCPU"))) {
            BpfMap outer = object.map("input_rings");
            int cpus = outer.possibleCpus();
            assertEquals(256 * 1024, outer.innerMapMaxEntries(), "the template's size, declared in input_events.bpf.h");
            assertEquals(cpus, RingBufferMaps.fillArrayOfMaps(outer, cpus, outer.innerMapMaxEntries(), "test_rb"));
            assertEquals(0, RingBufferMaps.fillArrayOfMaps(outer, cpus, outer.innerMapMaxEntries(), "test_rb"), "filled slots are kept");
            List<Integer> values = new ArrayList<>();
            try (RingBufferPoller poller = new RingBufferPoller(record -> values.add(record.get(JAVA_INT, VALUE_OFFSET)))) {
                assertEquals(cpus, poller.addInnerRings(outer));
                assertEquals(cpus, poller.rings().size());
                try (BpfLink link = object.attachProgram(RingBufferTrigger.PROGRAM)) {
                    for (int i = 0; i < 300; i++) RingBufferTrigger.fire(i);
                }
                pollUntil(poller, 300);
                assertEquals(300, values.stream().distinct().count(), "every event arrived once, from whichever CPU's ring");
            }
        }
    }

    @Test
    void maxEntriesCanBeSetBeforeLoadOnly() {
        try (BpfObject object = BpfObject.open(RingBufferTrigger.build(List.of("-DGAMER_RINGBUF_PERCPU")))) {
            object.setReadOnlyU32("target_tgid", ProcessHandle.current().pid());
            BpfMap outer = object.map("input_rings");
            assertEquals(64, outer.maxEntries(), "GAMER_INPUT_MAX_CPUS");
            outer.setMaxEntries(outer.possibleCpus() + 3);
            assertEquals(outer.possibleCpus() + 3, outer.maxEntries());
            object.load();
            assertEquals(outer.possibleCpus() + 3, object.map("input_rings").maxEntries(), "the kernel's map has the new size");
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> outer.setMaxEntries(8));
            assertTrue(e.getMessage().contains("after load"), e.getMessage());
        }
    }

    @Test
    void anExceptionInTheHandlerComesOutOfPollAndTheJvmLives() {
        try (BpfObject object = loadedTrigger(List.of());
                RingBufferPoller poller = new RingBufferPoller(record -> {
                    throw new IllegalArgumentException("handler refused record");
                })) {
            poller.add(object.map("input_ring"));
            try (BpfLink link = object.attachProgram(RingBufferTrigger.PROGRAM)) {
                RingBufferTrigger.fire(1);
            }
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> {
                for (int i = 0; i < 100; i++) poller.poll(10);
            });
            assertEquals("handler refused record", e.getMessage());
        }
    }

    @Test
    void aMapThatIsNotARingIsRefusedByName() {
        try (BpfObject object = loadedTrigger(List.of()); RingBufferPoller poller = new RingBufferPoller(record -> { })) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> poller.add(object.map("input_cpus")));
            assertTrue(e.getMessage().contains("input_cpus") && e.getMessage().contains("RINGBUF"), e.getMessage());
            IllegalStateException none = assertThrows(IllegalStateException.class, () -> poller.poll(0));
            assertTrue(none.getMessage().contains("no ring buffer"), none.getMessage());
        }
    }

    private static BpfObject loadedTrigger(List<String> flags) {
        Path file = RingBufferTrigger.build(flags);
        BpfObject object = BpfObject.open(file);
        try {
            object.setReadOnlyU32("target_tgid", ProcessHandle.current().pid());
            object.load();
            return object;
        } catch (RuntimeException e) {
            object.close();
            throw e;
        }
    }

    private static void pollUntil(RingBufferPoller poller, long records) {
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (poller.records() < records && System.nanoTime() < deadline) poller.poll(20);
    }
}
