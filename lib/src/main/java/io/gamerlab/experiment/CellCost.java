package io.gamerlab.experiment;

import io.gamerlab.measure.RunTable;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import tech.tablesaw.api.Table;

/**
 * What running a cell cost beyond its workload's own time, as rows of the cell's table (source
 * {@value #SOURCE}), so every dataset says what its sweep's overhead was: {@value #OVERHEAD} is the
 * cell's time beyond its warm-up and measured duration (building the workload, loading and
 * attaching its variant, detaching, tabulating, writing its result to disk), and
 * {@value #BOOT_SHARE}, in a guest, the boot's time outside every cell (QEMU, the kernel, the
 * JVM's start, the job disk, reading results back) divided among the cells of that boot, and
 * {@value #BOOT_POSITION} the cell's place in its boot.
 *
 * <p>Where the cell's phases were timed ({@link CellPhases}: in a guest), {@value #PART_PREFIX}{@code
 * <phase>_s} rows say what the overhead is made of: each phase's time, less, for the warm-up and
 * the measured workload, their nominal length (what is left is starting and stopping them), and
 * {@value #PART_PREFIX}{@value #OTHER}{@code _s} the rest of the cell's overhead, outside every phase.
 * The parts add up to {@value #OVERHEAD}.
 */
public final class CellCost {

    public static final String SOURCE = "cell";
    public static final String OVERHEAD = "overhead_s";
    public static final String BOOT_SHARE = "boot_share_s";
    /** A guest cell's place among its boot's cells, from 1: the first bears the guest JVM's warm-up. */
    public static final String BOOT_POSITION = "boot_position";
    /** The metric of a part of {@value #OVERHEAD}: this, the phase's name, {@code _s}. */
    public static final String PART_PREFIX = "part_";
    /** The part outside every timed phase. */
    public static final String OTHER = "other";

    /** The phases whose nominal length is workload time: only their excess is overhead. */
    private static final Set<String> WORKLOAD_PHASES = Set.of(CellPhases.WARMUP, CellPhases.WORKLOAD);

    private CellCost() { }

    /**
     * {@code took}: the cell from its start to its result on disk; {@code bootShare} null where
     * nothing booted, {@code bootPosition} then ignored; {@code phases} where {@code took} went,
     * empty where it was not timed by phase.
     */
    static void addTo(Table rows, RunSpec spec, Duration took, Duration bootShare, int bootPosition, Map<String, Duration> phases) {
        Duration workload = spec.warmup().plus(spec.duration());
        Duration overhead = took.minus(workload);
        RunTable.appendLike(rows, SOURCE, OVERHEAD, "s", seconds(overhead),
                "the cell's " + seconds(took) + " s less its workload's " + seconds(workload) + " s (warm-up and measured)");
        if (bootShare != null) {
            RunTable.appendLike(rows, SOURCE, BOOT_SHARE, "s", seconds(bootShare), "the boot's time outside its cells, per cell of the boot");
            RunTable.appendLike(rows, SOURCE, BOOT_POSITION, "count", bootPosition,
                    "the cell's place among its boot's cells (1: the first, which bears the guest JVM's warm-up)");
        }
        if (phases.isEmpty()) return;
        Duration rest = overhead;
        for (Map.Entry<String, Duration> p : phases.entrySet()) {
            String phase = p.getKey();
            Duration nominal = !WORKLOAD_PHASES.contains(phase) ? Duration.ZERO
                    : phase.equals(CellPhases.WARMUP) ? spec.warmup() : spec.duration();
            Duration part = p.getValue().minus(nominal);
            rest = rest.minus(part);
            RunTable.appendLike(rows, SOURCE, PART_PREFIX + phase + "_s", "s", seconds(part), nominal.isZero()
                    ? "the cell's time in " + phase : "the " + phase + "'s " + seconds(p.getValue()) + " s less its nominal " + seconds(nominal) + " s");
        }
        RunTable.appendLike(rows, SOURCE, PART_PREFIX + OTHER + "_s", "s", seconds(rest), "the cell's overhead outside its timed phases");
    }

    private static double seconds(Duration d) {
        return d.toNanos() / 1e9;
    }
}
