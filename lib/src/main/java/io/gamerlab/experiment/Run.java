package io.gamerlab.experiment;

import io.gamerlab.measure.Column;
import io.gamerlab.measure.PerfCounters;
import io.gamerlab.measure.PerfEvent;
import io.gamerlab.measure.Provenance;
import io.gamerlab.measure.RunTable;
import io.gamerlab.sched.ExitReport;
import io.gamerlab.sched.RoleRegistry;
import io.gamerlab.sched.SchedExtState;
import io.gamerlab.sched.Scheduler;
import io.gamerlab.sched.SchedulerEjectedException;
import io.gamerlab.sched.TunableChange;
import io.gamerlab.util.FileHash;
import io.gamerlab.workload.Workload;
import io.gamerlab.workload.WorkloadReport;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

/**
 * One run in this process, on this kernel: attach the scheduler (loading it unless this process
 * has it loaded, {@link LoadedVariants}), run the workload under it with counters on, detach, and tabulate. A control cell ({@code measured} false) runs with no perf
 * counter opened and no consumer of the scheduler's input-event stream, so its rows have neither. Under {@code kernel-default} nothing is loaded: the workload
 * runs under the kernel's own scheduler, with the same counters and the same observation of
 * sched_ext half-way through (which must say it is not enabled). A warm-up, if the spec asks for
 * one, runs the workload first, unmeasured, before anything loads. A run whose scheduler the kernel
 * ejected fails ({@link SchedulerEjectedException}). The host backend calls it directly; inside a
 * guest, {@link GuestMain} calls the very same method.
 */
public final class Run {

    /** Exit kind recorded for kernel-default runs: SCX_EXIT_NONE, no scheduler ever exited. */
    static final int NO_EXIT = 0;

    private Run() { }

    /** The rows of a cell that failed: its provenance and one {@code cell/outcome} row, status failed, saying why. */
    public static tech.tablesaw.api.Table failedCell(Provenance provenance, String reason) {
        return new RunTable(provenance).row("cell", "outcome", "", Double.NaN, Column.Status.FAILED, reason).table();
    }

    /** @param schedulerObject the variant's BPF object; not read under kernel-default */
    public static RunResult execute(RunSpec spec, Path schedulerObject, String backend, String clock)
            throws InterruptedException {
        try (LoadedVariants variants = new LoadedVariants()) {
            return execute(spec, schedulerObject, backend, clock, new CellPhases(), variants);
        }
    }

    /**
     * As {@link #execute(RunSpec, Path, String, String)}, timing each phase of the run into
     * {@code phases}, with the variant attached from (or loaded into) {@code variants}.
     */
    static RunResult execute(RunSpec spec, Path schedulerObject, String backend, String clock, CellPhases phases,
                             LoadedVariants variants) throws InterruptedException {
        Workload workload = spec.workload().create();
        RunSpec.Place place = spec.place();
        String bpfSha256 = spec.variant().isKernelDefault() ? "" : FileHash.sha256(schedulerObject);
        Provenance provenance = Provenance.startingNow(new Provenance.Cell(place.experiment(), spec.runId(), place.repetition(),
                        place.seed(), place.measured(), spec.variant().label(), bpfSha256, workload.name(), "",
                        spec.variant().isKernelDefault() ? "" : spec.tunablesText()),
                Provenance.Machine.here(backend, clock), place.node(), spec.gitCommit());
        RunTable table = new RunTable(provenance);
        phases.lap(CellPhases.PREPARE);
        // Under whatever schedules the machine before the run: under kernel-default and before our
        // scheduler loads alike, so a warm-up never favours one of them.
        if (!spec.warmup().isZero()) workload.run(spec.warmup(), RoleRegistry.NONE);
        phases.lap(CellPhases.WARMUP);
        if (spec.variant().isKernelDefault()) return underKernelDefault(spec, workload, table, phases);
        Measured measured;
        Map<String, Long> statistics;
        Map<String, Long> kernelEvents;
        List<TunableChange> changes;
        long foregroundGame;
        ExitReport exit;
        boolean measuring = place.measured();
        boolean clean = false;
        try (Scheduler scheduler = variants.attach(spec, schedulerObject, bpfSha256, phases)) {
            table.addPrograms(scheduler.programs()).addHooks(scheduler.hooks());
            AtomicReference<RuntimeException> retuneFailed = new AtomicReference<>();
            Thread retuner = Thread.ofPlatform().name("retuner").start(() -> retune(spec.retunes(), scheduler, retuneFailed));
            phases.lap(CellPhases.ATTACH);
            measured = measure(spec, workload, scheduler, table);
            phases.lap(CellPhases.WORKLOAD);
            retuner.interrupt();
            retuner.join();
            if (retuneFailed.get() != null) throw retuneFailed.get();
            scheduler.close();
            exit = scheduler.exitReport();
            phases.lap(CellPhases.DETACH);
            if (exit.stoppedBeforeDetach()) throw new SchedulerEjectedException("run " + spec.runId() + " of " + spec.variant().label(), exit);
            // Read after detaching, so the hook's counts and the stream's are of the same events.
            statistics = scheduler.statistics();
            kernelEvents = scheduler.kernelEvents();
            changes = scheduler.tunableChanges();
            foregroundGame = scheduler.foregroundGame();
            if (measuring) table.addInputEvents(scheduler.inputEvents());
            clean = true;
        } finally {
            // An ejected (or otherwise failed) cell's variant is loaded anew for its next cell.
            if (!clean) variants.unload(bpfSha256);
        }
        SchedExtState after = SchedExtState.read();
        spec.tunables().asProperties().forEach((name, value) ->
                table.row("tunable", name, "setting", Double.NaN, Column.Status.SETTING, value));
        for (TunableChange c : changes)
            table.row("tunable", c.tunable().bpfName(), c.tunable().unit().symbol(), c.to(), Column.Status.CHANGED, c.describe());
        kernelEvents.forEach((name, value) -> table.add("sched_ext_event", name, name.endsWith("duration") ? "ns" : "count", value));
        table.addWorkload(measured.report()).addSchedulerStatistics(statistics)
                .addForegroundGame(foregroundGame, ProcessHandle.current().pid())
                .addSchedExt(measured.during(), after, exit.kind(), exit.reason());
        phases.lap(CellPhases.TABULATE);
        return new RunResult(table.table(), measured.during().state(), measured.during().ops(), after.state(),
                exit.kind(), exit.reason());
    }

