package io.gamerlab.sched;

import io.gamerlab.bpf.BpfMap;
import io.gamerlab.bpf.BtfMember;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Combines a per-CPU map of u64 statistics over CPUs: a field named {@code max_*} is a maximum
 * (the largest CPU's value), every other field a counter (the sum). The names come from the map's
 * BTF, so {@code struct gamer_stats} in bpf/gamer.h is their only definition.
 */
final class StatisticsReader {

    static final String MAXIMUM_PREFIX = "max_";

    private final BpfMap map;
    private final List<BtfMember> counters;

    StatisticsReader(BpfMap map) {
        if (!map.isPerCpu()) throw new IllegalArgumentException("map " + map.name() + " is not per-CPU");
        this.map = map;
        this.counters = map.valueMembers();
        for (BtfMember m : counters)
            if (m.sizeBytes() != Long.BYTES)
                throw new IllegalArgumentException("statistics field " + m.name() + " is not a u64");
    }

    Map<String, Long> read() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment all = map.lookup(0, arena);
            long stride = (map.valueSize() + 7) & ~7L;  // the kernel rounds each CPU's copy up to 8 bytes
            Map<String, Long> sums = new LinkedHashMap<>();
            for (BtfMember m : counters) {
                boolean maximum = m.name().startsWith(MAXIMUM_PREFIX);
                long combined = 0;
                for (int cpu = 0; cpu < map.possibleCpus(); cpu++) {
                    long value = all.get(ValueLayout.JAVA_LONG, cpu * stride + m.offsetBytes());
                    combined = maximum ? Math.max(combined, value) : combined + value;
                }
                sums.put(m.name(), combined);
            }
            return sums;
        }
    }
}
