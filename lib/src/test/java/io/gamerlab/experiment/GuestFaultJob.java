package io.gamerlab.experiment;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import io.gamerlab.bpf.BpfLink;
import io.gamerlab.bpf.BpfObject;
import io.gamerlab.sched.SchedExtState;
import io.gamerlab.sched.Scheduler;
import io.gamerlab.sched.SchedulerEjectedException;
import io.gamerlab.sched.Tunables;
import io.gamerlab.sched.Variant;
import io.gamerlab.util.Capabilities;
import io.gamerlab.util.ChildJvm;
import java.io.IOException;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import tech.tablesaw.api.StringColumn;
import tech.tablesaw.api.Table;

/**
 * Runs inside the guest, shipped on the job disk with the test classes: injects scheduler faults
 * one after another and records what the kernel and our code did, as a two-column table
 * ({@code key}, {@code value}) that {@link GuestFaultsTest} asserts on. A fault that goes
 * unexpectedly is recorded ({@code <fault>.unexpected}) and the next one still runs.
 * Usage: {@code SCHEDULER.bpf.o FIXTURES_DIR RESULTS_DIR BACKEND CLOCK}.
 */
public final class GuestFaultJob {

    /** How long sched_ext may take to report a state; far more than it takes, as seen in the guest. */
    static final Duration STATE_BOUND = Duration.ofSeconds(30);
    /** Starting a JVM and loading the scheduler under TCG. */
    private static final Duration CHILD_START = Duration.ofSeconds(240);
    private static final Duration RUN = Duration.ofSeconds(8);
    private static final MethodHandle GETPGID = Linker.nativeLinker().downcallHandle(
            Linker.nativeLinker().defaultLookup().find("getpgid").orElseThrow(), FunctionDescriptor.of(JAVA_INT, JAVA_INT));

    private final Path scheduler;
    private final Path fixtures;
    private final String backend;
    private final String clock;
    private final Map<String, String> seen = new LinkedHashMap<>();

    private GuestFaultJob(Path scheduler, Path fixtures, String backend, String clock) {
        this.scheduler = scheduler;
        this.fixtures = fixtures;
        this.backend = backend;
        this.clock = clock;
    }

    public static void main(String[] args) throws IOException {
        Path results = Path.of(args[2]);
        Files.createDirectories(results);
        GuestFaultJob job = new GuestFaultJob(Path.of(args[0]), Path.of(args[1]), args[3], args[4]);
        int status = 0;
        try {
            job.fault("another", job::anotherSchedulerLoaded);
            job.fault("rejected", job::rejectedVariant);
            job.fault("unprivileged", job::unprivileged);
            job.fault("exit", job::jvmExitsWithoutClosing);
            job.fault("kill", job::jvmKilledMidRun);
            job.fault("sysrq", () -> job.ejectedMidRun("sysrq", () -> Files.writeString(Path.of("/proc/sysrq-trigger"), "S")));
            job.fault("scx_error", () -> job.ejectedMidRun("scx_error", job::scxErrorFromAnotherProgram));
            job.fault("interrupt", job::runInterrupted);  // last: an interrupted workload may leave its threads spinning
        } catch (Throwable t) {
            status = 1;
            Files.writeString(results.resolve(GuestMain.ERROR), GuestMain.describe(t));
            t.printStackTrace();
        } finally {
            job.write(results.resolve(RunResultFiles.TABLE));
        }
        System.exit(status);
    }

    private interface Fault {
        void inject() throws Exception;
    }

    private void fault(String name, Fault fault) throws InterruptedException {
        System.out.println("gamerlab-fault: " + name);
        record(name + ".state_before", SchedExtState.read().state());
        try {
            fault.inject();
        } catch (Exception | AssertionError e) {
            record(name + ".unexpected", GuestMain.describe(e));
            e.printStackTrace();
        }
        record(name + ".ms_to_disabled_after", awaitState("disabled"));
    }

    /** Our scheduler loaded, a second load is refused saying what to do. */
    private void anotherSchedulerLoaded() {
        try (Scheduler first = Scheduler.load(scheduler, Tunables.defaults())) {
            record("another.first", SchedExtState.read().state() + " " + SchedExtState.read().ops());
            try (Scheduler second = Scheduler.load(scheduler, Tunables.defaults())) {
                record("another.second", "loaded");
            } catch (RuntimeException refused) {
                record("another.refused", refused.getClass().getSimpleName() + ": " + refused.getMessage());
            }
        }
    }