    /** The workload under the kernel's own scheduler: refused while a sched_ext scheduler is loaded. */
    private static RunResult underKernelDefault(RunSpec spec, Workload workload, RunTable table, CellPhases phases)
            throws InterruptedException {
        SchedExtState before = SchedExtState.read();
        if (!before.state().equals("disabled") && !before.state().equals("absent"))
            throw new IllegalStateException("kernel-default needs the kernel's own scheduler, but sched_ext is " + before.state()
                    + " with ops '" + before.ops() + "': stop that scheduler first");
        phases.lap(CellPhases.PREPARE);
        Measured measured = measure(spec, workload, RoleRegistry.NONE, table);
        phases.lap(CellPhases.WORKLOAD);
        SchedExtState after = SchedExtState.read();
        table.addWorkload(measured.report()).addSchedExt(measured.during(), after, NO_EXIT, "");
        phases.lap(CellPhases.TABULATE);
        return new RunResult(table.table(), measured.during().state(), measured.during().ops(), after.state(), NO_EXIT,
                "no sched_ext scheduler was loaded: the kernel's own scheduler ran");
    }

    /** Applies each retune at its time into the run; the first failure is kept for the caller. */
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

    private record Measured(WorkloadReport report, SchedExtState during) { }

    /**
     * Runs the workload, reading sched_ext's state half-way through; with perf counters on, unless
     * the run is a control cell with measurement off (then none is opened).
     */
    private static Measured measure(RunSpec spec, Workload workload, RoleRegistry roles, RunTable table) throws InterruptedException {
        if (!spec.place().measured()) return observed(spec, () -> workload.run(spec.duration(), roles));
        try (PerfCounters counters = PerfCounters.forCallingThreadAndChildren(EnumSet.allOf(PerfEvent.class))) {
            Measured measured = observed(spec, () -> {
                counters.start();
                WorkloadReport report = workload.run(spec.duration(), roles);
                counters.stop();
                return report;
            });
            table.addCounters(counters.read());
            return measured;
        }
    }

    private interface Running {
        WorkloadReport run() throws InterruptedException;
    }

    private static Measured observed(RunSpec spec, Running running) throws InterruptedException {
        AtomicReference<SchedExtState> during = new AtomicReference<>(SchedExtState.read());
        Thread observer = Thread.ofPlatform().name("sched_ext-observer").start(() -> {
            try {
                Thread.sleep(spec.duration().dividedBy(2));
                during.set(SchedExtState.read());
            } catch (InterruptedException stopEarly) {
                Thread.currentThread().interrupt();
            }
        });
        WorkloadReport report = running.run();
        observer.interrupt();
        observer.join();
        return new Measured(report, during.get());
    }
}
