package io.gamerlab.bench.ringbuf;

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
 * What input_events.bpf.h counted, per CPU, read from the kernel now: the state slots
 * ({@code input_cpus}: next sequence number, records and events submitted, staged and queued
 * events, timer flushes and retries, nested events) and the per-CPU {@code input_drops}.
 * Field offsets come from the object's BTF.
 */
record InputCounters(long[] seq, long[] records, long[] events, long[] pending, long[] timerFlushes, long[] timerRetries,
                     long[] nested, long[] timerErrors, long[] drops) {

    static InputCounters read(BpfObject object) {
        BpfMap state = object.map("input_cpus");
        Map<String, BtfMember> members = new HashMap<>();
        for (BtfMember m : state.valueMembers()) members.put(m.name(), m);
        int slots = Math.min(state.possibleCpus(), state.maxEntries());
        long[] seq = new long[slots], records = new long[slots], events = new long[slots], pending = new long[slots];
        long[] flushes = new long[slots], retries = new long[slots], nested = new long[slots], errors = new long[slots];
        try (Arena arena = Arena.ofConfined()) {
            for (int cpu = 0; cpu < slots; cpu++) {
                MemorySegment slot = state.lookup(cpu, arena);
                seq[cpu] = field(slot, members, "seq");
                records[cpu] = field(slot, members, "records");
                events[cpu] = field(slot, members, "events");
                pending[cpu] = field(slot, members, "staged")
                        + ((field(slot, members, "nested_head") - field(slot, members, "nested_tail")) & 0xFFFF_FFFFL);
                flushes[cpu] = field(slot, members, "timer_flushes");
                retries[cpu] = field(slot, members, "timer_retries");
                nested[cpu] = field(slot, members, "nested");
                errors[cpu] = field(slot, members, "timer_errors");
            }
            BpfMap dropsMap = object.map("input_drops");
            int cpus = dropsMap.possibleCpus();
            MemorySegment value = dropsMap.lookup(0, arena);
            long[] drops = new long[cpus];
            for (int cpu = 0; cpu < cpus; cpu++) drops[cpu] = value.get(JAVA_LONG, cpu * dropsMap.valueSlotSize());
            return new InputCounters(seq, records, events, pending, flushes, retries, nested, errors, drops);
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

    static long sum(long[] values) {
        long s = 0;
        for (long v : values) s += v;
        return s;
    }

    long totalSeq() {
        return sum(seq);
    }

    long totalRecords() {
        return sum(records);
    }

    long totalEvents() {
        return sum(events);
    }

    long totalPending() {
        return sum(pending);
    }

    long totalDrops() {
        return sum(drops);
    }
}
