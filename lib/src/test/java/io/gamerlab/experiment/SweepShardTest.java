package io.gamerlab.experiment;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gamerlab.measure.Column;
import io.gamerlab.measure.RunTable;
import io.gamerlab.measure.SampleProvenance;
import io.gamerlab.util.InvalidInputException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tech.tablesaw.api.Table;

/**
 * A shard of a sweep, as a task of a job array runs it: only its own cells, into a dataset
 * prepared for it, and a cell that another task stored meanwhile keeps the stored result.
 */
class SweepShardTest {

    private static final Experiment EXPERIMENT = Experiment.named("shard").variants("ringbuf=shared", "ringbuf=percpu")
            .workload("gameloop", Map.of("hogs", "0")).repetitions(1).duration(Duration.ofSeconds(1)).seed(3).build();

    private static Table rows(Cell cell, String note) {
        return new RunTable(SampleProvenance.of(cell.id(), cell.variant().label(), "guest-tcg"))
                .row("workload", "frames", "count", 60, Column.Status.OK, note).table();
    }

    /** Hands back each cell's rows; for {@code contested}, another process stores it first, as a second task running it would. */
    private static CellRunner runner(Dataset dataset, Cell contested) {
        return new CellRunner() {
            @Override
            public String backend() {
                return "guest-tcg";
            }

            @Override
            public void run(Experiment experiment, List<Cell> cells, Sink sink) throws IOException {
                for (Cell cell : cells) {
                    sink.started(cell);
                    if (cell.equals(contested)) new Dataset(dataset.dir()).add(rows(cell, "stored first"));
                    sink.finished(cell, rows(cell, "this task's"), false);
                }
            }
        };
    }

    @Test
    void aCellStoredMeanwhileByAnotherTaskKeepsItsResultAndOnlyTheShardRuns(@TempDir Path datasets) throws Exception {
        Sweep sweep = Sweep.of(EXPERIMENT, datasets, false);
        List<Cell> missing = sweep.prepare();
        assertEquals(sweep.plan(), missing);
        Cell contested = missing.get(0);
        Sweep.Outcome o = sweep.runShard(runner(sweep.dataset(), contested), new PrintedProgress(System.out),
                List.of(missing.get(1).id(), contested.id()));
        assertEquals(2, o.ran());
        assertEquals(0, o.failed());
        assertEquals(1, o.duplicates());
        assertEquals(0, o.missing(), "of the shard");
        assertEquals(Set.of(contested.id(), missing.get(1).id()), sweep.stored(), "the shard's cells, and no other");
        assertArrayEquals(DatasetFile.encode(rows(contested, "stored first")),
                Files.readAllBytes(sweep.dataset().dir().resolve(contested.id() + ".csv")), "the first result stays, whole");
        assertEquals(2, sweep.dataset().table().rowCount(), "every stored file reads back");
    }

    @Test
    void aShardRunsOnlyInADatasetPreparedForItAndOnlyCellsOfThePlan(@TempDir Path datasets) throws Exception {
        Sweep sweep = Sweep.of(EXPERIMENT, datasets, false);
        Cell cell = sweep.plan().getFirst();
        IllegalStateException unprepared = assertThrows(IllegalStateException.class,
                () -> sweep.runShard(runner(sweep.dataset(), null), new PrintedProgress(System.out), List.of(cell.id())));
        assertTrue(unprepared.getMessage().contains("does not hold this experiment"), unprepared.getMessage());
        sweep.prepare();
        InvalidInputException stranger = assertThrows(InvalidInputException.class,
                () -> sweep.runShard(runner(sweep.dataset(), null), new PrintedProgress(System.out), List.of("c9999-00000000")));
        assertTrue(stranger.getMessage().contains("is not a cell of experiment shard"), stranger.getMessage());
        assertEquals(Set.of(), sweep.stored());
    }
}
