package io.gamerlab.experiment;

import io.gamerlab.sched.Variant;
import java.time.Duration;
import java.util.List;
import java.util.OptionalLong;
import java.util.UUID;
import tech.tablesaw.api.Table;

/**
 * The quickstart: our baseline scheduler and the kernel's own ({@code kernel-default}) under the
 * same game loop, one boot for both, so the first thing a reader sees is what a gaming scheduler
 * is for. The command and the notebook run this one definition.
 */
public final class Quickstart {
    /** The dataset (directory under datasets/) the quickstart's runs join. */
    public static final String EXPERIMENT = "quickstart";
    public static final List<Variant> VARIANTS = List.of(Variant.BASELINE, Variant.KERNEL_DEFAULT);

    private Quickstart() {
    }

    /** One run per variant, {@code length} of the game-loop workload each, in the quickstart dataset. */
    public static List<RunSpec> specs(Duration length, String gitCommit) {
        return VARIANTS.stream().map(v -> RunSpec.of(v, length, gitCommit)
                .inExperiment(UUID.randomUUID().toString(), new RunSpec.Place(EXPERIMENT, 1, OptionalLong.empty(), true))).toList();
    }

    /** The runs' tables as one, for charts that set them side by side. */
    public static Table joined(List<RunResult> results) {
        Table all = results.getFirst().table().copy();
        for (RunResult r : results.subList(1, results.size())) all.append(r.table());
        return all.setName(EXPERIMENT);
    }
}
