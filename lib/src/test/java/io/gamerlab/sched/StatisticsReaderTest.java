package io.gamerlab.sched;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.gamerlab.bpf.BpfMap;
import io.gamerlab.bpf.BpfObject;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Statistics combined over CPUs from a real per-CPU map in this kernel (the host fixture's
 * {@code call_stats}, shaped like {@code struct gamer_stats}): counters add up, max_* fields take
 * the largest CPU's value.
 */
class StatisticsReaderTest {

    @Test
    void countersAreSummedAndMaximaAreTheLargestCpusValue() {
        assumeTrue("root".equals(System.getProperty("user.name")), "loading BPF needs root");
        Path fixture = SchedulerBuild.ofCheckout().root().resolve("build/bpf/fixtures/syscall_counter.bpf.o");
        try (BpfObject object = BpfObject.open(fixture); Arena arena = Arena.ofConfined()) {
            object.load();
            BpfMap map = object.map("call_stats");
            int cpus = map.possibleCpus();
            MemorySegment perCpu = arena.allocate(map.valueBufferSize(), 8);
            long sum = 0;
            long max = 0;
            for (int cpu = 0; cpu < cpus; cpu++) {
                long calls = 10 + cpu;
                long gap = cpu == cpus / 2 ? 5_000 : 100 + cpu;  // the largest gap on a middle CPU
                perCpu.set(ValueLayout.JAVA_LONG, cpu * map.valueSlotSize(), calls);
                perCpu.set(ValueLayout.JAVA_LONG, cpu * map.valueSlotSize() + 8, gap);
                sum += calls;
                max = Math.max(max, gap);
            }
            map.update(0, perCpu);
            assertEquals(Map.of("calls", sum, "max_gap_ns", max), new StatisticsReader(map).read());
        }
    }
}
