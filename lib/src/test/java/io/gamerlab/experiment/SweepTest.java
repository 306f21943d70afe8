package io.gamerlab.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gamerlab.measure.RunTable;
import io.gamerlab.measure.SampleProvenance;
import io.gamerlab.util.InvalidInputException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SweepTest {

    private static Experiment experiment(long seed, int repetitions) {
        return Experiment.named("sweep").variants("ringbuf=shared", "ringbuf=percpu", "prefetch=on")
                .workload("gameloop", Map.of("hogs", "1")).workload("gameloop", Map.of("hogs", "0"))
                .repetitions(repetitions).warmup(Duration.ofSeconds(1)).duration(Duration.ofSeconds(2)).seed(seed).build();
    }

    /** The dataset as a run leaves it: the experiment it was made from, and some stored cells. */
    private static void stored(Path datasets, Experiment e, int cells) throws IOException {
        Dataset d = new Dataset(datasets.resolve(e.name()));
        Files.createDirectories(d.dir());
        Files.writeString(d.dir().resolve(Sweep.EXPERIMENT_FILE), ExperimentFile.write(e));
        for (Cell c : Plan.of(e).subList(0, cells))
            d.add(new RunTable(SampleProvenance.of(c.id(), c.variant().label(), "guest-tcg")).add("workload", "frames", "count", 1).table());
    }

    @Test
    void aNewDatasetHasEveryCellMissingAndTheDryRunListsThemInPlanOrder(@TempDir Path datasets) throws IOException {
        Sweep sweep = Sweep.of(experiment(5, 2), datasets, false);
        assertEquals(Plan.of(experiment(5, 2)), sweep.missing());
        String listing = sweep.describe();
        List<String> ids = listing.lines().skip(2).map(l -> l.trim().split("\\s+")[1]).toList();
        assertEquals(sweep.plan().stream().map(Cell::id).toList(), ids);
        assertTrue(listing.startsWith("experiment sweep: 3 variants x 2 workloads x 2 repetitions + 2 control cells = 14 cells, seed 5"), listing);
        assertFalse(Files.exists(datasets.resolve("sweep")), "a dry run wrote something");
    }

    @Test
    void aDatasetThatHoldsTheExperimentIsContinuedOnlyWithResume(@TempDir Path datasets) throws IOException {
        stored(datasets, experiment(5, 2), 3);
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> Sweep.of(experiment(5, 2), datasets, false));
        assertTrue(e.getMessage().contains("3 of 14 cells stored") && e.getMessage().contains("--resume"), e.getMessage());
        Sweep resumed = Sweep.of(experiment(5, 2), datasets, true);
        assertEquals(Plan.of(experiment(5, 2)).subList(3, 14), resumed.missing());
        assertTrue(resumed.describe().contains(" yes "), resumed.describe());
    }

    @Test
    void resumingWithAnotherExperimentIsRefusedNamingWhatDiffers(@TempDir Path datasets) throws IOException {
        stored(datasets, experiment(5, 2), 1);
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> Sweep.of(experiment(6, 2), datasets, true));
        assertTrue(e.getMessage().contains("differs from the one its dataset was made from") && e.getMessage().contains("seed"), e.getMessage());
        e = assertThrows(InvalidInputException.class, () -> Sweep.of(experiment(5, 1), datasets, true));
        assertTrue(e.getMessage().contains("repetitions (fewer than before)"), e.getMessage());
        e = assertThrows(InvalidInputException.class, () -> Sweep.of(experiment(5, 2).onBackend("host"), datasets, true));
        assertTrue(e.getMessage().contains("backend"), e.getMessage());
    }

    @Test
    void moreRepetitionsContinueTheSameDataset(@TempDir Path datasets) throws IOException {
        stored(datasets, experiment(5, 2), 14);
        Sweep grown = Sweep.of(experiment(5, 3), datasets, true);
        assertEquals(Plan.of(experiment(5, 3)).subList(14, 21), grown.missing());
    }
}
