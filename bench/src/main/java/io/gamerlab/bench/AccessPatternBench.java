package io.gamerlab.bench;

import static java.lang.foreign.MemoryLayout.PathElement.groupElement;
import static java.lang.foreign.MemoryLayout.paddingLayout;
import static java.lang.foreign.MemoryLayout.structLayout;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import io.gamerlab.util.CacheSizes;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.invoke.VarHandle;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.infra.Blackhole;

/**
 * <b>Question.</b> The scheduler walks per-CPU contexts (64-byte records, one cache line each).
 * When could a software prefetch, or a layout change that makes the walk sequential, matter at
 * all? Only when the records are not already in a near cache and the hardware prefetcher cannot
 * guess the next address.
 *
 * <p><b>How.</b> An off-heap array of 64-byte records (an FFM {@link MemorySegment}, one
 * {@link StructLayout} per record) sized by {@code @Param size}: {@code L1} (half the L1d),
 * {@code L2} (half the L2), {@code beyondLLC} (4x the last-level cache), sizes read from
 * {@code /sys/devices/system/cpu/cpu0/cache} and rounded down to a power of two of records. Three
 * walks each touch one field of every record once per lap:
 * <ul>
 *   <li>{@code sequential}: record i, i+1, ... : the stream prefetcher's best case;</li>
 *   <li>{@code strided}: record i, i+17, ... (1088 bytes apart, crossing pages): a constant stride a
 *       stride prefetcher may still follow, and independent loads the core can overlap;</li>
 *   <li>{@code pointerChase}: follow {@code next} through one random cycle over all records: each
 *       address depends on the previous load, so neither prefetcher nor out-of-order core can run
 *       ahead. This is the latency of the cache level (plus TLB misses beyond the LLC).</li>
 * </ul>
 * Each call makes {@value #STEPS} steps from where the previous call stopped, so the score is
 * directly <b>ns per element</b> ({@code @OperationsPerInvocation}); the sum goes to a
 * {@link Blackhole} so the loads cannot be removed.
 *
 * <p><b>Reading the result.</b> Compare pointerChase/sequential per size. Near 1 in {@code L1}:
 * nothing to gain, the data is there. Growing with size: the gap a prefetch (or a sequential
 * layout) could close. If even {@code beyondLLC} pointer chasing costs little next to the
 * scheduler's per-decision budget, prefetching cannot pay off there.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@OperationsPerInvocation(AccessPatternBench.STEPS)
@State(Scope.Thread)
public class AccessPatternBench {

    static final int STEPS = 1 << 14;
    static final int STRIDE = 17;

    /** A per-CPU context as the scheduler would keep it: 64 bytes, one line. */
    static final StructLayout CPU_CONTEXT = structLayout(
            JAVA_LONG.withName("next"),      // index of another record: the chase link
            JAVA_LONG.withName("vtime_now"),
            JAVA_LONG.withName("nr_queued"),
            JAVA_INT.withName("cpu"),
            JAVA_INT.withName("flags"),
            paddingLayout(32)).withName("cpu_context");

    private static final VarHandle NEXT = CPU_CONTEXT.varHandle(groupElement("next"));
    private static final VarHandle VTIME = CPU_CONTEXT.varHandle(groupElement("vtime_now"));
    private static final long RECORD = CPU_CONTEXT.byteSize();

    @Param({"L1", "L2", "beyondLLC"})
    public String size;

    private Arena arena;
    private MemorySegment records;
    private long mask;
    private long sequentialAt, stridedAt, chaseAt;

    /** Records for a size label on this host: a power of two. */
    static long recordsFor(String size, CacheSizes caches) {
        long bytes = switch (size) {
            case "L1" -> caches.l1d() / 2;
            case "L2" -> caches.l2() / 2;
            case "beyondLLC" -> caches.llc() * 4;
            default -> throw new IllegalArgumentException("size is L1, L2 or beyondLLC, not " + size);
        };
        return Long.highestOneBit(Math.max(bytes / RECORD, 64));
    }

    @Setup(Level.Trial)
    public void build() {
        long n = recordsFor(size, CacheSizes.ofThisHost());
        mask = n - 1;
        arena = Arena.ofConfined();
        records = arena.allocate(n * RECORD, 4096);
        // A random visiting order (Fisher-Yates); linking each record to the next one in that order
        // makes a single cycle through all records, so the chase never settles in a short loop.
        long[] order = new long[(int) n];
        for (int i = 0; i < n; i++) order[i] = i;
        SplittableRandom random = new SplittableRandom(42);
        for (int i = (int) n - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            long t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        for (int i = 0; i < n; i++) {
            NEXT.set(records, order[i] * RECORD, order[(i + 1) % (int) n]);
            VTIME.set(records, (long) i * RECORD, (long) i);
        }
    }

    @TearDown(Level.Trial)
    public void free() {
        arena.close();
    }

    @Benchmark
    public void sequential(Blackhole bh) {
        long i = sequentialAt, sum = 0;
        for (int s = 0; s < STEPS; s++, i++) sum += (long) VTIME.get(records, (i & mask) * RECORD);
        sequentialAt = i;
        bh.consume(sum);
    }

    @Benchmark
    public void strided(Blackhole bh) {
        long i = stridedAt, sum = 0;
        for (int s = 0; s < STEPS; s++, i += STRIDE) sum += (long) VTIME.get(records, (i & mask) * RECORD);
        stridedAt = i;
        bh.consume(sum);
    }

    @Benchmark
    public void pointerChase(Blackhole bh) {
        long p = chaseAt;
        for (int s = 0; s < STEPS; s++) p = (long) NEXT.get(records, p * RECORD);
        chaseAt = p;
        bh.consume(p);
    }
}
