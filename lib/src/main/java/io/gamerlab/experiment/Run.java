package io.gamerlab.experiment;

import io.gamerlab.measure.PerfCounters;
import io.gamerlab.measure.PerfEvent;
import io.gamerlab.measure.Provenance;
import io.gamerlab.measure.RunTable;
import io.gamerlab.sched.ExitReport;
import io.gamerlab.sched.SchedExtState;
import io.gamerlab.sched.Scheduler;
import io.gamerlab.sched.SchedulerEjectedException;
import io.gamerlab.workload.Workload;
import io.gamerlab.workload.WorkloadReport;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

/**
 * One run in this process, on this kernel: load the scheduler, run the workload under it with
 * counters on, detach, and tabulate; a run whose scheduler the kernel ejected fails
 * ({@link SchedulerEjectedException}). The host backend calls it directly; inside a guest,
 * {@link GuestMain} calls the very same method.
 */
public final class Run {

    private Run() { }

    public static RunResult execute(RunSpec spec, Path schedulerObject, String backend, String clock)
            throws InterruptedException {
        Provenance provenance = Provenance.here(spec.runId(), backend, clock, spec.variant().label(), spec.gitCommit());
        Workload workload = spec.workload();
        RunTable table = new RunTable(provenance, workload.name());
        AtomicReference<SchedExtState> during = new AtomicReference<>(SchedExtState.read());
        WorkloadReport report;
        Map<String, Long> statistics;
        long foregroundGame;
        ExitReport exit;
        try (Scheduler scheduler = Scheduler.load(spec.variant(), schedulerObject, spec.tunables());
             PerfCounters counters = PerfCounters.forCallingThreadAndChildren(EnumSet.allOf(PerfEvent.class))) {
            table.addPrograms(scheduler.programs()).addHooks(scheduler.hooks());
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
            if (exit.stoppedBeforeDetach()) throw new SchedulerEjectedException("run " + spec.runId() + " of " + spec.variant().label(), exit);
            // Read after detaching, so the hook's counts and the stream's are of the same events.
            statistics = scheduler.statistics();
            foregroundGame = scheduler.foregroundGame();
            table.addInputEvents(scheduler.inputEvents());
        }
        SchedExtState after = SchedExtState.read();
        spec.tunables().asProperties().forEach((name, value) ->
                table.row("tunable", name, "setting", Double.NaN, "setting", value));
        table.addWorkload(report).addSchedulerStatistics(statistics)
                .addForegroundGame(foregroundGame, ProcessHandle.current().pid());
        return new RunResult(table.table(), during.get().state(), during.get().ops(), after.state(),
                exit.kind(), exit.reason());
    }
}
