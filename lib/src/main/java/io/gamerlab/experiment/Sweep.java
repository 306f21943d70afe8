package io.gamerlab.experiment;

import io.gamerlab.util.AtomicFiles;
import io.gamerlab.util.InvalidInputException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.FileAlreadyExistsException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import tech.tablesaw.api.Table;

/**
 * An experiment against its dataset: the plan, which cells are stored already, and running the
 * missing ones, each stored the moment it finishes. The dataset keeps the experiment it was made
 * from ({@value #EXPERIMENT_FILE}); resuming it with a different one is refused, naming what
 * differs (adding repetitions is allowed: the plan keeps its first blocks).
 */
public final class Sweep {

    public static final String EXPERIMENT_FILE = "experiment.toml";

    /** What a sweep reports as it goes: the CLI draws a progress bar, a notebook prints lines. */
    public interface Progress {
        void starting(int toRun, int stored, int total);

        void cellStarted(Cell cell);

        void cellFinished(Cell cell, boolean failed, String reason);
    }

    /**
     * Counts of a finished (or stopped) run: cells run, of them failed, of them stored by another
     * process meanwhile (a duplicate, dropped), and cells of the run's scope still without a result.
     */
    public record Outcome(int ran, int failed, int duplicates, int missing, Duration wall) { }

    private final Experiment experiment;
    private final Dataset dataset;
    private final List<Cell> plan;

    private Sweep(Experiment experiment, Dataset dataset) {
        this.experiment = experiment;
        this.dataset = dataset;
        this.plan = Plan.of(experiment);
    }

    /**
     * The experiment against {@code datasets/<name>/} under {@code datasetsRoot}. Unless
     * {@code resume}, a dataset that holds this experiment already is refused (so a rerun never
     * mixes into an old dataset by accident); with it, the stored experiment must match.
     */
    public static Sweep of(Experiment experiment, Path datasetsRoot, boolean resume) throws IOException {
        Sweep sweep = new Sweep(experiment, new Dataset(datasetsRoot.resolve(experiment.name())));
        Path stored = sweep.dataset.dir().resolve(EXPERIMENT_FILE);
        if (Files.isRegularFile(stored)) {
            if (!resume)
                throw new InvalidInputException("experiment", experiment.name(), "has a dataset already, " + sweep.dataset.dir()
                        + ", with " + sweep.stored().size() + " of " + sweep.plan.size() + " cells stored",
                        "--resume to run only the missing cells, or another experiment name");
            Experiment before = ExperimentFile.parse(experiment.name(), Files.readAllBytes(stored), stored.toString());
            requireSamePlan(before, experiment, stored);
        }
        return sweep;
    }

    private static void requireSamePlan(Experiment before, Experiment now, Path stored) {
        List<String> differ = new ArrayList<>();
        if (!before.variants().equals(now.variants())) differ.add("variants");
        if (!before.workloads().equals(now.workloads())) differ.add("workloads");
        if (!before.tunables().equals(now.tunables())) differ.add("tunables");
        if (!before.warmup().equals(now.warmup())) differ.add("warmup");
        if (!before.duration().equals(now.duration())) differ.add("duration");
        if (before.seed() != now.seed()) differ.add("seed");
        if (!before.backend().equals(now.backend())) differ.add("backend");
        if (now.repetitions() < before.repetitions()) differ.add("repetitions (fewer than before)");
        if (!differ.isEmpty())
            throw new InvalidInputException("experiment", now.name(), "differs from the one its dataset was made from (" + stored
                    + ") in " + String.join(", ", differ), "the same experiment (more repetitions are fine), or a new name for a new dataset");
    }

    public Experiment experiment() {
        return experiment;
    }

    public Dataset dataset() {
        return dataset;
    }

    /** Every cell, in the order they run. */
    public List<Cell> plan() {
        return plan;
    }

    public Set<String> stored() throws IOException {
        return dataset.cells();
    }

    /** The cells with no stored result, in plan order (failed ones included: they have no result). */
    public List<Cell> missing() throws IOException {
        Set<String> stored = stored();
        return plan.stream().filter(c -> !stored.contains(c.id())).toList();
    }

    /** The plan as {@code --dry-run} prints it: one line per cell, with what the dataset holds of it. */
    public String describe() throws IOException {
        CellSpecs.check(experiment);
        Set<String> stored = stored();
        Map<String, String> failed = dataset.failures();
        StringBuilder s = new StringBuilder();
        s.append(String.format(Locale.ROOT, "experiment %s: %d variants x %d workloads x %d repetitions + %d control cells = %d cells,"
                        + " seed %d, warm-up %s, measured %s each, backend %s%n", experiment.name(), experiment.variants().size(),
                experiment.workloads().size(), experiment.repetitions(), experiment.repetitions(), plan.size(), experiment.seed(),
                DurationText.format(experiment.warmup()), DurationText.format(experiment.duration()), experiment.backend()));
        s.append(String.format(Locale.ROOT, "%5s  %-14s  %-4s  %-13s  %-6s  %-64s  %s%n", "#", "cell", "rep", "measurement", "stored",
                "variant", "workload"));
        for (Cell c : plan) {
            String state = stored.contains(c.id()) ? "yes" : failed.containsKey(c.id()) ? "failed" : "no";
            s.append(String.format(Locale.ROOT, "%5d  %-14s  %-4d  %-13s  %-6s  %-64s  %s%n", c.index(), c.id(), c.repetition(),
                    c.measured() ? "on" : "off (control)", state, c.variant().label(), c.workload().label()));
        }
        return s.toString();
    }

