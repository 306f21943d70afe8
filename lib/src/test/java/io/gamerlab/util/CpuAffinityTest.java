package io.gamerlab.util;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.BitSet;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class CpuAffinityTest {

    private static String allowedCpus(int tid) throws IOException {
        return Files.readAllLines(Path.of("/proc/self/task/" + tid + "/status")).stream()
                .filter(l -> l.startsWith("Cpus_allowed_list:")).findFirst().orElseThrow().split(":")[1].trim();
    }

    @Test
    void anotherThreadIsPinnedToEachCpuInTurn() throws Exception {
        AtomicReference<Integer> tid = new AtomicReference<>();
        Thread sleeper = Thread.ofPlatform().start(() -> {
            tid.set(ThreadId.current());
            try {
                Thread.sleep(60_000);
            } catch (InterruptedException stop) {
                // done
            }
        });
        while (tid.get() == null) Thread.onSpinWait();
        try {
            int cpus = Runtime.getRuntime().availableProcessors();
            for (int cpu = 0; cpu < cpus; cpu++) {
                BitSet one = new BitSet();
                one.set(cpu);
                CpuAffinity.set(tid.get(), one);
                assertEquals(Integer.toString(cpu), allowedCpus(tid.get()));
            }
            BitSet all = new BitSet();
            all.set(0, cpus);
            CpuAffinity.set(tid.get(), all);
            assertEquals(cpus == 1 ? "0" : "0-" + (cpus - 1), allowedCpus(tid.get()));
        } finally {
            sleeper.interrupt();
            sleeper.join();
        }
    }

    @Test
    void aFailureNamesTheThreadTheCpuAndErrno() {
        BitSet zero = new BitSet();
        zero.set(0);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> CpuAffinity.set(Integer.MAX_VALUE, zero));
        assertTrue(e.getMessage().contains("thread " + Integer.MAX_VALUE) && e.getMessage().contains("{0}")
                && e.getMessage().contains("errno 3"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> CpuAffinity.set(1, new BitSet()));
    }
}
