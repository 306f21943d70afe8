package io.gamerlab.sched;

import io.gamerlab.bpf.BpfLink;
import io.gamerlab.bpf.BpfMap;
import io.gamerlab.bpf.BpfObject;
import io.gamerlab.bpf.ProgramInfo;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * Our sched_ext scheduler, loaded and attached: from {@link #load} until {@link #close} it
 * schedules every task on the machine. Closing detaches it; so does the kernel if this process
 * dies, because the struct_ops link lives only as long as its file descriptor.
 */
public final class Scheduler implements AutoCloseable, RoleRegistry {

    private static final String OPS_MAP = "gamer_ops";

    private final BpfObject object;
    private final BpfLink link;
    private final StatisticsReader statistics;
    private final BpfMap roles;
    private final Thread unloadOnExit;
    private ExitReport exitReport;

    private Scheduler(BpfObject object, BpfLink link) {
        this.object = object;
        this.link = link;
        this.statistics = new StatisticsReader(object.map("stats"));
        this.roles = object.map("task_roles");
        // A JVM stopped by a signal runs hooks; one killed outright closes the fd, which also unloads.
        this.unloadOnExit = new Thread(link::close, "gamerlab-unload");
        Runtime.getRuntime().addShutdownHook(unloadOnExit);
    }

    /**
     * Loads the scheduler object and attaches it. Fails with {@link SchedExtUnavailableException}
     * naming what is missing where this kernel or process cannot run a sched_ext scheduler.
     */
    public static Scheduler load(Path objectFile, Tunables tunables) {
        requireSchedExt();
        if (!Files.isRegularFile(objectFile))
            throw new IllegalArgumentException("no BPF object at " + objectFile + ": build it with `make -C bpf`");
        BpfObject object = BpfObject.open(objectFile);
        try {
            object.setReadOnlyU64("slice_ns", tunables.slice().toNanos());
            object.setReadOnlyU64("vtime_lag_ns", tunables.vtimeLag().toNanos());
            object.load();
            return new Scheduler(object, object.attachStructOps(OPS_MAP));
        } catch (RuntimeException e) {
            object.close();
            throw e;
        }
    }

    /** Throws with a clear message unless this kernel has sched_ext and nothing else is loaded. */
    public static void requireSchedExt() {
        if (!SchedExtState.kernelHasSchedExt())
            throw new SchedExtUnavailableException("kernel " + System.getProperty("os.version")
                    + " has no sched_ext (/sys/kernel/sched_ext is missing; it needs CONFIG_SCHED_CLASS_EXT=y, Linux >= 6.12)."
                    + " Use the guest backend (Backend.guest()), which boots a kernel that has it.");
        SchedExtState now = SchedExtState.read();
        if (!now.state().equals("disabled"))
            throw new SchedExtUnavailableException("another sched_ext scheduler is active (state " + now.state()
                    + ", ops '" + now.ops() + "'): stop it first.");
    }

    /** How big each of the scheduler's programs is after the verifier and the JIT. */
    public List<ProgramInfo> programs() {
        return object.programInfo();
    }

    /** The per-CPU counters of {@code struct gamer_stats}, summed over CPUs, by field name. */
    public Map<String, Long> statistics() {
        return statistics.read();
    }

    @Override
    public void declare(int tid, Role role) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment key = arena.allocateFrom(ValueLayout.JAVA_INT, tid);
            MemorySegment value = arena.allocateFrom(ValueLayout.JAVA_INT, role.id());
            roles.update(key, value);
        }
    }

    /** Why the scheduler stopped; present only after {@link #close}. */
    public ExitReport exitReport() {
        if (exitReport == null) throw new IllegalStateException("the scheduler is still attached");
        return exitReport;
    }

    @Override
    public void close() {
        if (exitReport != null) return;
        link.close();
        exitReport = readExitReport(object.map("exit_report"));
        object.close();
        try {
            Runtime.getRuntime().removeShutdownHook(unloadOnExit);
        } catch (IllegalStateException alreadyExiting) {
            // the hook is running or has run; the link is closed either way
        }
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
