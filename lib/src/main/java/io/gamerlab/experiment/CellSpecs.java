package io.gamerlab.experiment;

import io.gamerlab.util.InvalidInputException;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

/**
 * Turns an experiment's cell into the {@link RunSpec} a backend runs, and checks before anything
 * runs that every cell can be turned into one. The workloads known here: {@code gameloop} with
 * {@code hogs} (CPU hogs beside the game loop, default one per CPU) and {@code fork_stress}.
 */
final class CellSpecs {

    private static final Map<String, List<String>> PARAMS = Map.of("gameloop", List.of("hogs", "fork_stress"));

    private CellSpecs() { }

    /** Throws naming the first workload, parameter or variant that no cell could run with. */
    static void check(Experiment e) {
        for (int i = 0; i < e.workloads().size(); i++) {
            WorkloadChoice w = e.workloads().get(i);
            String field = "workloads[" + i + "]";
            List<String> known = PARAMS.get(w.name());
            if (known == null) throw new InvalidInputException(field + ".name", w.name(), "is not a workload", String.join(", ", PARAMS.keySet()));
            for (String key : w.params().keySet())
                if (!known.contains(key))
                    throw new InvalidInputException(field + "." + key, w.params().get(key), "is not a parameter of " + w.name(), String.join(", ", known));
            hogs(field, w);
            forkStress(field, w);
        }
    }

    /** Throws, before anything runs, if a cell needs what this version's backends cannot run. */
    static void requireRunnable(Experiment e) {
        for (int i = 0; i < e.variants().size(); i++)
            if (e.variants().get(i).isKernelDefault())
                throw new InvalidInputException("variants[" + i + "]", VariantChoice.KERNEL_DEFAULT,
                        "cannot run yet: this version's backends run only our scheduler's variants", "variants of our scheduler");
    }

    static RunSpec spec(Experiment e, Cell cell, String gitCommit) {
        String field = "workloads[" + e.workloads().indexOf(cell.workload()) + "]";
        return new RunSpec(cell.id(), cell.variant().variant().orElseThrow(), e.tunables(), hogs(field, cell.workload()),
                forkStress(field, cell.workload()), e.warmup(), e.duration(), gitCommit,
                new RunSpec.Place(e.name(), cell.repetition(), OptionalLong.of(e.seed()), cell.measured()));
    }

    private static int hogs(String field, WorkloadChoice w) {
        String text = w.params().get("hogs");
        if (text == null) return -1;
        String allowed = "a whole number from 0 to 64 (default: one per CPU)";
        if (!text.matches("[0-9]{1,2}")) throw new InvalidInputException(field + ".hogs", text, "is not a hog count", allowed);
        int n = Integer.parseInt(text);
        if (n > 64) throw new InvalidInputException(field + ".hogs", text, "is out of range", allowed);
        return n;
    }

    private static boolean forkStress(String field, WorkloadChoice w) {
        String text = w.params().getOrDefault("fork_stress", "false");
        if (!text.equals("true") && !text.equals("false"))
            throw new InvalidInputException(field + ".fork_stress", text, "is not true or false", "true or false");
        return text.equals("true");
    }
}
