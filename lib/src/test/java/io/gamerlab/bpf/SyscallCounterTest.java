package io.gamerlab.bpf;

import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Loads a real BPF program into this kernel and checks what it counts, end to end through libbpf. */
class SyscallCounterTest {
    private static final int CALLS = 1000;

    @BeforeEach
    void needsRoot() {
        Fixtures.assumeRoot();
    }

    @Test
    void countsThisProcessGetpgidCallsWhileAttachedOnly() {
        try (BpfObject object = BpfObject.open(Fixtures.syscallCounter())) {
            assertEquals(List.of("count_getpgid"), object.programNames());
            object.setReadOnlyU32("target_tgid", ProcessHandle.current().pid());
            object.load();
            BpfMap calls = object.map("calls");
            assertEquals(0, Fixtures.callsOverAllCpus(calls));

            try (BpfLink link = object.attachProgram("count_getpgid")) {
                Fixtures.getpgid(CALLS);
            }
            assertEquals(CALLS, Fixtures.callsOverAllCpus(calls), "getpgid calls counted while attached");

            Fixtures.getpgid(CALLS);
            assertEquals(CALLS, Fixtures.callsOverAllCpus(calls), "the count moved after the link was closed");
        }
    }

    @Test
    void anUnsignedTunableTakesItsWidthFromBtfAndABssGlobalIsReadBack() {
        try (BpfObject object = BpfObject.open(Fixtures.syscallCounter())) {
            IllegalArgumentException tooWide = assertThrows(IllegalArgumentException.class,
                    () -> object.setReadOnlyUnsigned("target_tgid", 1L << 32));
            assertTrue(tooWide.getMessage().contains("32 bits"), tooWide.getMessage());
            IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class,
                    () -> object.setReadOnlyUnsigned("target_pid", 1));
            assertTrue(unknown.getMessage().contains("target_tgid"), "lists the variables there are: " + unknown.getMessage());
            object.setReadOnlyUnsigned("target_tgid", ProcessHandle.current().pid());
            assertThrows(IllegalStateException.class, () -> object.readGlobalUnsigned("last_call_ns"), "before load");
            object.load();
            assertEquals(0, object.readGlobalUnsigned("last_call_ns"));
            long before = System.nanoTime();
            try (BpfLink link = object.attachProgram("count_getpgid")) {
                Fixtures.getpgid(CALLS);
            }
            long last = object.readGlobalUnsigned("last_call_ns");
            assertTrue(last >= before && last <= System.nanoTime(), "the .bss global holds the last call's CLOCK_MONOTONIC time");
            assertThrows(IllegalArgumentException.class, () -> object.readGlobalUnsigned("nothing_here"));
        }
    }

    @Test
    void aDataGlobalWrittenWhileAttachedChangesWhatTheProgramDoesAtOnce() {
        try (BpfObject object = BpfObject.open(Fixtures.syscallCounter())) {
            object.setReadOnlyU32("target_tgid", ProcessHandle.current().pid());
            assertThrows(IllegalStateException.class, () -> object.writeGlobalUnsigned("counting", 0), "before load");
            object.load();
            BpfMap calls = object.map("calls");
            assertEquals(1, object.readGlobalUnsigned("counting"), "the .data global's initial value");
            try (BpfLink link = object.attachProgram("count_getpgid")) {
                Fixtures.getpgid(CALLS);
                object.writeGlobalUnsigned("counting", 0);
                assertEquals(0, object.readGlobalUnsigned("counting"), "the kernel's copy, read through the map");
                Fixtures.getpgid(CALLS);
                assertEquals(CALLS, Fixtures.callsOverAllCpus(calls), "calls counted after counting was set to 0");
                object.writeGlobalUnsigned("counting", 1);
                Fixtures.getpgid(CALLS);
            }
            assertEquals(2 * CALLS, Fixtures.callsOverAllCpus(calls));
            IllegalArgumentException tooWide = assertThrows(IllegalArgumentException.class,
                    () -> object.writeGlobalUnsigned("counting", 1L << 32));
            assertTrue(tooWide.getMessage().contains("32 bits"), tooWide.getMessage());
            IllegalArgumentException readOnly = assertThrows(IllegalArgumentException.class,
                    () -> object.writeGlobalUnsigned("target_tgid", 1));
            assertTrue(readOnly.getMessage().contains("counting") && readOnly.getMessage().contains("last_call_ns"),
                    "lists the writable globals there are: " + readOnly.getMessage());
        }
    }

    @Test
    void listsTheKernelFunctionsAnObjectCalls() {
        try (BpfObject object = BpfObject.open(Fixtures.syscallCounter())) {
            assertEquals(List.of(), object.kernelFunctions(), "the counter calls helpers only, no kfunc");
        }
    }

    @Test
    void ignoresOtherProcessesWhenTargetTgidPointsElsewhere() {
        try (BpfObject object = BpfObject.open(Fixtures.syscallCounter())) {
            object.setReadOnlyU32("target_tgid", ProcessHandle.current().pid() + 1_000_000L);
            object.load();
            try (BpfLink link = object.attachProgram("count_getpgid")) {
                Fixtures.getpgid(CALLS);
            }
            assertEquals(0, Fixtures.callsOverAllCpus(object.map("calls")), "target_tgid did not reach the kernel's .rodata");
        }
    }

    @Test
    void describesAPerCpuMapAndRoundTripsEveryCpusSlot() {
        try (BpfObject object = BpfObject.open(Fixtures.syscallCounter()); Arena arena = Arena.ofConfined()) {
            object.load();
            BpfMap calls = object.map("calls");
            assertEquals("calls", calls.name());
            assertTrue(calls.isPerCpu());
            assertEquals(4, calls.keySize());
            assertEquals(8, calls.valueSize());
            assertTrue(calls.possibleCpus() >= Runtime.getRuntime().availableProcessors(), "possible CPUs " + calls.possibleCpus());
            assertEquals(8L * calls.possibleCpus(), calls.valueBufferSize());
            assertTrue(calls.fd() >= 0);

            MemorySegment perCpu = arena.allocate(calls.valueBufferSize(), 8);
            for (int cpu = 0; cpu < calls.possibleCpus(); cpu++) {
                perCpu.setAtIndex(JAVA_LONG, cpu, 100 + cpu);
            }
            calls.update(0, perCpu);
            MemorySegment readBack = calls.lookup(0, arena);
            for (int cpu = 0; cpu < calls.possibleCpus(); cpu++) {
                assertEquals(100 + cpu, readBack.getAtIndex(JAVA_LONG, cpu), "CPU " + cpu + "'s slot");
            }
        }
    }
}
