package io.gamerlab.sched;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gamerlab.bpf.BpfObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The scheduler calls sched_ext's kfuncs by their Linux 6.13 names; on a kernel without them the
 * load must stop before libbpf, with an error naming what is missing and the minimum kernel.
 */
class SchedulerKernelMinimumTest {

    private static List<String> kfuncsOfTheScheduler() {
        try (BpfObject object = BpfObject.open(SchedulerBuild.ofCheckout().object(Variant.BASELINE))) {
            return object.kernelFunctions();
        }
    }

    private static KernelFunctions kallsyms(Path dir, List<String> functions) throws IOException {
        Path file = dir.resolve("kallsyms");
        Files.writeString(file, functions.stream().map(f -> "ffffffff81000000 T " + f).collect(Collectors.joining("\n")) + "\n");
        return KernelFunctions.parse(file);
    }

    @Test
    void theSchedulerCallsThe613KfuncNames() {
        List<String> kfuncs = kfuncsOfTheScheduler();
        for (String name : List.of("scx_bpf_dsq_insert", "scx_bpf_dsq_insert_vtime", "scx_bpf_dsq_move_to_local"))
            assertTrue(kfuncs.contains(name), name + " in " + kfuncs);
    }

    @Test
    void aKernelWithThe612NamesIsRefusedNamingTheMissingKfuncsAndTheMinimum(@TempDir Path dir) throws IOException {
        List<String> kfuncs = kfuncsOfTheScheduler();
        List<String> linux612 = new java.util.ArrayList<>(kfuncs.stream().filter(f -> !f.startsWith("scx_bpf_dsq_")).toList());
        linux612.addAll(List.of("scx_bpf_dispatch", "scx_bpf_dispatch_vtime", "scx_bpf_consume"));
        SchedExtUnavailableException e = assertThrows(SchedExtUnavailableException.class,
                () -> Scheduler.requireKernelFunctions(kfuncs, kallsyms(dir, linux612)));
        assertTrue(e.getMessage().contains("scx_bpf_dsq_insert") && e.getMessage().contains("scx_bpf_dsq_move_to_local"), e.getMessage());
        assertTrue(e.getMessage().contains("Linux >= 6.13"), e.getMessage());
        assertDoesNotThrow(() -> Scheduler.requireKernelFunctions(kfuncs, kallsyms(dir, kfuncs)));
    }
}
