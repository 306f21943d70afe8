package io.gamerlab.sched;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import org.junit.jupiter.api.Test;

/**
 * InputEventStream compares bpf_ktime_get_ns() (CLOCK_MONOTONIC) with System.nanoTime(): this
 * checks that System.nanoTime() is clock_gettime(CLOCK_MONOTONIC). (InputEventStreamTest checks
 * the BPF side: every BPF timestamp falls between System.nanoTime() before and after the calls.)
 */
class InputEventClockTest {
    private static final int CLOCK_MONOTONIC = 1;
    private static final MethodHandle CLOCK_GETTIME = Linker.nativeLinker().downcallHandle(
            Linker.nativeLinker().defaultLookup().find("clock_gettime").orElseThrow(),
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, java.lang.foreign.ValueLayout.ADDRESS));

    @Test
    void systemNanoTimeReadsClockMonotonic() throws Throwable {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment timespec = arena.allocate(16, 8);
            for (int i = 0; i < 1000; i++) {
                long before = System.nanoTime();
                assertEquals(0, (int) CLOCK_GETTIME.invokeExact(CLOCK_MONOTONIC, timespec));
                long after = System.nanoTime();
                long monotonic = timespec.get(JAVA_LONG, 0) * 1_000_000_000L + timespec.get(JAVA_LONG, 8);
                assertTrue(before <= monotonic && monotonic <= after,
                        "CLOCK_MONOTONIC " + monotonic + " is not between System.nanoTime() " + before + " and " + after);
            }
        }
    }
}
