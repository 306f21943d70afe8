package io.gamerlab.sched;

import io.gamerlab.bpf.BpfException;
import io.gamerlab.bpf.BpfObject;
import io.gamerlab.bpf.ProgramInfo;
import io.gamerlab.bpf.MapsSnapshot;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * A variant's scheduler object, opened, verified and loaded once, then attached as often as
 * wanted ({@link #attach}), one attachment at a time: the verifier's seconds under emulation are
 * paid once, and each attachment enables the scheduler afresh (a new struct_ops link: the kernel
 * keeps the loaded ops ready between links, and each enable runs the scheduler's init).
 *
 * <p>Each attachment starts from the state the load left: before every attachment but the first,
 * the maps the programs write (statistics, the exit record, declared roles and stages, per-CPU
 * state, the input path's slots and drops, .data and .bss) are put back as they were right after
 * load ({@link MapsSnapshot}), and the run-time tunables are written as the attachment asks.
 * Per-task contexts (task storage) need no reset: the kernel calls exit_task for every task when
 * the scheduler is disabled, which deletes them. Tunables fixed at load (.rodata) cannot change:
 * an attachment that asks for other values is refused, naming them.
 */
public final class LoadedScheduler implements AutoCloseable {

    private final BpfObject object;
    private final Variant variant;  // null when loaded by path alone
    private final Tunables atLoad;
    private final Map<String, String> sections;
    private final List<Hook> skipped;
    private final MapsSnapshot asLoaded;
    private final Duration loading;
    private Scheduler attached;
    private int attachments;

    private LoadedScheduler(BpfObject object, Variant variant, Tunables atLoad, Map<String, String> sections, List<Hook> skipped,
                            Duration loading) {
        this.object = object;
        this.variant = variant;
        this.atLoad = atLoad;
        this.sections = sections;
        this.skipped = skipped;
        this.asLoaded = MapsSnapshot.of(object);
        this.loading = loading;
    }

    /**
     * Opens, verifies and loads a variant's object with the tunables fixed at load taken from
     * {@code tunables}; nothing is attached yet. Fails with {@link SchedExtUnavailableException}
     * where this kernel or process cannot run a sched_ext scheduler, and with
     * {@link SchedulerLoadException} naming the variant and the verifier's words where the kernel
     * refuses the object ({@code variant} null: with the kernel's {@link BpfException} itself).
     */
    public static LoadedScheduler load(Variant variant, Path objectFile, Tunables tunables) {
        try {
            return load(objectFile, variant, tunables);
        } catch (BpfException refused) {
            if (variant == null) throw refused;
            throw new SchedulerLoadException(variant, refused);
        }
    }

    private static LoadedScheduler load(Path objectFile, Variant variant, Tunables tunables) {
        long start = System.nanoTime();
        Scheduler.requireSchedExt();
        if (!Files.isRegularFile(objectFile))
            throw new IllegalArgumentException("no BPF object at " + objectFile + ": build it with `make -C bpf`");
        BpfObject object = BpfObject.open(objectFile);
        try {
            KernelFunctions kernel = KernelFunctions.running();
            Scheduler.requireKernelFunctions(object.kernelFunctions(), kernel);
            Map<String, String> sections = object.programSections();
            List<Hook> skipped = Scheduler.skipHooksThisKernelLacks(object, sections, kernel);
            tunables.values().forEach((t, value) -> {
                if (!t.runtime()) object.setReadOnlyUnsigned(t.bpfName(), value);
            });
            InputEventStream.prepare(object);
            object.load();
            return new LoadedScheduler(object, variant, tunables, sections, skipped, Duration.ofNanos(System.nanoTime() - start));
        } catch (RuntimeException e) {
            object.close();
            throw e;
        }
    }

    /** How long opening, verifying and loading took. */
    /** What the verifier and the JIT made of each program. */
    public List<ProgramInfo> programInfo() {
        return object.programInfo();
    }

    public Duration loading() {
        return loading;
    }

    /** Whether {@link #attach} takes {@code tunables}: their values fixed at load are this load's. */
    public boolean takes(Tunables tunables) {
        return fixedDifferences(tunables).isEmpty();
    }

    private List<Tunable> fixedDifferences(Tunables tunables) {
        return atLoad.differences(tunables).stream().filter(t -> !t.runtime()).toList();
    }

    /**
     * Enables the scheduler with {@code tunables} (their run-time values; those fixed at load must
     * be this load's), from the state the load left, as {@link Scheduler#load(Variant, Path, Tunables, boolean)}
     * would have; closing the scheduler detaches it and leaves this object loaded for the next
     * attachment. A link the kernel refuses fails as a refused load would.
     */
    public synchronized Scheduler attach(Tunables tunables, boolean streamInputEvents) {
        if (attached != null && !attached.closed())
            throw new IllegalStateException(object.file() + " is attached already: close that scheduler first");
        List<Tunable> fixed = fixedDifferences(tunables);
        if (!fixed.isEmpty())
            throw new IllegalArgumentException("tunables " + Tunable.names(fixed) + " are fixed at load, and " + object.file()
                    + " was loaded with other values: load it again to change them");
        Scheduler.requireSchedExt();
        if (attachments++ > 0) asLoaded.restore();
        try {
            attached = Scheduler.attach(object, tunables, streamInputEvents, sections, skipped);
            return attached;
        } catch (BpfException refused) {
            if (variant == null) throw refused;
            throw new SchedulerLoadException(variant, refused);
        }
    }

    /** Detaches whatever is still attached and unloads the object; idempotent. */
    @Override
    public synchronized void close() {
        if (attached != null && !attached.closed()) attached.close();
        object.close();
    }
}