    /** A variant whose object the verifier rejects: the error names the variant, the program and the reason. */
    private void rejectedVariant() throws InterruptedException {
        try {
            Run.execute(RunSpec.of(Variant.BASELINE, RUN, "fault"), fixtures.resolve("gamer_rejected.bpf.o"), backend, clock);
            record("rejected.run", "completed");
        } catch (RuntimeException refused) {
            record("rejected.refused", refused.getClass().getSimpleName() + ": " + refused.getMessage());
        }
    }

    /** A process without root: opening the object works, loading is refused, saying why. */
    private void unprivileged() throws Exception {
        try (ChildJvm child = ChildJvm.start(Child.class, Map.of(), "unprivileged", scheduler.toString())) {
            record("unprivileged.opened", child.awaitLine("opened ", CHILD_START));
            record("unprivileged.refused", child.awaitLine("refused: ", CHILD_START));
            child.awaitExit(CHILD_START);
        }
    }

    /** A JVM that loaded the scheduler and exits without closing it (System.exit): the scheduler goes with it. */
    private void jvmExitsWithoutClosing() throws Exception {
        try (ChildJvm child = ChildJvm.start(Child.class, Map.of(), "exit", scheduler.toString())) {
            record("exit.loaded", child.awaitLine("loaded ", CHILD_START));
            record("exit.status", child.awaitExit(CHILD_START));
        }
    }

    /** A JVM killed with SIGKILL in the middle of a run: the kernel unloads the scheduler when its link's fd goes. */
    private void jvmKilledMidRun() throws Exception {
        long started = System.nanoTime();
        try (ChildJvm child = ChildJvm.start(Child.class, Map.of(), "run", scheduler.toString())) {
            child.awaitLine("running ", CHILD_START);
            record("kill.ms_to_running", (System.nanoTime() - started) / 1_000_000);
            SchedExtState during = SchedExtState.read();
            record("kill.state_during", during.state() + " " + during.ops());
            long killed = System.nanoTime();
            child.kill();
            record("kill.ms_to_disabled", awaitState("disabled"));
            record("kill.ms_killing", (System.nanoTime() - killed) / 1_000_000);
        }
    }

    /** A run whose scheduler something ejects half-way: the run fails, quoting the kernel's exit kind and message. */
    private void ejectedMidRun(String name, Fault eject) throws Exception {
        RunSpec spec = RunSpec.of(Variant.BASELINE, RUN, "fault");
        AtomicReference<Object> outcome = new AtomicReference<>();
        Thread run = Thread.ofPlatform().name("run").start(() -> {
            try {
                outcome.set(Run.execute(spec, scheduler, backend, clock));
            } catch (Throwable t) {
                outcome.set(t);
            }
        });
        record(name + ".ms_to_enabled", awaitState("enabled"));
        eject.inject();
        record(name + ".ms_to_disabled", awaitState("disabled"));
        run.join();
        if (outcome.get() instanceof SchedulerEjectedException e) {
            record(name + ".exit_kind", e.exit().kind());
            record(name + ".failed", e.getMessage());
        } else {
            record(name + ".outcome", String.valueOf(outcome.get()));
        }
    }

    /** Another BPF program calls scx_bpf_error(), as a scheduler's own program would on an error it detects. */
    private void scxErrorFromAnotherProgram() {
        try (BpfObject error = BpfObject.open(fixtures.resolve("scx_error.bpf.o"))) {
            error.setReadOnlyU32("target_tgid", ProcessHandle.current().pid());
            error.load();
            try (BpfLink link = error.attachProgram("error_on_getpgid")) {
                int _ = (int) GETPGID.invokeExact(0);
            } catch (Throwable t) {
                throw new IllegalStateException("getpgid", t);
            }
        }
    }

