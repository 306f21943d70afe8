package io.gamerlab.sched;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import io.gamerlab.bpf.BpfMap;
import io.gamerlab.bpf.BpfObject;
import io.gamerlab.bpf.BtfMember;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.HashMap;
import java.util.Map;

/**
 * What the BPF input-event path (bpf/input_events.bpf.h) counted, per CPU, read from the kernel
 * now: from each CPU's state slot in {@code input_cpus} the next sequence number, records and
 * events submitted, events staged or queued and not yet in a ring, timer flushes, retries, starts
 * and errors, events that went through the nested queue; and the per-CPU {@code input_drops}.
 * Field offsets come from the object's BTF, so the C struct is their only definition.
 */
public record InputPathCounters(long[] seq, long[] records, long[] events, long[] pending, long[] timerFlushes,
                                long[] timerRetries, long[] timerStarts, long[] timerErrors, long[] nested,
                                long[] drops) {

    static final String STATE_MAP = "input_cpus";
    static final String DROPS_MAP = "input_drops";

    /** Reads a loaded object that includes input_events.bpf.h. */
    public static InputPathCounters read(BpfObject object) {
        BpfMap state = object.map(STATE_MAP);
        Map<String, BtfMember> members = new HashMap<>();
        for (BtfMember m : state.valueMembers()) members.put(m.name(), m);
        int slots = Math.min(state.possibleCpus(), state.maxEntries());
        long[] seq = new long[slots], records = new long[slots], events = new long[slots], pending = new long[slots];
        long[] flushes = new long[slots], retries = new long[slots], starts = new long[slots], errors = new long[slots];
        long[] nested = new long[slots];
        try (Arena arena = Arena.ofConfined()) {
            for (int cpu = 0; cpu < slots; cpu++) {
                MemorySegment slot = state.lookup(cpu, arena);
                seq[cpu] = field(slot, members, "seq");
                records[cpu] = field(slot, members, "records");
                events[cpu] = field(slot, members, "events");
                // head and tail are free-running u32s: their difference is the queue's length
                long queued = (field(slot, members, "nested_head") - field(slot, members, "nested_tail")) & 0xFFFF_FFFFL;
                pending[cpu] = field(slot, members, "staged") + queued;
                flushes[cpu] = field(slot, members, "timer_flushes");
                retries[cpu] = field(slot, members, "timer_retries");
                starts[cpu] = field(slot, members, "timer_starts");
                errors[cpu] = field(slot, members, "timer_errors");
                nested[cpu] = field(slot, members, "nested");
            }
            BpfMap dropsMap = object.map(DROPS_MAP);
            MemorySegment value = dropsMap.lookup(0, arena);
            long[] drops = new long[dropsMap.possibleCpus()];
            for (int cpu = 0; cpu < drops.length; cpu++) drops[cpu] = value.get(JAVA_LONG, cpu * dropsMap.valueSlotSize());
            return new InputPathCounters(seq, records, events, pending, flushes, retries, starts, errors, nested, drops);
        }
    }

    private static long field(MemorySegment slot, Map<String, BtfMember> members, String name) {
        BtfMember m = members.get(name);
        if (m == null) throw new IllegalStateException("struct gamer_input_cpu has no field " + name + "; its fields are " + members.keySet());
        return switch ((int) m.sizeBytes()) {
            case 8 -> slot.get(JAVA_LONG, m.offsetBytes());
            case 4 -> Integer.toUnsignedLong(slot.get(JAVA_INT, m.offsetBytes()));
            default -> throw new IllegalStateException("field " + name + " of struct gamer_input_cpu is " + m.sizeBytes() + " bytes");
        };
    }

    public static long sum(long[] values) {
        long s = 0;
        for (long v : values) s += v;
        return s;
    }

    public long totalSeq() {
        return sum(seq);
    }

    public long totalRecords() {
        return sum(records);
    }

    public long totalEvents() {
        return sum(events);
    }

    public long totalPending() {
        return sum(pending);
    }

    public long totalTimerFlushes() {
        return sum(timerFlushes);
    }

    public long totalTimerRetries() {
        return sum(timerRetries);
    }

    public long totalTimerStarts() {
        return sum(timerStarts);
    }

    public long totalTimerErrors() {
        return sum(timerErrors);
    }

    public long totalNested() {
        return sum(nested);
    }

    public long totalDrops() {
        return sum(drops);
    }
}
