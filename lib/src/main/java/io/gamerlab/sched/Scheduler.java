package io.gamerlab.sched;

import io.gamerlab.bpf.BpfLink;
import io.gamerlab.bpf.BpfMap;
import io.gamerlab.bpf.BpfObject;
import io.gamerlab.bpf.ProgramInfo;
import io.gamerlab.util.Capabilities;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Our sched_ext scheduler, loaded and attached: from {@link #load} (or {@link LoadedScheduler#attach})
 * until {@link #close} it schedules every task on the machine. Closing detaches it (and unloads
 * what {@link #load} loaded for it); so does a shutdown hook if the JVM
 * exits first, and the kernel if this process dies, because the struct_ops link lives only as
 * long as its file descriptor. Only loading needs privileges (root, or CAP_BPF with CAP_PERFMON).
 */
public final class Scheduler implements AutoCloseable, RoleRegistry {

    private static final String OPS_MAP = "gamer_ops";
    /** The name our ops carry, as /sys/kernel/sched_ext/root/ops shows it. */
    public static final String OPS_NAME = "gamerlab";
    /** bpf/gamer.bpf.c's global holding the foreground game's process id. */
    private static final String GAME_TGID = "game_tgid";
    /** The oldest kernel whose sched_ext has every kfunc the scheduler calls (see {@link #requireKernelFunctions}). */
    public static final String MINIMUM_KERNEL = "6.13";

    private final BpfObject object;
    private final BpfLink link;
    private final StatisticsReader statistics;
    private final BpfMap roles;
    private final BpfMap stages;
    private final List<Hook> hooks;
    private final List<BpfLink> hookLinks;  // also read by the shutdown hook's thread
    private final InputEventStream inputEvents;  // null: streaming off
    private final Thread unloadOnExit;
    private final long attachedAt = System.nanoTime();
    private Duration attaching = Duration.ZERO;
    private LoadedScheduler unloadAtClose;  // null: the object stays loaded for another attachment
    private final List<TunableChange> tunableChanges = new ArrayList<>();
    private Tunables tunables;
    private Map<String, Long> finalKernelEvents = Map.of();
    private ExitReport exitReport;
    private InputEventSnapshot finalInputEvents;
    private Map<String, Long> finalStatistics;
    private long finalForegroundGame;

    private Scheduler(BpfObject object, Tunables tunables, InputEventStream inputEvents, BpfLink link, List<Hook> skipped) {
        this.object = object;
        this.tunables = tunables;
        this.inputEvents = inputEvents;
        this.link = link;
        this.hooks = new ArrayList<>(skipped);
        this.hookLinks = new CopyOnWriteArrayList<>();
        this.statistics = new StatisticsReader(object.map("stats"));
        this.roles = object.map("task_roles");
        this.stages = object.map("task_stages");
        // A JVM stopped by a signal runs hooks; one killed outright closes the fd, which also unloads.
        this.unloadOnExit = new Thread(this::detach, "gamerlab-unload");
        Runtime.getRuntime().addShutdownHook(unloadOnExit);
    }

    /** Attaches every hook that was loaded; one that fails to attach is reported, not fatal. */
    private void attachHooks(Map<String, String> sections) {
        sections.forEach((program, section) -> {
            String function = Hook.targetOf(section);
            if (function == null || hooks.stream().anyMatch(h -> h.program().equals(program))) return;
            try {
                hookLinks.add(object.attachProgram(program));
                hooks.add(new Hook(program, function, true, ""));
            } catch (RuntimeException e) {
                hooks.add(new Hook(program, function, false, "attach failed: " + e.getMessage().lines().findFirst().orElse("")));
            }
        });
    }

    /**
     * Loads a variant's object and attaches it, as {@link #load(Path, Tunables)} does; an object
     * the kernel refuses (its verifier, say) fails with {@link SchedulerLoadException} naming the
     * variant, the program refused and the verifier's last words.
     */
    public static Scheduler load(Variant variant, Path objectFile, Tunables tunables) {
        return load(variant, objectFile, tunables, true);
    }

    /**
     * As {@link #load(Variant, Path, Tunables)}; with {@code streamInputEvents} false no consumer
     * reads the input-event rings (the BPF side still produces into them, and counts what it
     * drops), so a run can show what the stream costs the workload ({@link #inputEvents()} then fails).
     */
    public static Scheduler load(Variant variant, Path objectFile, Tunables tunables, boolean streamInputEvents) {
        return attachOnce(LoadedScheduler.load(variant, objectFile, tunables), tunables, streamInputEvents);
    }

    /**
     * Loads the scheduler object and attaches it. Fails with {@link SchedExtUnavailableException}
     * naming what is missing where this kernel or process cannot run a sched_ext scheduler.
     */
    public static Scheduler load(Path objectFile, Tunables tunables) {
        return attachOnce(LoadedScheduler.load(null, objectFile, tunables), tunables, true);
    }

    /**
     * Loads a variant's object as {@link #load(Variant, Path, Tunables)} does, every program through
     * the kernel's verifier, and unloads it without attaching: no scheduler runs. Returns what the
     * verifier and the JIT made of each program; an object the kernel refuses fails as {@code load} does.
     */
    public static List<ProgramInfo> verify(Variant variant, Path objectFile, Tunables tunables) {
        try (LoadedScheduler loaded = LoadedScheduler.load(variant, objectFile, tunables)) {
            return loaded.programInfo();
        }
    }

    /** Attaches an object loaded for this one attachment, which closing the scheduler unloads. */
    private static Scheduler attachOnce(LoadedScheduler loaded, Tunables tunables, boolean streamInputEvents) {
        try {
            Scheduler scheduler = loaded.attach(tunables, streamInputEvents);
            scheduler.unloadAtClose = loaded;
            return scheduler;
        } catch (RuntimeException e) {
            loaded.close();
            throw e;
        }
    }

    /** Enables {@code loaded}'s scheduler, as {@link LoadedScheduler#attach} asks: its stream first, then its ops, then its hooks. */
    static Scheduler attach(BpfObject object, Tunables tunables, boolean streamInputEvents, Map<String, String> sections,
                            List<Hook> skipped) {
        long start = System.nanoTime();
        // Run-time options live in .data: written after load, before the scheduler is attached.
        tunables.values().forEach((t, value) -> {
            if (t.runtime()) object.writeGlobalUnsigned(t.bpfName(), value);
        });
        // The consumer first: with per-CPU rings, events before it exists have nowhere to go.
        InputEventStream events = streamInputEvents ? InputEventStream.start(object) : null;
        Scheduler scheduler;
        try {
            scheduler = new Scheduler(object, tunables, events, object.attachStructOps(OPS_MAP), skipped);
        } catch (RuntimeException e) {
            if (events != null) events.close();
            throw e;
        }
        // The consumer is where input events reach user space: under saturation it must not
        // queue behind CPU hogs, or the latency it reports is its own waiting.
        if (events != null) scheduler.declare(events.consumerThreadId(), Role.INPUT);
        scheduler.attachHooks(sections);
        scheduler.attaching = Duration.ofNanos(System.nanoTime() - start);
        return scheduler;
    }

    /**
     * The kernel functions (kfuncs) the object calls must all exist here, or libbpf fails the load
     * with a message about BTF. The scheduler uses the sched_ext kfunc names of Linux 6.13
     * ({@code scx_bpf_dsq_insert*}, {@code scx_bpf_dsq_move_to_local}; 6.12 called them
     * {@code scx_bpf_dispatch*} and {@code scx_bpf_consume}), so that is its minimum.
     */
    static void requireKernelFunctions(List<String> kfuncs, KernelFunctions kernel) {
        List<String> missing = kfuncs.stream().filter(f -> !kernel.has(f)).toList();
        if (!missing.isEmpty())
            throw new SchedExtUnavailableException("kernel " + System.getProperty("os.version") + " lacks the kernel functions "
                    + missing + " that the scheduler calls. It needs Linux >= " + MINIMUM_KERNEL
                    + " with CONFIG_SCHED_CLASS_EXT=y (6.13 renamed sched_ext's scx_bpf_dispatch* and scx_bpf_consume to"
                    + " scx_bpf_dsq_insert* and scx_bpf_dsq_move_to_local). Use the guest backend (Backend.guest()), whose kernel has them.");
    }

    /** A hook on a function that this kernel (or its loaded modules) lacks would fail the whole load. */
    static List<Hook> skipHooksThisKernelLacks(BpfObject object, Map<String, String> sections, KernelFunctions kernel) {
        List<Hook> skipped = new ArrayList<>();
        sections.forEach((program, section) -> {
            String function = Hook.targetOf(section);
            if (function != null && !kernel.has(function)) {
                object.skipProgram(program);
                skipped.add(new Hook(program, function, false, "this kernel has no function " + function));
            }
        });
        return skipped;
    }

    /** How long attaching took: from the loaded object to the scheduler enabled, its stream started and its hooks attached. */
    public Duration attaching() {
        return attaching;
    }

    /** What the input-event stream from BPF to this process has delivered so far (in all, once closed). */
    public InputEventSnapshot inputEvents() {
        if (inputEvents == null) throw new IllegalStateException("the scheduler was loaded with input-event streaming off");
        return finalInputEvents != null ? finalInputEvents : inputEvents.snapshot();
    }

    /** Every kernel hook, attached or skipped, with the reason. */
    public List<Hook> hooks() {
        return List.copyOf(hooks);
    }

    /** The options the scheduler runs with now. */
    public synchronized Tunables tunables() {
        return tunables;
    }

    /**
     * Gives the running scheduler new values of its run-time tunables ({@link Tunable#runtime()}),
     * each written into its BPF global with one store, and recorded ({@link #tunableChanges()}).
     * The order of the stores keeps the slice shorter than the starvation bound at every moment: the
     * bound first when it grows, the slice first otherwise. Asking to change a tunable fixed at load
     * is an error naming it, and changes nothing.
     */
    public synchronized void retune(Tunables next) {
        if (exitReport != null) throw new IllegalStateException("the scheduler is closed; retune a loaded one");
        List<Tunable> changed = tunables.differences(next);
        List<Tunable> fixed = changed.stream().filter(t -> !t.runtime()).toList();
        if (!fixed.isEmpty())
            throw new IllegalArgumentException("tunables " + Tunable.names(fixed) + " are fixed at load (the verifier takes"
                    + " them as constants): load the scheduler again to change them; a running scheduler takes new values of "
                    + Tunable.names(java.util.Arrays.stream(Tunable.values()).filter(Tunable::runtime).toList()));
        Map<Tunable, Long> from = tunables.values();
        Map<Tunable, Long> to = next.values();
        List<Tunable> order = new ArrayList<>(changed);
        if (to.get(Tunable.STARVATION) > from.get(Tunable.STARVATION)) {
            order.remove(Tunable.STARVATION);
            order.addFirst(Tunable.STARVATION);
        }
        Duration afterAttach = Duration.ofNanos(System.nanoTime() - attachedAt);
        for (Tunable t : order) {
            object.writeGlobalUnsigned(t.bpfName(), to.get(t));
            // Read back through the map, a path apart from the mapping written: the kernel's copy changed.
            long inKernel = object.readGlobalUnsigned(t.bpfName());
            if (inKernel != to.get(t))
                throw new IllegalStateException(t.bpfName() + " was written as " + to.get(t) + " but the kernel holds " + inKernel);
            tunableChanges.add(new TunableChange(afterAttach, t, from.get(t), to.get(t)));
        }
        tunables = next;
    }

    /** Every run-time change of a tunable, in the order made. */
    public synchronized List<TunableChange> tunableChanges() {
        return List.copyOf(tunableChanges);
    }

    /**
     * The kernel's own event counters for this scheduler ({@link SchedExtState#events()}): read
     * while attached, and once closed the last reading, taken just before the detach.
     */
    public Map<String, Long> kernelEvents() {
        return exitReport != null ? finalKernelEvents : ownEvents();
    }

    /** The kernel's events, if the scheduler loaded now is this one. */
    private static Map<String, Long> ownEvents() {
        return SchedExtState.read().ops().equals(OPS_NAME) ? SchedExtState.events() : Map.of();
    }

    /**
     * What this kernel and process lack to load a sched_ext scheduler, each with what to do
     * about it; empty when both can.
     */
    public static List<String> missingRequirements() {
        List<String> missing = new ArrayList<>();
        if (!SchedExtState.kernelHasSchedExt())
            missing.add("kernel " + System.getProperty("os.version")
                    + " has no sched_ext (/sys/kernel/sched_ext is missing; it needs CONFIG_SCHED_CLASS_EXT=y, and this scheduler Linux >= 6.13)."
                    + " Use the guest backend (GuestBackend.standard(), or `./gamerlab quickstart guest`), which boots a kernel that has it");
        if (!Capabilities.mayLoadBpf())
            missing.add("this process (uid " + Capabilities.effectiveUid() + ") may not load BPF: loading a sched_ext scheduler needs root,"
                    + " or CAP_BPF with CAP_PERFMON. Run it as root (e.g. with sudo); only the loading needs it");
        return missing;
    }

    /** Throws with a clear message unless this kernel and process can load a scheduler and none is loaded already. */
    public static void requireSchedExt() {
        List<String> missing = missingRequirements();
        if (!missing.isEmpty()) throw new SchedExtUnavailableException(String.join("; and ", missing) + ".");
        SchedExtState now = SchedExtState.read();
        if (!now.state().equals("disabled"))
            throw new SchedExtUnavailableException("another sched_ext scheduler is loaded (state " + now.state()
                    + ", ops '" + now.ops() + "'), and the kernel runs one at a time: stop the process that loaded it"
                    + " (or write S to /proc/sysrq-trigger, which ejects any sched_ext scheduler), then run again.");
    }

    /** How big each of the scheduler's programs is after the verifier and the JIT. */
    public List<ProgramInfo> programs() {
        return object.programInfo();
    }

    /** The per-CPU counters of {@code struct gamer_stats}, summed over CPUs, by field name (in all, once closed). */
    public Map<String, Long> statistics() {
        return finalStatistics != null ? finalStatistics : statistics.read();
    }

    @Override
    public void declare(int tid, Role role) {
        putThreadValue(roles, tid, role.id());
    }

    @Override
    public void declareStage(int tid, int stage) {
        if (stage < 1) throw new IllegalArgumentException("pipeline stages count from 1, was " + stage);
        putThreadValue(stages, tid, stage);
    }

    private static void putThreadValue(BpfMap map, int tid, int value) {
        try (Arena arena = Arena.ofConfined()) {
            map.update(arena.allocateFrom(ValueLayout.JAVA_INT, tid), arena.allocateFrom(ValueLayout.JAVA_INT, value));
        }
    }

    /**
     * The process the scheduler takes for the foreground game (the game_pid tunable, or what it
     * detected from kernel events), or 0 while it has found none; once closed, the last one.
     */
    public long foregroundGame() {
        return finalStatistics != null ? finalForegroundGame : object.readGlobalUnsigned(GAME_TGID);
    }

    /** Whether {@link #close} has run (the scheduler is detached). */
    boolean closed() {
        return exitReport != null;
    }

    /** Why the scheduler stopped; present only after {@link #close}. */
    public ExitReport exitReport() {
        if (exitReport == null) throw new IllegalStateException("the scheduler is still attached");
        return exitReport;
    }

    @Override
    public synchronized void close() {
        if (exitReport != null) return;
        finalKernelEvents = ownEvents();
        detach();
        // Hooks are gone, so no new events: let the consumer take what is still in flight.
        if (inputEvents != null) {
            inputEvents.drain(Duration.ofSeconds(2));
            finalInputEvents = inputEvents.snapshot();
        }
        finalForegroundGame = object.readGlobalUnsigned(GAME_TGID);
        finalStatistics = statistics.read();  // last: foregroundGame() takes it as "closed"
        if (inputEvents != null) inputEvents.close();
        exitReport = readExitReport(object.map("exit_report"));
        if (unloadAtClose != null) unloadAtClose.close();
        try {
            Runtime.getRuntime().removeShutdownHook(unloadOnExit);
        } catch (IllegalStateException alreadyExiting) {
            // the hook is running or has run; the link is closed either way
        }
    }

    private void detach() {
        link.close();
        hookLinks.forEach(BpfLink::close);
    }

    /** Layout of {@code struct gamer_exit} in bpf/gamer.h. */
    private static ExitReport readExitReport(BpfMap map) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment v = map.lookup(0, arena);
            return new ExitReport(v.get(ValueLayout.JAVA_INT, 0), v.get(ValueLayout.JAVA_LONG, 8),
                    cString(v.asSlice(16, 128)), cString(v.asSlice(144, 256)));
        }
    }

    private static String cString(MemorySegment bytes) {
        byte[] raw = bytes.toArray(ValueLayout.JAVA_BYTE);
        int end = 0;
        while (end < raw.length && raw[end] != 0) end++;
        return new String(raw, 0, end, StandardCharsets.UTF_8);
    }
}