    /** The thread running a run is interrupted half-way: the run throws, and the scheduler is unloaded by then. */
    private void runInterrupted() throws Exception {
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        AtomicReference<String> stateWhenThrown = new AtomicReference<>();
        Thread run = Thread.ofPlatform().name("run").start(() -> {
            try {
                Run.execute(RunSpec.of(Variant.BASELINE, Duration.ofSeconds(120), "fault"), scheduler, backend, clock);
            } catch (Throwable t) {
                stateWhenThrown.set(SchedExtState.read().state());
                thrown.set(t);
            }
        });
        record("interrupt.ms_to_enabled", awaitState("enabled"));
        run.interrupt();
        run.join(STATE_BOUND.toMillis());
        record("interrupt.thrown", String.valueOf(thrown.get()));
        record("interrupt.state_when_thrown", String.valueOf(stateWhenThrown.get()));
        record("interrupt.workload_threads_left", Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().startsWith("hog-") || t.getName().equals("frame")).count());
    }

    /** Milliseconds until sched_ext reports {@code state}, or -1 if it did not within {@link #STATE_BOUND}. */
    private static long awaitState(String state) throws InterruptedException {
        long start = System.nanoTime();
        while (!SchedExtState.read().state().equals(state)) {
            if (System.nanoTime() - start > STATE_BOUND.toNanos()) return -1;
            Thread.sleep(5);
        }
        return (System.nanoTime() - start) / 1_000_000;
    }

    private void record(String key, Object value) {
        seen.put(key, String.valueOf(value));
        System.out.println("gamerlab-fault: " + key + " = " + value);
    }

    private void write(Path csv) {
        Table table = Table.create("faults", StringColumn.create("key", seen.keySet()), StringColumn.create("value", seen.values()));
        table.write().csv(csv.toFile());
    }

    /** The child JVMs' modes: {@code run}, {@code exit} and {@code unprivileged}, each with the scheduler object. */
    public static final class Child {
        private static final int NOBODY = 65534;

        public static void main(String[] args) throws Exception {
            Path object = Path.of(args[1]);
            switch (args[0]) {
                case "run" -> {
                    Thread run = Thread.ofPlatform().start(() -> {
                        try {
                            Run.execute(RunSpec.of(Variant.BASELINE, Duration.ofMinutes(10), "fault"), object, "guest", "fault");
                        } catch (InterruptedException stopped) {
                            Thread.currentThread().interrupt();
                        }
                    });
                    while (!SchedExtState.read().enabled()) Thread.sleep(5);  // the parent bounds the wait
                    System.out.println("running " + SchedExtState.read().ops());
                    run.join();
                }
                case "exit" -> {
                    Scheduler loaded = Scheduler.load(object, Tunables.defaults());
                    System.out.println("loaded " + SchedExtState.read().state() + " " + loaded.hooks().size() + " hooks");
                    System.exit(0);
                }
                case "unprivileged" -> {
                    dropToNobody();
                    try (BpfObject opened = BpfObject.open(object)) {
                        System.out.println("opened " + opened.programSections().size() + " programs as uid " + Capabilities.effectiveUid());
                    }
                    try (Scheduler loaded = Scheduler.load(object, Tunables.defaults())) {
                        System.out.println("refused: no, it loaded");
                    } catch (RuntimeException e) {
                        System.out.println("refused: " + e.getClass().getSimpleName() + ": " + e.getMessage().replace('\n', '|'));
                    }
                }
                default -> throw new IllegalArgumentException("mode " + args[0]);
            }
        }

        /** setgroups, setresgid, setresuid: from here on this process is uid 65534, with no capabilities. */
        private static void dropToNobody() {
            Linker linker = Linker.nativeLinker();
            MethodHandle setgroups = linker.downcallHandle(linker.defaultLookup().find("setgroups").orElseThrow(),
                    FunctionDescriptor.of(JAVA_INT, JAVA_LONG, ADDRESS));
            MethodHandle setresgid = linker.downcallHandle(linker.defaultLookup().find("setresgid").orElseThrow(),
                    FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT));
            MethodHandle setresuid = linker.downcallHandle(linker.defaultLookup().find("setresuid").orElseThrow(),
                    FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT));
            try {
                int groups = (int) setgroups.invokeExact(0L, MemorySegment.NULL);
                int gid = (int) setresgid.invokeExact(NOBODY, NOBODY, NOBODY);
                int uid = (int) setresuid.invokeExact(NOBODY, NOBODY, NOBODY);
                if (groups != 0 || gid != 0 || uid != 0) throw new IllegalStateException("could not drop to uid " + NOBODY);
            } catch (Throwable t) {
                throw new IllegalStateException("dropping to uid " + NOBODY, t);
            }
        }
    }
}
