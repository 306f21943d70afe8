package io.gamerlab.bench.host;

import io.gamerlab.experiment.Cell;
import io.gamerlab.experiment.Dataset;
import io.gamerlab.experiment.DatasetFile;
import io.gamerlab.measure.Column;
import io.gamerlab.measure.Provenance;
import io.gamerlab.measure.RunTable;
import io.gamerlab.util.FileHash;
import io.gamerlab.util.InvalidInputException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;
import tech.tablesaw.api.Row;
import tech.tablesaw.api.Table;

/**
 * One run of a host bench as a dataset ({@code datasets/<bench>/<run>/}, the {@link Column}
 * schema, written by {@link Dataset}): a {@value #SETTINGS} cell with the run's settings, written
 * first; one cell per trial, each stored atomically the moment the trial ends; and a
 * {@value #SUMMARY} cell at the end with what is derived from the whole run (rows that carry their
 * trial's coordinates) and how the run ended. A run that stopped early is continued with
 * {@code resume}: the same plan (its settings must match), only the trials not stored yet run, and
 * the stored ones are read back so the summary covers them all.
 *
 * @param <C> the bench's config
 * @param <T> its trial type
 */
public final class BenchRun<C, T extends TrialMetrics<C>> implements AutoCloseable {

    public static final String SETTINGS = "settings";
    public static final String SUMMARY = "summary";
    /** The metric of the {@code run} row that says a run ended. */
    public static final String COMPLETED = "completed";
    /** Host benches run BPF in the host kernel, timed by its real clock. */
    public static final String BACKEND = "host";
    public static final String CLOCK = "host";
    /** The variant column of rows that belong to no trial (settings, how the run ended). */
    private static final String NO_TRIAL = "-";

    /** How a bench names its trials in dataset rows. */
    public interface Naming<C> {
        /** The build a trial runs, e.g. {@code ringbuf=percpu,batch=8,prefetch=on}. */
        String variant(C config);

        /** What else tells the trial's configuration apart, e.g. consumer, producers, notify. */
        Map<String, String> params(C config);

        /** The BPF object the trial loads, its content hashed into every row; null if it loads none. */
        Path object(C config);
    }

    private final Dataset dataset;
    private final Dataset.Lock lock;
    private final String bench;
    private final List<HostBench.Planned<C>> plan;
    private final long seed;
    private final Naming<C> naming;
    private final List<String> ids;
    private final Provenance.Machine machine;
    private final Provenance.Node node;
    private final String gitCommit;
    private final Map<T, Integer> written = new IdentityHashMap<>();

    private BenchRun(Dataset dataset, Dataset.Lock lock, String bench, List<HostBench.Planned<C>> plan, long seed, Naming<C> naming,
                     String gitCommit) {
        this.dataset = dataset;
        this.lock = lock;
        this.bench = bench;
        this.plan = plan;
        this.seed = seed;
        this.naming = naming;
        this.gitCommit = gitCommit;
        this.machine = Provenance.Machine.here(BACKEND, CLOCK);
        this.node = Provenance.Node.here();
        this.ids = new ArrayList<>();
        int width = Math.max(4, Integer.toString(plan.size()).length());
        for (int i = 0; i < plan.size(); i++) ids.add(trialId(i, width, plan.get(i)));
    }

    /**
     * Starts a run in {@code dir}, which must not hold one yet; or, with {@code resume}, continues
     * the run there, whose stored settings must equal {@code settings}.
     */
    public static <C, T extends TrialMetrics<C>> BenchRun<C, T> start(Path dir, String bench, List<HostBench.Planned<C>> plan, long seed,
                                                                       Map<String, String> settings, Naming<C> naming, String gitCommit,
                                                                       boolean resume) throws IOException {
        Dataset dataset = new Dataset(dir);
        boolean exists = Files.isRegularFile(dir.resolve(SETTINGS + ".csv"));
        if (exists && !resume)
            throw new InvalidInputException("--out", dir.toString(), "holds a run already", "a new directory, or --resume " + dir + " to continue that run");
        if (!exists && resume)
            throw new InvalidInputException("--resume", dir.toString(), "holds no run (no " + SETTINGS + ".csv)", "the directory of a run that stopped early");
        if (resume && Files.isRegularFile(dir.resolve(SUMMARY + ".csv")))
            throw new InvalidInputException("--resume", dir.toString(), "holds a run that ended (it has its " + SUMMARY + ".csv)",
                    "the directory of a run that stopped early");
        Dataset.Lock lock = dataset.lock();
        try {
            BenchRun<C, T> run = new BenchRun<>(dataset, lock, bench, plan, seed, naming, gitCommit);
            if (exists) run.requireSameSettings(settings);
            else dataset.add(run.settingRows(SETTINGS, settings));
            return run;
        } catch (IOException | RuntimeException e) {
            lock.close();
            throw e;
        }
    }

    public Path dir() {
        return dataset.dir();
    }

    /** Whether trial {@code i} of the plan is stored already (by an earlier process of a resumed run). */
    private boolean stored(int i) throws IOException {
        return Files.isRegularFile(dataset.dir().resolve(ids.get(i) + ".csv"));
    }

    /** Trial {@code i} as stored: a new trial from {@code create}, with every metric read back. */
    private T restore(int i, TrialFactory<C, T> create) throws IOException {
        HostBench.Planned<C> p = plan.get(i);
        T trial = create.create(p.config(), p.repetition(), i);
        Table rows = DatasetFile.read(dataset.dir().resolve(ids.get(i) + ".csv"));
        for (Row r : rows)
            trial.add(new TrialMetrics.Metric(r.getString("source"), r.getString("metric"), r.getString("unit"),
                    r.isMissing("value") ? Double.NaN : r.getDouble("value"), r.getString("status"), r.getString("note")));
        written.put(trial, trial.metrics().size());
        return trial;
    }

