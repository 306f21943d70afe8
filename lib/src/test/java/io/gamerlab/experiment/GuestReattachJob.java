package io.gamerlab.experiment;

import io.gamerlab.sched.ExitReport;
import io.gamerlab.sched.LoadedScheduler;
import io.gamerlab.sched.SchedExtState;
import io.gamerlab.sched.Scheduler;
import io.gamerlab.sched.SchedulerEjectedException;
import io.gamerlab.sched.Tunables;
import io.gamerlab.sched.Variant;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/**
 * Runs inside the guest, shipped with the test classes: cells of one variant one after another in
 * one process, as a guest boot runs a shard ({@link LoadedVariants}), and records what each saw as
 * a two-column table ({@code key}, {@code value}) for {@link GuestReattachTest}:
 * <ol>
 *   <li>{@code long}: a long cell, the variant's first (it loads it);</li>
 *   <li>{@code short}: a short cell after it (attached to the same load);</li>
 *   <li>{@code ejected}: a cell whose scheduler sysrq-S ejects half-way;</li>
 *   <li>{@code after}: a short cell after the ejected one;</li>
 * </ol>
 * then, on the scheduler layer alone, one loaded object attached, ejected by sysrq, detached and
 * attached again ({@code reattach.*}): whether the kernel takes a struct_ops map again after an
 * ejection. Usage: {@code SCHEDULER.bpf.o RESULTS_DIR BACKEND CLOCK}.
 */
public final class GuestReattachJob {

    private static final Duration LONG = Duration.ofSeconds(4);
    private static final Duration SHORT = Duration.ofSeconds(1);
    private static final Duration BOUND = Duration.ofSeconds(30);
    /** Long enough that the ejection, a second in, comes half-way. */
    private static final Duration EJECTED = Duration.ofSeconds(6);

    private final Map<String, String> seen = new LinkedHashMap<>();

    public static void main(String[] args) throws IOException {
        Path object = Path.of(args[0]);
        Path results = Path.of(args[1]);
        Files.createDirectories(results);
        GuestReattachJob job = new GuestReattachJob();
        int status = 0;
        try (LoadedVariants variants = new LoadedVariants()) {
            job.cell("long", LONG, object, variants, args[2], args[3]);
            job.cell("short", SHORT, object, variants, args[2], args[3]);
            job.ejectedCell(object, variants, args[2], args[3]);
            job.cell("after", SHORT, object, variants, args[2], args[3]);
            job.reattachAfterEjection(object);
        } catch (Throwable t) {
            status = 1;
            job.record("error", GuestMain.describe(t));
            t.printStackTrace();
        }
        Table table = Table.create("reattach", StringColumn.create("key", job.seen.keySet()), StringColumn.create("value", job.seen.values()));
        table.write().csv(results.resolve(RunResultFiles.TABLE).toFile());
        System.exit(status);
    }

    private void cell(String name, Duration duration, Path object, LoadedVariants variants, String backend, String clock)
            throws InterruptedException {
        CellPhases phases = new CellPhases();
        RunResult result = Run.execute(RunSpec.of(Variant.BASELINE, duration, "reattach"), object, backend, clock, phases, variants);
        record(name + ".load_ns", phases.durations().get(CellPhases.LOAD).toNanos());
        record(name + ".exit_kind", result.exitKind());
        Table t = result.table();
        for (String metric : new String[] {"runtime_ns", "started", "enqueued"}) {
            // TableRows asserts with JUnit, which the guest's class path lacks
            Table row = t.where(t.stringColumn("source").isEqualTo("scheduler").and(t.stringColumn("metric").isEqualTo(metric)));
            record(name + "." + metric, row.doubleColumn("value").get(0).longValue());
        }
    }

    private void ejectedCell(Path object, LoadedVariants variants, String backend, String clock) throws Exception {
        CellPhases phases = new CellPhases();
        AtomicReference<Object> outcome = new AtomicReference<>();
        Thread run = Thread.ofPlatform().name("run").start(() -> {
            try {
                outcome.set(Run.execute(RunSpec.of(Variant.BASELINE, EJECTED, "reattach"), object, backend, clock, phases,
                        variants));
            } catch (Throwable t) {
                outcome.set(t);
            }
        });
        awaitState("enabled");
        Thread.sleep(SHORT);
        Files.writeString(Path.of("/proc/sysrq-trigger"), "S");
        run.join();
        record("ejected.load_ns", phases.durations().get(CellPhases.LOAD).toNanos());
        if (outcome.get() instanceof SchedulerEjectedException e) {
            record("ejected.exit_kind", e.exit().kind());
            record("ejected.failed", e.getMessage());
        } else {
            record("ejected.outcome", String.valueOf(outcome.get()));
        }
    }

    private void reattachAfterEjection(Path object) throws Exception {
        try (LoadedScheduler loaded = LoadedScheduler.load(Variant.BASELINE, object, Tunables.defaults())) {
            Scheduler first = loaded.attach(Tunables.defaults(), true);
            awaitState("enabled");
            Files.writeString(Path.of("/proc/sysrq-trigger"), "S");
            awaitState("disabled");
            first.close();
            record("reattach.first_exit_kind", first.exitReport().kind());
            Scheduler second = loaded.attach(Tunables.defaults(), true);
            record("reattach.second_state", awaitState("enabled") >= 0 ? SchedExtState.read().state() + " " + SchedExtState.read().ops() : "not enabled");
            Thread.sleep(SHORT);
            second.close();
            ExitReport exit = second.exitReport();
            record("reattach.second_exit_kind", exit.kind());
            record("reattach.second_started", second.statistics().get("started"));
        }
    }

    /** Milliseconds until sched_ext reports {@code state}, or -1 if it did not within {@link #BOUND}. */
    private static long awaitState(String state) throws InterruptedException {
        long start = System.nanoTime();
        while (!SchedExtState.read().state().equals(state)) {
            if (System.nanoTime() - start > BOUND.toNanos()) return -1;
            Thread.sleep(5);
        }
        return (System.nanoTime() - start) / 1_000_000;
    }

    private void record(String key, Object value) {
        seen.put(key, String.valueOf(value));
        System.out.println("gamerlab-reattach: " + key + " = " + value);
    }
}
