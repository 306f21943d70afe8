package io.gamerlab.experiment;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Runs a sweep's cells in the guest, a shard of them per boot ({@link GuestBackend#runEach}): a
 * boot costs half a minute under TCG, a cell a few seconds beyond its workload. The boot's one JVM
 * loads each variant on its first cell and attaches and detaches it for each cell ({@link LoadedVariants}). A cell whose variant the verifier refuses or
 * the kernel ejects is stored as failed with those words, and the boot goes on with the next.
 *
 * <p>The host reads a boot's results when the guest powers off, so the cells of a boot are stored
 * together, at its end, each as it is read. What bounds the loss: the guest puts each finished
 * cell on disk before it starts the next, and the host reads them back whatever became of the
 * guest, so a guest that dies (panics, hangs, is killed) loses only its cell in flight, which is
 * stored as failed with the reason; the shard's remaining cells run in a new boot. A host process
 * killed mid-boot loses that boot's cells (they run again on resume): hence shards of at most
 * {@value #MAX_CELLS_PER_BOOT} cells and {@link #MAX_WORKLOAD_PER_BOOT} of workload time.
 */
final class GuestShards implements CellRunner {

    static final int MAX_CELLS_PER_BOOT = 24;
    static final Duration MAX_WORKLOAD_PER_BOOT = Duration.ofMinutes(10);

    private final GuestBackend guest;
    private final String gitCommit;

    GuestShards(GuestBackend guest, String gitCommit) {
        this.guest = guest;
        this.gitCommit = gitCommit;
    }

    @Override
    public String backend() {
        return guest.name();
    }

    @Override
    public void run(Experiment experiment, List<Cell> cells, CellRunner.Sink sink) throws IOException, InterruptedException {
        List<Cell> pending = new ArrayList<>(cells);
        while (!pending.isEmpty()) {
            List<Cell> shard = shard(experiment, pending);
            List<RunSpec> specs = shard.stream().map(c -> CellSpecs.spec(experiment, c, gitCommit)).toList();
            sink.started(shard.getFirst());
            GuestBackend.Boot boot = guest.runEach(specs);
            int finished = boot.finished().size();
            if (finished == 0 && boot.started() == 0)
                throw new GuestFailedException("the guest ran none of its " + shard.size() + " cells: " + boot.stoppedShort());
            Duration inCells = boot.finished().stream().map(GuestBackend.Attempt::inGuest).reduce(Duration.ZERO, Duration::plus);
            Duration bootShare = finished == 0 ? Duration.ZERO : boot.wall().minus(inCells).dividedBy(finished);
            for (int i = 0; i < finished; i++) {
                GuestBackend.Attempt a = boot.finished().get(i);
                Cell cell = shard.get(i);
                if (i > 0) sink.started(cell);
                var rows = a.failed() ? CellSpecs.failedRows(experiment, cell, specs.get(i), guest, gitCommit, a.error()) : a.result().table();
                CellCost.addTo(rows, specs.get(i), a.inGuest(), bootShare, i + 1, a.phases());
                sink.finished(cell, rows, a.failed());
            }
            pending.subList(0, finished).clear();
            // Stopped between cells: the rest go to a new boot. Stopped in one: that one failed, the rest go to a new boot.
            if (boot.stoppedShort() == null || boot.started() == finished) continue;
            Cell inFlight = pending.removeFirst();
            if (finished > 0) sink.started(inFlight);
            sink.finished(inFlight, CellSpecs.failedRows(experiment, inFlight, specs.get(finished), guest, gitCommit,
                    "the guest stopped in this cell: " + boot.stoppedShort()), true);
        }
    }

    /** The first cells of {@code pending}: at least one, then as many as the bounds allow. */
    private static List<Cell> shard(Experiment experiment, List<Cell> pending) {
        Duration perCell = experiment.warmup().plus(experiment.duration());
        long byTime = Math.max(1, MAX_WORKLOAD_PER_BOOT.dividedBy(perCell));
        int size = (int) Math.min(pending.size(), Math.min(MAX_CELLS_PER_BOOT, byTime));
        return List.copyOf(pending.subList(0, size));
    }
}
