package io.gamerlab.workload;

import static java.lang.foreign.ValueLayout.JAVA_LONG;

import io.gamerlab.util.CacheSizes;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.function.BooleanSupplier;

/**
 * Off-heap memory streamed through line by line, each 64-byte line read and written once per
 * pass: sized a few times the last-level cache, a pass leaves none of what was cached before (and
 * writes dirty lines back). Off-heap so that its size is not bounded by the Java heap (the guest
 * JVM runs with a small one). Not thread-safe: one thread streams it.
 */
final class StreamBuffer implements AutoCloseable {

    static final int LINE = 64;
    /** Lines between checks for a stop: a pass over a large buffer under TCG takes long. */
    private static final long CHECK_EVERY = 1 << 14;

    private final Arena arena = Arena.ofShared();
    private final MemorySegment memory;

    StreamBuffer(long bytes) {
        this.memory = arena.allocate(bytes, LINE);
        pass(() -> false);  // touch every page now, not in the first measured pass
    }

    /** A buffer of {@code multiple} times this machine's last-level cache. */
    static StreamBuffer llcMultiple(int multiple) {
        return new StreamBuffer(multiple * CacheSizes.ofThisHost().llc());
    }

    long bytes() {
        return memory.byteSize();
    }

    /** One pass, or less if {@code stopped} turns true; returns the bytes streamed. */
    long pass(BooleanSupplier stopped) {
        long lines = memory.byteSize() / LINE;
        for (long i = 0; i < lines; i++) {
            long at = i * LINE;
            memory.set(JAVA_LONG, at, memory.get(JAVA_LONG, at) + 1);
            if (i % CHECK_EVERY == CHECK_EVERY - 1 && stopped.getAsBoolean()) return (i + 1) * LINE;
        }
        return lines * LINE;
    }

    @Override
    public void close() {
        arena.close();
    }
}
