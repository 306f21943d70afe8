package io.gamerlab.experiment;

import io.gamerlab.bpf.ProgramInfo;
import io.gamerlab.measure.Column;
import io.gamerlab.measure.Provenance;
import io.gamerlab.measure.RunTable;
import io.gamerlab.sched.SchedExtState;
import io.gamerlab.sched.Scheduler;
import io.gamerlab.sched.Tunables;
import io.gamerlab.sched.Variant;
import io.gamerlab.util.FileHash;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.UUID;
import tech.tablesaw.api.Table;

/**
 * Loads every variant in turn on this kernel: each must pass the verifier, which is where the
 * builds' code differs. Those of a pairwise covering set ({@link Variant#pairwise}) are attached
 * too: each must show as our enabled scheduler and leave sched_ext disabled when detached, so every
 * value of each axis is seen scheduling beside every value of every other axis. One table row set
 * per variant records that, with the programs' verified/translated/JIT sizes and, if attached,
 * which hooks attached.
 */
public final class MatrixCheck {

    /** How long each variant stays attached: long enough for the kernel to schedule with it. */
    private static final Duration HOLD = Duration.ofMillis(300);

    private MatrixCheck() { }

    /**
     * Loads and attaches the variant, holds it, and detaches it. A variant the kernel refuses is a
     * row with value 0 and the log's last lines, not an abort.
     */
    private static void attach(Variant variant, Path object, RunTable table) throws InterruptedException {
        Scheduler scheduler;
        try {
            scheduler = Scheduler.load(variant, object, Tunables.defaults());
        } catch (RuntimeException rejected) {
            refused(rejected, table);
            return;
        }
        try (scheduler) {
            table.add("sched_ext", "loaded", "bool", 1).add("sched_ext", "attached", "bool", 1);
            Thread.sleep(HOLD);
            SchedExtState during = SchedExtState.read();
            table.add("sched_ext", "enabled_during", "bool", during.enabled() && during.ops().equals("gamerlab") ? 1 : 0);
            table.addPrograms(scheduler.programs()).addHooks(scheduler.hooks());
            scheduler.close();
            table.add("sched_ext", "exit_kind", "code", scheduler.exitReport().kind());
        }
    }

    /** Loads the variant through the verifier and unloads it, never scheduling; a refusal is recorded as {@link #attach} records it. */
    private static void verify(Variant variant, Path object, RunTable table) {
        List<ProgramInfo> programs;
        try {
            programs = Scheduler.verify(variant, object, Tunables.defaults());
        } catch (RuntimeException rejected) {
            refused(rejected, table);
            return;
        }
        table.add("sched_ext", "loaded", "bool", 1).row("sched_ext", "attached", "bool", 0, Column.Status.OK, "verified only: not in the pairwise set");
        table.addPrograms(programs);
    }

    private static void refused(RuntimeException rejected, RunTable table) {
        String message = String.valueOf(rejected.getMessage());
        table.row("sched_ext", "loaded", "bool", 0, Column.Status.FAILED, message.substring(Math.max(0, message.length() - 2000)));
    }

    public static Table run(Map<Variant, Path> objects, String backend, String clock, String gitCommit)
            throws InterruptedException {
        Table all = null;
        List<Variant> attached = Variant.pairwise(List.copyOf(objects.keySet()));
        for (Map.Entry<Variant, Path> e : objects.entrySet()) {
            Provenance provenance = Provenance.startingNow(new Provenance.Cell("matrix-check", UUID.randomUUID().toString(), 1,
                    OptionalLong.empty(), true, e.getKey().label(), FileHash.sha256(e.getValue()), "matrix-check", "",
                    RunSpec.tunablesText(Tunables.defaults())),
                    Provenance.Machine.here(backend, clock), gitCommit);
            RunTable table = new RunTable(provenance);
            long start = System.nanoTime();
            boolean attach = attached.contains(e.getKey());
            if (attach) attach(e.getKey(), e.getValue(), table);
            else verify(e.getKey(), e.getValue(), table);
            System.out.printf("gamerlab: %s %s in %.1f s%n", attach ? "attached" : "verified", e.getKey(), (System.nanoTime() - start) / 1e9);
            table.add("sched_ext", "disabled_after", "bool", SchedExtState.read().state().equals("disabled") ? 1 : 0);
            if (all == null) all = table.table().setName("matrix check");
            else all.append(table.table());
        }
        if (all == null) throw new IllegalArgumentException("no variants to check");
        return all;
    }
}
