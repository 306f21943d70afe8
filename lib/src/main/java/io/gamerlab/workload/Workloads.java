package io.gamerlab.workload;

import java.util.List;
import java.util.stream.Collectors;

/**
 * The registry of workload kinds, by the name their text form starts with. The seed analysis's
 * benchmark scenarios are here: high-FPS input ({@code input}), multi-CPU wake-ups
 * ({@code wakestorm}), cold cache ({@code coldcache}) and cache pressure ({@code pressure}),
 * besides the pipeline axis's own workload ({@code pipeline}) and the game loop ({@code gameloop}).
 */
public final class Workloads {

    private static final List<WorkloadKind> KINDS = List.of(GameLoopWorkload.KIND, FramePipelineWorkload.KIND,
            WakeStormWorkload.KIND, ColdCacheWorkload.KIND, CachePressureWorkload.KIND, HighRateInputWorkload.KIND);

    private Workloads() { }

    public static List<WorkloadKind> kinds() {
        return KINDS;
    }

    public static List<String> names() {
        return KINDS.stream().map(WorkloadKind::name).toList();
    }

    /** The kind named {@code name}; an unknown name is an error that lists the known ones. */
    public static WorkloadKind kind(String name) {
        for (WorkloadKind k : KINDS) if (k.name().equals(name)) return k;
        throw new IllegalArgumentException("unknown workload '" + name + "'; known workloads: " + names());
    }

    /** Every kind with its parameters, defaults and ranges: the text form's reference. */
    public static String describe() {
        return KINDS.stream().map(WorkloadKind::describe).collect(Collectors.joining("\n"));
    }
}
