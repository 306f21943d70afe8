package io.gamerlab.measure;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * Builds {@code struct perf_event_attr} for counting. Only the fields set here are named; the
 * rest stay zero. Offsets are from linux/perf_event.h (x86_64, checked against gcc's offsetof).
 */
final class PerfEventAttr {
    /**
     * PERF_ATTR_SIZE_VER8 (adds config3, Linux 6.3). Older kernels accept it too: they take a
     * larger struct as long as the bytes they do not know are zero.
     */
    static final int SIZE = 136;

    private static final long TYPE_OFFSET = 0;          // __u32 type
    private static final long SIZE_OFFSET = 4;          // __u32 size
    private static final long CONFIG_OFFSET = 8;        // __u64 config
    private static final long READ_FORMAT_OFFSET = 32;  // __u64 read_format
    private static final long FLAGS_OFFSET = 40;        // __u64 disabled:1, inherit:1, pinned:1, ... bitfield

    static final long FORMAT_TOTAL_TIME_ENABLED = 1L << 0;
    static final long FORMAT_TOTAL_TIME_RUNNING = 1L << 1;
    /** What read() returns with the format above: {@code { u64 value; u64 time_enabled; u64 time_running; }}. */
    static final long READING_BYTES = 3 * Long.BYTES;

    private static final long FLAG_DISABLED = 1L << 0;
    /** Threads the counted thread creates afterwards are counted too (and their children). */
    private static final long FLAG_INHERIT = 1L << 1;

    private PerfEventAttr() {
    }

    /** A disabled, inheriting counter of {@code event} that reports enabled and running time. */
    static MemorySegment forCounting(PerfEvent event, Arena arena) {
        MemorySegment attr = arena.allocate(SIZE, Long.BYTES); // allocate() zero-fills
        attr.set(JAVA_INT, TYPE_OFFSET, event.type());
        attr.set(JAVA_INT, SIZE_OFFSET, SIZE);
        attr.set(JAVA_LONG, CONFIG_OFFSET, event.config());
        attr.set(JAVA_LONG, READ_FORMAT_OFFSET, FORMAT_TOTAL_TIME_ENABLED | FORMAT_TOTAL_TIME_RUNNING);
        attr.set(JAVA_LONG, FLAGS_OFFSET, FLAG_DISABLED | FLAG_INHERIT);
        return attr;
    }
}