    /**
     * Runs the plan in order: a trial stored already (by the earlier process of a resumed run) is
     * read back, every other runs and is stored the moment it ends, then {@code ran} sees it.
     * Returns every trial, in plan order.
     */
    public List<T> runPlan(TrialFactory<C, T> create, TrialRunner<C, T> run, Ran<T> ran) throws IOException {
        List<T> done = new ArrayList<>(plan.size());
        for (int i = 0; i < plan.size(); i++) {
            if (stored(i)) {
                done.add(restore(i, create));
                continue;
            }
            T trial = run.run(plan.get(i).config(), plan.get(i).repetition(), i);
            done.add(trial);
            add(i, trial);
            ran.ran(i, trial);
        }
        return done;
    }

    /** Runs one trial: (config, repetition, order). */
    @FunctionalInterface
    public interface TrialRunner<C, T> {
        T run(C config, int repetition, int order) throws IOException;
    }

    /** What a bench does with a trial it ran and stored (prints its progress line). */
    @FunctionalInterface
    public interface Ran<T> {
        void ran(int order, T trial);
    }

    /** A bench's trial constructor: (config, repetition, order). */
    @FunctionalInterface
    public interface TrialFactory<C, T> {
        T create(C config, int repetition, int order);
    }

    /** Stores trial {@code i}, every metric it has now, atomically. */
    private void add(int i, T trial) throws IOException {
        List<TrialMetrics.Metric> metrics = trial.metrics();
        dataset.add(rows(ids.get(i), trial, metrics));
        written.put(trial, metrics.size());
    }

    /**
     * Stores the summary: every metric added to the trials since they were stored (what the run
     * derived from all of them), each row with its trial's coordinates, then {@code ending} as
     * {@code run} rows. {@code trials} are in plan order.
     */
    public void complete(List<T> trials, Map<String, String> ending) throws IOException {
        Table summary = null;
        for (int i = 0; i < trials.size(); i++) {
            T t = trials.get(i);
            List<TrialMetrics.Metric> all = t.metrics();
            int from = written.getOrDefault(t, 0);
            if (from == all.size()) continue;
            Table derived = rows(SUMMARY, t, all.subList(from, all.size()));
            summary = summary == null ? derived : summary.append(derived);
        }
        Table end = settingRows(SUMMARY, ending);
        dataset.add(summary == null ? end : summary.append(end));
    }

    /** What a run that ended records last: how many trials, how long, and that it ended. */
    public static Map<String, String> ending(int trials, double elapsedSeconds) {
        Map<String, String> end = new java.util.LinkedHashMap<>();
        end.put("trials", Integer.toString(trials));
        end.put("elapsed_s", String.format(java.util.Locale.ROOT, "%.1f", elapsedSeconds));
        end.put(COMPLETED, "every planned trial ran and its cell is beside this one");
        return end;
    }

    private Table rows(String cellId, T trial, List<TrialMetrics.Metric> metrics) {
        C c = trial.config;
        Path object = naming.object(c);
        Provenance p = new Provenance(new Provenance.Cell(bench + "/" + dataset.dir().getFileName(), cellId, trial.repetition + 1,
                OptionalLong.of(seed), true, naming.variant(c), object == null ? "" : FileHash.sha256(object), bench,
                params(naming.params(c)), ""), machine, node, gitCommit, trial.startedAt);
        RunTable t = new RunTable(p);
        for (TrialMetrics.Metric m : metrics) t.row(m.source(), m.name(), m.unit(), m.value(), m.status(), m.note());
        return t.table();
    }

    private Table settingRows(String cellId, Map<String, String> settings) {
        Provenance p = new Provenance(new Provenance.Cell(bench + "/" + dataset.dir().getFileName(), cellId, 1, OptionalLong.of(seed), true,
                NO_TRIAL, "", bench, "", ""), machine, node, gitCommit, Instant.now());
        RunTable t = new RunTable(p);
        settings.forEach((name, value) -> t.row("run", name, "", Double.NaN, Column.Status.SETTING, value));
        return t.table();
    }

    private void requireSameSettings(Map<String, String> settings) throws IOException {
        Table stored = DatasetFile.read(dataset.dir().resolve(SETTINGS + ".csv"));
        Map<String, String> before = new TreeMap<>();
        for (Row r : stored) before.put(r.getString("metric"), r.getString("note"));
        Set<String> differ = new java.util.TreeSet<>();
        for (String k : before.keySet()) if (!before.get(k).equals(settings.get(k))) differ.add(k);
        for (String k : settings.keySet()) if (!before.containsKey(k)) differ.add(k);
        if (!differ.isEmpty())
            throw new InvalidInputException("--resume", dataset.dir().toString(), "was started with other settings: "
                    + differ.stream().map(k -> k + " " + before.get(k) + " -> " + settings.get(k)).collect(Collectors.joining("; ")),
                    "the options the run was started with (its " + SETTINGS + ".csv)");
    }

    /** {@code key=value,...} in the order given. */
    private static String params(Map<String, String> params) {
        return params.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(","));
    }

    /** {@code t<order>-<hash>}: the plan position from 1, and a hash of what the trial runs. */
    private String trialId(int i, int width, HostBench.Planned<C> p) {
        return Cell.id("t", i + 1, width, naming.variant(p.config()) + "|" + params(naming.params(p.config())) + "|" + p.repetition());
    }

    @Override
    public void close() throws IOException {
        lock.close();
    }

}
