package io.gamerlab.experiment;

import io.gamerlab.sched.LoadedScheduler;
import io.gamerlab.sched.Scheduler;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * The variants one process (a guest boot) has loaded, by their object's content: each is opened,
 * verified and loaded on its first cell and attached afresh for each later one
 * ({@link LoadedScheduler#attach}, which starts every attachment from the state the load left).
 * A cell that fails, its scheduler ejected by the kernel among others, unloads its variant, so
 * the next cell of it starts from a new load. A control cell (measurement off) loads its own
 * object and unloads it at its end: no one reads its input-event rings, and what it leaves in
 * them would reach the next cell's reader.
 */
final class LoadedVariants implements AutoCloseable {

    private final Map<String, LoadedScheduler> byObjectSha256 = new HashMap<>();

    /** The cell's scheduler attached; {@link CellPhases#LOAD} is what loading took (near none when loaded already). */
    Scheduler attach(RunSpec spec, Path objectFile, String objectSha256, CellPhases phases) {
        if (!spec.place().measured()) {
            Scheduler own = Scheduler.load(spec.variant(), objectFile, spec.tunables(), false);
            phases.lap(CellPhases.LOAD, CellPhases.ATTACH, own.attaching());
            return own;
        }
        LoadedScheduler loaded = byObjectSha256.get(objectSha256);
        if (loaded != null && !loaded.takes(spec.tunables())) unload(objectSha256);  // other tunables fixed at load
        loaded = byObjectSha256.get(objectSha256);
        if (loaded == null) {
            loaded = LoadedScheduler.load(spec.variant(), objectFile, spec.tunables());
            byObjectSha256.put(objectSha256, loaded);
        }
        phases.lap(CellPhases.LOAD);
        try {
            return loaded.attach(spec.tunables(), true);
        } catch (RuntimeException e) {
            unload(objectSha256);
            throw e;
        }
    }

    /** Unloads the variant of this object, if loaded: its next cell loads it anew. */
    void unload(String objectSha256) {
        LoadedScheduler loaded = byObjectSha256.remove(objectSha256);
        if (loaded != null) loaded.close();
    }

    @Override
    public void close() {
        byObjectSha256.values().forEach(LoadedScheduler::close);
        byObjectSha256.clear();
    }
}