    /**
     * Runs every missing cell with {@code runner}, storing each as it finishes (failures under
     * {@code failed/}). Holds the dataset's lock throughout.
     */
    public Outcome run(Backend backend, String gitCommit, Progress progress) throws IOException, InterruptedException {
        CellSpecs.check(experiment);
        return run(backend.cellRunner(gitCommit), progress);
    }

    Outcome run(CellRunner runner, Progress progress) throws IOException, InterruptedException {
        long start = System.nanoTime();
        try (Dataset.Lock lock = dataset.lock()) {
            storeExperiment();
            List<Cell> toRun = missing();
            return runCells(runner, toRun, progress, plan, start);
        }
    }

    /**
     * Stores the experiment beside its dataset and returns the cells still missing, under the
     * dataset's lock: what a submission to a cluster hands out in shards ({@link #runShard}).
     */
    public List<Cell> prepare() throws IOException {
        CellSpecs.check(experiment);
        try (Dataset.Lock lock = dataset.lock()) {
            storeExperiment();
            return missing();
        }
    }

    /**
     * Runs the cells named in {@code shard} that have no result yet, beside other processes that
     * run other shards of this dataset at the same time (each holds the dataset's lock shared).
     * The experiment must have been stored by {@link #prepare}. A cell that another process
     * stored meanwhile keeps its stored result: this run's rows for it are dropped, and counted.
     */
    public Outcome runShard(Backend backend, String gitCommit, Progress progress, Collection<String> shard)
            throws IOException, InterruptedException {
        CellSpecs.check(experiment);
        return runShard(backend.cellRunner(gitCommit), progress, shard);
    }

    Outcome runShard(CellRunner runner, Progress progress, Collection<String> shard) throws IOException, InterruptedException {
        Set<String> planned = new HashSet<>();
        for (Cell c : plan) planned.add(c.id());
        for (String id : shard)
            if (!planned.contains(id))
                throw new InvalidInputException("cell", id, "is not a cell of experiment " + experiment.name(), "the ids its plan lists (--dry-run)");
        Set<String> wanted = Set.copyOf(shard);
        List<Cell> mine = plan.stream().filter(c -> wanted.contains(c.id())).toList();
        long start = System.nanoTime();
        try (Dataset.Lock lock = dataset.sharedLock()) {
            Path stored = dataset.dir().resolve(EXPERIMENT_FILE);
            if (!Files.isRegularFile(stored) || !Files.readString(stored).equals(ExperimentFile.write(experiment)))
                throw new IllegalStateException("dataset " + dataset.dir() + " does not hold this experiment as " + EXPERIMENT_FILE
                        + "; a shard runs only in a dataset prepared for it");
            Set<String> done = stored();
            List<Cell> toRun = mine.stream().filter(c -> !done.contains(c.id())).toList();
            return runCells(runner, toRun, progress, mine, start);
        }
    }

    private Outcome runCells(CellRunner runner, List<Cell> toRun, Progress progress, List<Cell> of, long start)
            throws IOException, InterruptedException {
        progress.starting(toRun.size(), of.size() - toRun.size(), of.size());
        int[] counts = new int[3];
        runner.run(experiment, toRun, new CellRunner.Sink() {
            @Override
            public void started(Cell cell) {
                progress.cellStarted(cell);
            }

            @Override
            public void finished(Cell cell, Table rows, boolean failed) throws IOException {
                String note = failed ? reason(rows) : "";
                if (failed) {
                    dataset.addFailure(rows);
                } else {
                    try {
                        dataset.add(rows);
                    } catch (FileAlreadyExistsException another) {
                        counts[2]++;
                        note = "stored meanwhile by another process; its result is kept and this one dropped";
                    }
                }
                counts[0]++;
                if (failed) counts[1]++;
                progress.cellFinished(cell, failed, note);
            }
        });
        Set<String> done = stored();
        int missing = (int) of.stream().filter(c -> !done.contains(c.id())).count();
        return new Outcome(counts[0], counts[1], counts[2], missing, Duration.ofNanos(System.nanoTime() - start));
    }

    private void storeExperiment() throws IOException {
        Path stored = dataset.dir().resolve(EXPERIMENT_FILE);
        byte[] text = ExperimentFile.write(experiment).getBytes(StandardCharsets.UTF_8);
        if (!Files.isRegularFile(stored)) AtomicFiles.createNew(stored, text);
        else if (!Files.readString(stored).equals(new String(text, StandardCharsets.UTF_8))) replaceStoredExperiment(stored, text);
    }

    /** More repetitions than before: the stored experiment is replaced by the grown one (atomically, under the lock). */
    private static void replaceStoredExperiment(Path stored, byte[] text) throws IOException {
        Path grown = stored.resolveSibling(EXPERIMENT_FILE + ".grown");
        Files.deleteIfExists(grown);
        AtomicFiles.createNew(grown, text);
        Files.move(grown, stored, java.nio.file.StandardCopyOption.ATOMIC_MOVE, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        AtomicFiles.syncDirectory(stored.getParent());
    }

    private static String reason(Table rows) {
        var status = rows.stringColumn("status");
        for (int i = 0; i < rows.rowCount(); i++) if (status.get(i).equals("failed")) return rows.stringColumn("note").get(i);
        return "";
    }
}
