package io.gamerlab.experiment;

import io.gamerlab.measure.Column;
import io.gamerlab.measure.PerfCounters;
import io.gamerlab.measure.PerfEvent;
import io.gamerlab.measure.Provenance;
import io.gamerlab.measure.RunTable;
import io.gamerlab.sched.ExitReport;
import io.gamerlab.sched.SchedExtState;
import io.gamerlab.sched.Scheduler;
import io.gamerlab.util.FileHash;
import io.gamerlab.workload.Workload;
import io.gamerlab.workload.WorkloadReport;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

/**
 * One run in this process, on this kernel: load the scheduler, run the workload under it with
 * counters on, detach, and tabulate. The host backend calls it directly; inside a guest,
 * {@link GuestMain} calls the very same method.
 */
public final class Run {

    private Run() { }

    /** The rows of a cell that failed: its provenance and one {@code cell/outcome} row, status failed, saying why. */
    public static tech.tablesaw.api.Table failedCell(Provenance provenance, String reason) {
        return new RunTable(provenance).row("cell", "outcome", "", Double.NaN, Column.Status.FAILED, reason).table();
    }

    public static RunResult execute(RunSpec spec, Path schedulerObject, String backend, String clock)
            throws InterruptedException {
        Workload workload = spec.workload();
        RunSpec.Place place = spec.place();
        Provenance provenance = Provenance.startingNow(new Provenance.Cell(place.experiment(), spec.runId(), place.repetition(),
                        place.seed(), place.measured(), spec.variant().label(), FileHash.sha256(schedulerObject), workload.name(), "",
                        spec.tunablesText()),
                Provenance.Machine.here(backend, clock), place.node(), spec.gitCommit());
        RunTable table = new RunTable(provenance);
        AtomicReference<SchedExtState> during = new AtomicReference<>(SchedExtState.read());
        WorkloadReport report;
        Map<String, Long> statistics;
        long foregroundGame;
        ExitReport exit;
        try (Scheduler scheduler = Scheduler.load(schedulerObject, spec.tunables());
             PerfCounters counters = PerfCounters.forCallingThreadAndChildren(EnumSet.allOf(PerfEvent.class))) {
            table.addPrograms(scheduler.programs()).addHooks(scheduler.hooks());
            // The warm-up: the same workload under the same scheduler, its report discarded.
            if (spec.warmup().isPositive()) workload.run(spec.warmup(), scheduler);
            Thread observer = Thread.ofPlatform().name("sched_ext-observer").start(() -> {
                try {
                    Thread.sleep(spec.duration().dividedBy(2));
                    during.set(SchedExtState.read());
                } catch (InterruptedException stopEarly) {
                    Thread.currentThread().interrupt();
                }
            });
            counters.start();
            report = workload.run(spec.duration(), scheduler);
            counters.stop();
            observer.interrupt();
            observer.join();
            table.addCounters(counters.read());
            scheduler.close();
            exit = scheduler.exitReport();
            // Read after detaching, so the hook's counts and the stream's are of the same events.
            statistics = scheduler.statistics();
            foregroundGame = scheduler.foregroundGame();
            table.addInputEvents(scheduler.inputEvents());
        }
        SchedExtState after = SchedExtState.read();
        table.addWorkload(report).addSchedulerStatistics(statistics)
                .addForegroundGame(foregroundGame, ProcessHandle.current().pid())
                .addSchedExt(during.get(), after, exit.kind(), exit.reason());
        return new RunResult(table.table(), during.get().state(), during.get().ops(), after.state(),
                exit.kind(), exit.reason());
    }
}
