package io.gamerlab.experiment;

import io.gamerlab.measure.PerfCounters;
import io.gamerlab.measure.PerfEvent;
import io.gamerlab.measure.Provenance;
import io.gamerlab.measure.RunTable;
import io.gamerlab.sched.ExitReport;
import io.gamerlab.sched.SchedExtState;
import io.gamerlab.sched.Scheduler;
import io.gamerlab.sched.TunableChange;
import io.gamerlab.sched.SchedulerEjectedException;
import io.gamerlab.workload.Workload;
import io.gamerlab.workload.WorkloadReport;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
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

    /** Applies each retune at its time into the workload; the first failure is kept for the caller. */
    private static void retune(List<Retune> schedule, Scheduler scheduler, AtomicReference<RuntimeException> failed) {
        long start = System.nanoTime();
        try {
            for (Retune r : schedule) {
                long wait = r.at().toNanos() - (System.nanoTime() - start);
                if (wait > 0) Thread.sleep(Duration.ofNanos(wait));
                scheduler.retune(r.tunables());
            }
        } catch (InterruptedException runOver) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            failed.set(e);
        }
    }

    public static RunResult execute(RunSpec spec, Path schedulerObject, String backend, String clock)
            throws InterruptedException {
        Provenance provenance = Provenance.here(spec.runId(), backend, clock, spec.variant().label(), spec.gitCommit());
        Workload workload = spec.workload();
        RunTable table = new RunTable(provenance, workload.name());
        AtomicReference<SchedExtState> during = new AtomicReference<>(SchedExtState.read());
        AtomicReference<RuntimeException> retuneFailed = new AtomicReference<>();
        WorkloadReport report;
        Map<String, Long> statistics;
        Map<String, Long> kernelEvents;
        List<TunableChange> changes;
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
            Thread retuner = Thread.ofPlatform().name("retuner").start(() -> retune(spec.retunes(), scheduler, retuneFailed));
            counters.start();
            report = workload.run(spec.duration(), scheduler);
            counters.stop();
            observer.interrupt();
            observer.join();
            retuner.interrupt();
            retuner.join();
            if (retuneFailed.get() != null) throw retuneFailed.get();
            table.addCounters(counters.read());
            scheduler.close();
            exit = scheduler.exitReport();
            if (exit.stoppedBeforeDetach()) throw new SchedulerEjectedException("run " + spec.runId() + " of " + spec.variant().label(), exit);
            // Read after detaching, so the hook's counts and the stream's are of the same events.
            statistics = scheduler.statistics();
            kernelEvents = scheduler.kernelEvents();
            changes = scheduler.tunableChanges();
            foregroundGame = scheduler.foregroundGame();
            table.addInputEvents(scheduler.inputEvents());
        }
        SchedExtState after = SchedExtState.read();
        spec.tunables().asProperties().forEach((name, value) ->
                table.row("tunable", name, "setting", Double.NaN, "setting", value));
        for (TunableChange c : changes)
            table.row("tunable", c.tunable().bpfName(), c.tunable().unit().symbol(), c.to(), "changed", c.describe());
        kernelEvents.forEach((name, value) -> table.add("sched_ext_event", name, name.endsWith("duration") ? "ns" : "count", value));
        table.addWorkload(report).addSchedulerStatistics(statistics)
                .addForegroundGame(foregroundGame, ProcessHandle.current().pid());
        return new RunResult(table.table(), during.get().state(), during.get().ops(), after.state(),
                exit.kind(), exit.reason());
    }
}
