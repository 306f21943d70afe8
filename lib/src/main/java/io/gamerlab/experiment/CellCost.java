package io.gamerlab.experiment;

import io.gamerlab.measure.RunTable;
import java.time.Duration;
import tech.tablesaw.api.Table;

/**
 * What running a cell cost beyond its workload's own time, as rows of the cell's table (source
 * {@value #SOURCE}), so every dataset says what its sweep's overhead was: {@value #OVERHEAD} is the
 * cell's time beyond its warm-up and measured duration (building the workload, loading and
 * attaching its variant, detaching, tabulating, writing its result to disk), and
 * {@value #BOOT_SHARE}, in a guest, the boot's time outside every cell (QEMU, the kernel, the
 * JVM's start, the job disk, reading results back) divided among the cells of that boot.
 */
public final class CellCost {

    public static final String SOURCE = "cell";
    public static final String OVERHEAD = "overhead_s";
    public static final String BOOT_SHARE = "boot_share_s";

    private CellCost() { }

    /** {@code took}: the cell from its start to its result on disk; {@code bootShare} null where nothing booted. */
    static void addTo(Table rows, RunSpec spec, Duration took, Duration bootShare) {
        Duration workload = spec.warmup().plus(spec.duration());
        RunTable.appendLike(rows, SOURCE, OVERHEAD, "s", seconds(took.minus(workload)),
                "the cell's " + seconds(took) + " s less its workload's " + seconds(workload) + " s (warm-up and measured)");
        if (bootShare != null)
            RunTable.appendLike(rows, SOURCE, BOOT_SHARE, "s", seconds(bootShare), "the boot's time outside its cells, per cell of the boot");
    }

    private static double seconds(Duration d) {
        return d.toNanos() / 1e9;
    }
}
