package io.gamerlab.bench;

import static java.lang.foreign.MemoryLayout.PathElement.groupElement;
import static java.lang.foreign.MemoryLayout.paddingLayout;
import static java.lang.foreign.MemoryLayout.structLayout;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.invoke.VarHandle;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Group;
import org.openjdk.jmh.annotations.GroupThreads;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * <b>Question.</b> A task context holds read-mostly classification fields (role, flags, weight: set
 * when the task is classified, read on every scheduling decision) and write-heavy counters (vtime,
 * runtime, number of runs: bumped every time the task runs). When one CPU bumps the counters while
 * another CPU reads the flags, does it matter whether both groups share a cache line?
 *
 * <p><b>How.</b> One JMH {@code @Group} of two threads shares one off-heap context (an FFM
 * {@link MemorySegment}, like the BPF map value it stands for): {@code write} bumps the counters,
 * {@code read} reads the flags. {@code @Param layout}:
 * <ul>
 *   <li>{@code packed}: flags and counters in one 64-byte line (the naive struct);</li>
 *   <li>{@code split}: read-mostly fields in line 0, write-heavy ones in line 1;</li>
 *   <li>{@code padded}: split plus 128 bytes of padding between the two groups, so they also sit in
 *       different 128-byte line pairs, out of reach of the adjacent-line (spatial) prefetcher that
 *       fetches a line's buddy and can drag it away from the other core.</li>
 * </ul>
 * Fields are accessed through {@link VarHandle}s derived from a {@link StructLayout}, one layout
 * per group; the {@code layout} parameter only moves the base offset of the write-heavy group.
 *
 * <p><b>Access modes, and why.</b> The writer reads its counters with a plain {@code get} (it is
 * their only writer, nobody else can change them) and stores them with {@code setOpaque}: opaque
 * forbids the JIT from keeping the counter in a register across calls or coalescing stores, so
 * every call really writes the line, yet costs nothing extra on x86 (a plain {@code mov}). The last
 * store, {@code nr_runs}, is {@code setRelease}: a stats reader that reads it with
 * {@code getAcquire} sees the counters stored before it (the usual single-writer publication).
 * The reader uses {@code getOpaque} so every call really loads the flags (no hoisting), without
 * ordering it does not need. No {@code setVolatile}: its StoreLoad fence ({@code lock add}) would
 * cost more than the cache-line transfer we are trying to see.
 *
 * <p><b>Reading the result.</b> The primary score is both threads' operations together (ops/us);
 * the secondary metrics {@code read} and {@code write} split it per role. {@code packed/split < 1}
 * means sharing the line costs throughput (false sharing between a reader and a writer: every
 * write invalidates the reader's copy). {@code split ~ padded} means the adjacent-line prefetcher
 * does not matter on this host; {@code padded > split} means it does. On 2 shared vCPUs expect
 * noise of 10-20%: trust only large ratios.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@State(Scope.Group)
public class FalseSharingBench {

    /** Written when the task is classified, read at every enqueue/dispatch: 16 bytes. */
    static final StructLayout READ_MOSTLY = structLayout(
            JAVA_INT.withName("role"),
            JAVA_INT.withName("flags"),
            JAVA_LONG.withName("weight")).withName("read_mostly");

    /** Bumped every time the task runs: 32 bytes. */
    static final StructLayout WRITE_HEAVY = structLayout(
            JAVA_LONG.withName("vtime"),
            JAVA_LONG.withName("runtime_ns"),
            JAVA_LONG.withName("last_ran_ns"),
            JAVA_LONG.withName("nr_runs")).withName("write_heavy");

    /** The three shapes of the whole context; each is a multiple of 64 bytes. */
    public enum Layout {
        packed(structLayout(READ_MOSTLY, WRITE_HEAVY, paddingLayout(16))),
        split(structLayout(READ_MOSTLY, paddingLayout(48), WRITE_HEAVY, paddingLayout(32))),
        padded(structLayout(READ_MOSTLY, paddingLayout(48), paddingLayout(128), WRITE_HEAVY, paddingLayout(32)));

        final StructLayout context;

        Layout(StructLayout context) {
            this.context = context;
        }

        long writeHeavyOffset() {
            return context.byteOffset(groupElement("write_heavy"));
        }
    }

    // VarHandles from a layout take (segment, base offset): one handle serves all three layouts.
    private static final VarHandle ROLE = READ_MOSTLY.varHandle(groupElement("role"));
    private static final VarHandle FLAGS = READ_MOSTLY.varHandle(groupElement("flags"));
    private static final VarHandle WEIGHT = READ_MOSTLY.varHandle(groupElement("weight"));
    private static final VarHandle VTIME = WRITE_HEAVY.varHandle(groupElement("vtime"));
    private static final VarHandle RUNTIME = WRITE_HEAVY.varHandle(groupElement("runtime_ns"));
    private static final VarHandle LAST_RAN = WRITE_HEAVY.varHandle(groupElement("last_ran_ns"));
    private static final VarHandle NR_RUNS = WRITE_HEAVY.varHandle(groupElement("nr_runs"));

    @Param({"packed", "split", "padded"})
    public Layout layout;

    private Arena arena;
    private MemorySegment ctx;
    private long writeBase;

    @Setup(Level.Trial)
    public void allocate() {
        arena = Arena.ofShared();
        // 128-byte aligned, so "line 0", "line 1" and "pair" mean what the layouts say.
        ctx = arena.allocate(Math.max(128, layout.context.byteSize()), 128);
        writeBase = layout.writeHeavyOffset();
        ROLE.set(ctx, 0L, 2);
        FLAGS.set(ctx, 0L, 0b101);
        WEIGHT.set(ctx, 0L, 1024L);
    }

    @TearDown(Level.Trial)
    public void free() {
        arena.close();
    }

    /** One "task ran" update: the write-heavy line is written by this thread only. */
    @Benchmark
    @Group("ctx")
    @GroupThreads(1)
    public void write() {
        long base = writeBase;
        long runs = (long) NR_RUNS.get(ctx, base);
        VTIME.setOpaque(ctx, base, (long) VTIME.get(ctx, base) + 3);
        RUNTIME.setOpaque(ctx, base, (long) RUNTIME.get(ctx, base) + 1000);
        LAST_RAN.setOpaque(ctx, base, runs);
        NR_RUNS.setRelease(ctx, base, runs + 1);
    }

    /** One scheduling decision's look at the classification. */
    @Benchmark
    @Group("ctx")
    @GroupThreads(1)
    public long read() {
        int role = (int) ROLE.getOpaque(ctx, 0L);
        int flags = (int) FLAGS.getOpaque(ctx, 0L);
        long weight = (long) WEIGHT.getOpaque(ctx, 0L);
        return (flags & 1) != 0 ? weight * role : weight;
    }
}
