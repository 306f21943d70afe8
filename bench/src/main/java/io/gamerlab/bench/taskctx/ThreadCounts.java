package io.gamerlab.bench.taskctx;

import static java.lang.foreign.ValueLayout.JAVA_LONG;

import io.gamerlab.bpf.BpfMap;
import io.gamerlab.bpf.BtfMember;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.HashMap;
import java.util.Map;

/**
 * What one bench program counted for its thread, read from its entry of the {@code thread_counts}
 * map ({@code struct thread_counts} in bpf/bench/taskctx_sharing.bpf.c; offsets from BTF, so the C
 * struct is their only definition).
 *
 * @param calls     getpgid calls of the thread that found (writer: made) the task context
 * @param misses    calls that found no task or no task context
 * @param workNs    the program's work, timed by bpf_ktime_get_ns() in the program, summed
 * @param valueAddr where the writer's task context lies in kernel memory, as the program saw it
 */
record ThreadCounts(long calls, long misses, long workNs, long valueAddr) {
    static final String MAP = "thread_counts";
    static final int WRITER = 0;
    static final int READER = 1;

    static ThreadCounts read(BpfMap map, int thread) {
        Map<String, BtfMember> members = new HashMap<>();
        for (BtfMember m : map.valueMembers()) members.put(m.name(), m);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment value = map.lookup(thread, arena);
            return new ThreadCounts(field(value, members, "calls"), field(value, members, "misses"), field(value, members, "work_ns"),
                    field(value, members, "value_addr"));
        }
    }

    private static long field(MemorySegment value, Map<String, BtfMember> members, String name) {
        BtfMember m = members.get(name);
        if (m == null || m.sizeBytes() != Long.BYTES)
            throw new IllegalStateException("struct thread_counts has no u64 " + name + "; its fields are " + members.keySet());
        return value.get(JAVA_LONG, m.offsetBytes());
    }

    /** The counts since {@code earlier}; where the value lies, as now. */
    ThreadCounts minus(ThreadCounts earlier) {
        return new ThreadCounts(calls - earlier.calls, misses - earlier.misses, workNs - earlier.workNs, valueAddr);
    }

    /** Every call the program saw of its thread. */
    long seen() {
        return calls + misses;
    }

    double workNsPerCall() {
        return calls == 0 ? Double.NaN : (double) workNs / calls;
    }

    /** The value's byte offset within its 64-byte cache line. */
    long lineOffset() {
        return Long.remainderUnsigned(valueAddr, 64);
    }
}
