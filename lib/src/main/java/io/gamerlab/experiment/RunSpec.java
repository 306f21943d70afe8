package io.gamerlab.experiment;

import io.gamerlab.measure.Column;
import io.gamerlab.measure.Provenance;
import io.gamerlab.sched.Tunable;
import io.gamerlab.sched.Tunables;
import io.gamerlab.sched.Variant;
import io.gamerlab.workload.GameLoopWorkload;
import io.gamerlab.workload.WorkloadSpec;
import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Properties;
import java.util.TreeMap;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * Everything one run needs, in a form that crosses into a guest as a properties file. The
 * workload is its checked text form ({@link WorkloadSpec}): bad parameters fail here, on the
 * machine that plans the run, before any guest boots or scheduler loads; the workload itself is
 * built where it runs (one hog per CPU means that machine's CPUs).
 *
 * @param runId    the run's id: the cell id its dataset rows carry
 * @param variant  a build of our scheduler, or {@link Variant#KERNEL_DEFAULT}: no sched_ext scheduler
 * @param tunables the scheduler's options at load (unused under kernel-default)
 * @param workload what runs, e.g. {@code pipeline:period=8.3ms}
 * @param warmup   how long the workload runs first, before anything loads, unmeasured and discarded
 *                 (class loading, JIT, first-use costs of the JVM); zero for none
 * @param retunes  new values of run-time tunables during the run, in time order
 * @param place    where in an experiment the run belongs, for its rows' provenance
 */
public record RunSpec(String runId, Variant variant, Tunables tunables, WorkloadSpec workload, Duration warmup,
                      Duration duration, String gitCommit, List<Retune> retunes, Place place) {

    /**
     * Where a run belongs: the experiment, which repetition, the experiment's seed (if any),
     * whether counters and event streaming are on, and the node (and Slurm task) that drives it,
     * taken where the run is planned so that a guest's rows name its host. A run on its own is
     * repetition 1 of no experiment's plan.
     */
    public record Place(String experiment, int repetition, OptionalLong seed, boolean measured, Provenance.Node node) {
        public static final Place SINGLE = new Place("", 1, OptionalLong.empty(), true);

        /** A place driven from this process's node. */
        public Place(String experiment, int repetition, OptionalLong seed, boolean measured) {
            this(experiment, repetition, seed, measured, Provenance.Node.here());
        }
    }

    /** The game loop with one hog per CPU: what a run runs unless told otherwise. */
    public static final WorkloadSpec DEFAULT_WORKLOAD = WorkloadSpec.of(GameLoopWorkload.KIND.defaults());

    public RunSpec {
        if (duration.isNegative() || duration.isZero())
            throw new IllegalArgumentException("duration must be > 0, was " + duration);
        if (warmup.isNegative()) throw new IllegalArgumentException("warm-up must be >= 0, was " + warmup);
        Column.CELL_ID.check(runId);
        retunes = List.copyOf(retunes);
        Tunables before = tunables;
        Duration last = Duration.ZERO;
        for (Retune r : retunes) {
            if (r.at().compareTo(last) < 0 || r.at().compareTo(duration) >= 0)
                throw new IllegalArgumentException("retunes must be in time order within the run's " + duration + ", but one is at " + r.at());
            List<Tunable> fixed = before.differences(r.tunables()).stream().filter(t -> !t.runtime()).toList();
            if (!fixed.isEmpty())
                throw new IllegalArgumentException("the retune at " + r.at() + " changes " + fixed.stream().map(Tunable::bpfName).toList()
                        + ", which are fixed at load; set them in the run's tunables instead");
            before = r.tunables();
            last = r.at();
        }
    }

    /** A run on its own, with no retunes. */
    public RunSpec(String runId, Variant variant, Tunables tunables, WorkloadSpec workload, Duration warmup, Duration duration,
                   String gitCommit) {
        this(runId, variant, tunables, workload, warmup, duration, gitCommit, List.of(), Place.SINGLE);
    }

    /** A run of the game loop with one hog per CPU under {@code variant}, with its own id. */
    public static RunSpec of(Variant variant, Duration duration, String gitCommit) {
        return new RunSpec(UUID.randomUUID().toString(), variant, Tunables.defaults(), DEFAULT_WORKLOAD, Duration.ZERO, duration, gitCommit);
    }

    public RunSpec withWorkload(WorkloadSpec spec) {
        return new RunSpec(runId, variant, tunables, spec, warmup, duration, gitCommit, retunes, place);
    }

    /**
     * This run with a warm-up: the workload runs for {@code time} before the scheduler loads, and
     * what it measured then is discarded. In a guest that runs several runs in one JVM, it keeps
     * the first run of a workload from paying the JVM's first-use costs that later runs do not.
     */
    public RunSpec withWarmup(Duration time) {
        return new RunSpec(runId, variant, tunables, workload, time, duration, gitCommit, retunes, place);
    }

    /** This run with the workload's text form, e.g. {@code wakestorm:groups=4}; a bad one is rejected here. */
    public RunSpec withWorkload(String text) {
        return withWorkload(WorkloadSpec.parse(text));
    }

    /** The game loop's fork stress on or off (a thread starting processes back to back); the workload must be the game loop. */
    public RunSpec withForkStress(boolean on) {
        return withWorkload(workload.with(GameLoopWorkload.FORK_STRESS, on));
    }

    public RunSpec withTunables(Tunables options) {
        return new RunSpec(runId, variant, options, workload, warmup, duration, gitCommit, retunes, place);
    }

    /** This run with new values of run-time tunables at the given times into the workload. */
    public RunSpec withRetunes(List<Retune> schedule) {
        return new RunSpec(runId, variant, tunables, workload, warmup, duration, gitCommit, schedule, place);
    }

    /** This run as cell {@code id} of an experiment. */
    public RunSpec inExperiment(String id, Place where) {
        return new RunSpec(id, variant, tunables, workload, warmup, duration, gitCommit, retunes, where);
    }

    /** The tunables as dataset rows record them: {@code name=value,...} in declaration order. */
    public String tunablesText() {
        return tunablesText(tunables);
    }

    static String tunablesText(Tunables tunables) {
        return tunables.asProperties().entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(","));
    }

    /** The same run under another variant, with an id of its own: for comparing variants on one workload. */
    public RunSpec under(Variant other) {
        return new RunSpec(UUID.randomUUID().toString(), other, tunables, workload, warmup, duration, gitCommit, retunes, place);
    }

    public void write(Writer out) throws IOException {
        Properties p = new Properties();
        p.setProperty("run_id", runId);
        p.setProperty("variant", variant.label());
        p.setProperty("workload", workload.text());
        tunables.asProperties().forEach((k, v) -> p.setProperty("tunable." + k, v));
        p.setProperty("warmup", warmup.toString());
        p.setProperty("duration", duration.toString());
        p.setProperty("git_commit", gitCommit);
        for (int i = 0; i < retunes.size(); i++) {
            String prefix = "retune." + i + ".";
            p.setProperty(prefix + "at", retunes.get(i).at().toString());
            retunes.get(i).tunables().asProperties().forEach((k, v) -> p.setProperty(prefix + "tunable." + k, v));
        }
        p.setProperty("experiment", place.experiment());
        p.setProperty("repetition", Integer.toString(place.repetition()));
        p.setProperty("seed", place.seed().isPresent() ? Long.toString(place.seed().getAsLong()) : "");
        p.setProperty("measured", Boolean.toString(place.measured()));
        p.setProperty("node", place.node().name());
        p.setProperty("slurm_job_id", place.node().slurmJobId().isPresent() ? Long.toString(place.node().slurmJobId().getAsLong()) : "");
        p.setProperty("slurm_array_task_id", place.node().slurmArrayTaskId().isPresent()
                ? Integer.toString(place.node().slurmArrayTaskId().getAsInt()) : "");
        p.store(out, "gamerlab run");
    }

    public static RunSpec read(Reader in) throws IOException {
        Properties p = new Properties();
        p.load(in);
        List<Retune> retunes = new ArrayList<>();
        for (int i = 0; p.getProperty("retune." + i + ".at") != null; i++)
            retunes.add(new Retune(duration(p, "retune." + i + ".at"), Tunables.fromProperties(withPrefix(p, "retune." + i + ".tunable."))));
        Provenance.Node node = new Provenance.Node(required(p, "node"), optionalLong(p, "slurm_job_id"), optionalInt(p, "slurm_array_task_id"));
        Place place = new Place(required(p, "experiment"), wholeNumber(p, "repetition"), optionalLong(p, "seed"), bool(p, "measured"), node);
        return new RunSpec(required(p, "run_id"), Variant.parse(required(p, "variant")), Tunables.fromProperties(withPrefix(p, "tunable.")),
                WorkloadSpec.parse(required(p, "workload")), duration(p, "warmup"), duration(p, "duration"), required(p, "git_commit"),
                retunes, place);
    }

    private static OptionalLong optionalLong(Properties p, String key) {
        String text = required(p, key);
        return text.isEmpty() ? OptionalLong.empty() : OptionalLong.of(number(key, text));
    }

    private static OptionalInt optionalInt(Properties p, String key) {
        String text = required(p, key);
        return text.isEmpty() ? OptionalInt.empty() : OptionalInt.of(Math.toIntExact(number(key, text)));
    }

    private static int wholeNumber(Properties p, String key) {
        return Math.toIntExact(number(key, required(p, key)));
    }

    private static long number(String key, String text) {
        try {
            return Long.parseLong(text);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("run spec has a malformed " + key + " '" + text + "' (a whole number)", e);
        }
    }

    private static boolean bool(Properties p, String key) {
        String v = required(p, key);
        if (!v.equals("true") && !v.equals("false"))
            throw new IllegalArgumentException("run spec " + key + " = '" + v + "'; allowed: true or false");
        return v.equals("true");
    }

    private static Duration duration(Properties p, String key) {
        String text = required(p, key);
        try {
            return Duration.parse(text);
        } catch (java.time.format.DateTimeParseException e) {
            throw new IllegalArgumentException("run spec has a malformed " + key + " '" + text + "' (an ISO-8601 duration such as PT10S)", e);
        }
    }

    /** The properties under {@code prefix}, with it cut off. */
    private static Map<String, String> withPrefix(Properties p, String prefix) {
        Map<String, String> found = new TreeMap<>();
        for (String key : p.stringPropertyNames())
            if (key.startsWith(prefix)) found.put(key.substring(prefix.length()), p.getProperty(key));
        return found;
    }

    private static String required(Properties p, String key) {
        String v = p.getProperty(key);
        if (v == null) throw new IllegalArgumentException("run spec lacks '" + key + "'");
        return v;
    }
}
