package io.gamerlab.bpf;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.gamerlab.util.Capabilities;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.nio.file.Files;
import java.nio.file.Path;

/** The BPF objects the tests load, and what the tests need of the host. */
final class Fixtures {
    private static final MethodHandle GETPGID = Linker.nativeLinker().downcallHandle(
            Linker.nativeLinker().defaultLookup().find("getpgid").orElseThrow(),
            FunctionDescriptor.of(JAVA_INT, JAVA_INT));

    private Fixtures() {
    }

    /** build/bpf/fixtures/syscall_counter.bpf.o, which `make -C bpf` builds. */
    static Path syscallCounter() {
        return fixture("syscall_counter");
    }

    /** build/bpf/fixtures/{@code name}.bpf.o, from bpf/fixtures/{@code name}.bpf.c. */
    static Path fixture(String name) {
        Path object = buildDirectory().resolve("fixtures/" + name + ".bpf.o");
        assertTrue(Files.isRegularFile(object), object + " is missing: build the BPF fixtures with make -C bpf");
        return object;
    }

    static Path buildDirectory() {
        String root = System.getProperty("gamerlab.root");
        assertTrue(root != null, "system property gamerlab.root (the repository root) is not set; run the tests through mvn");
        return Path.of(root, "build/bpf");
    }

    /** Loading and attaching BPF needs root (CAP_BPF + CAP_PERFMON) here. */
    static void assumeRoot() {
        assumeTrue(Capabilities.effectiveUid() == 0, "loading BPF programs needs root; these tests are skipped for uid " + Capabilities.effectiveUid());
    }

    /** The syscall_counter fixture's count, over every CPU's slot of its per-CPU map. */
    static long callsOverAllCpus(BpfMap calls) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment perCpu = calls.lookup(0, arena);
            long sum = 0;
            for (int cpu = 0; cpu < calls.possibleCpus(); cpu++) {
                sum += perCpu.get(JAVA_LONG, cpu * calls.valueSlotSize());
            }
            return sum;
        }
    }

    /** The syscall the fixture counts (121 on x86_64); glibc's wrapper does not cache it. */
    static void getpgid(int times) {
        try {
            for (int i = 0; i < times; i++) {
                int _ = (int) GETPGID.invokeExact(0);
            }
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }
}
