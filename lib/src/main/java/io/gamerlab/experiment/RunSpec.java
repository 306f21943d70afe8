package io.gamerlab.experiment;

import io.gamerlab.measure.Column;
import io.gamerlab.measure.Provenance;
import io.gamerlab.sched.Tunables;
import io.gamerlab.sched.Variant;
import io.gamerlab.workload.GameLoopWorkload;
import io.gamerlab.workload.Workload;
import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.time.Duration;
import java.util.Map;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Properties;
import java.util.TreeMap;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * Everything one run needs, in a form that crosses into a guest as a properties file.
 *
 * @param runId      the run's id: the cell id its dataset rows carry
 * @param hogs       CPU-hog threads beside the game loop; -1 means one per CPU of whatever machine runs it
 * @param forkStress whether a thread also starts processes back to back (fork and exit under load)
 * @param tunables   the scheduler's runtime options
 * @param warmup     how long the workload runs under the scheduler before the measured run; discarded
 * @param place      where in an experiment the run belongs, for its rows' provenance
 */
public record RunSpec(String runId, Variant variant, Tunables tunables, int hogs, boolean forkStress, Duration warmup,
                      Duration duration, String gitCommit, Place place) {

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

    public RunSpec {
        if (duration.isNegative() || duration.isZero())
            throw new IllegalArgumentException("duration must be > 0, was " + duration);
        if (warmup.isNegative()) throw new IllegalArgumentException("warm-up must be >= 0, was " + warmup);
        if (hogs < -1) throw new IllegalArgumentException("hogs must be >= 0, or -1 for one per CPU; was " + hogs);
        Column.CELL_ID.check(runId);
    }

    public static RunSpec of(Variant variant, Duration duration, String gitCommit) {
        return new RunSpec(UUID.randomUUID().toString(), variant, Tunables.defaults(), -1, false, Duration.ZERO, duration, gitCommit, Place.SINGLE);
    }

    public RunSpec withForkStress(boolean on) {
        return new RunSpec(runId, variant, tunables, hogs, on, warmup, duration, gitCommit, place);
    }

    public RunSpec withTunables(Tunables options) {
        return new RunSpec(runId, variant, options, hogs, forkStress, warmup, duration, gitCommit, place);
    }

    /** This run as cell {@code id} of an experiment. */
    public RunSpec inExperiment(String id, Place where) {
        return new RunSpec(id, variant, tunables, hogs, forkStress, warmup, duration, gitCommit, where);
    }

    public RunSpec withWarmup(Duration value) {
        return new RunSpec(runId, variant, tunables, hogs, forkStress, value, duration, gitCommit, place);
    }

    /** The tunables as dataset rows record them: {@code name=value,...} in declaration order. */
    public String tunablesText() {
        return tunablesText(tunables);
    }

    static String tunablesText(Tunables tunables) {
        return tunables.asProperties().entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(","));
    }

    public Workload workload() {
        GameLoopWorkload standard = GameLoopWorkload.standard().withForkStress(forkStress);
        return hogs < 0 ? standard : standard.withHogs(hogs);
    }

    public void write(Writer out) throws IOException {
        Properties p = new Properties();
        p.setProperty("run_id", runId);
        p.setProperty("variant", variant.label());
        p.setProperty("hogs", Integer.toString(hogs));
        p.setProperty("fork_stress", Boolean.toString(forkStress));
        tunables.asProperties().forEach((k, v) -> p.setProperty("tunable." + k, v));
        p.setProperty("warmup", warmup.toString());
        p.setProperty("duration", duration.toString());
        p.setProperty("git_commit", gitCommit);
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
        String hogs = required(p, "hogs");
        String duration = required(p, "duration");
        try {
            Map<String, String> tunables = new TreeMap<>();
            for (String key : p.stringPropertyNames())
                if (key.startsWith("tunable.")) tunables.put(key.substring("tunable.".length()), p.getProperty(key));
            String seed = required(p, "seed");
            String job = required(p, "slurm_job_id");
            String task = required(p, "slurm_array_task_id");
            Provenance.Node node = new Provenance.Node(required(p, "node"), job.isEmpty() ? OptionalLong.empty() : OptionalLong.of(Long.parseLong(job)),
                    task.isEmpty() ? OptionalInt.empty() : OptionalInt.of(Integer.parseInt(task)));
            Place place = new Place(required(p, "experiment"), Integer.parseInt(required(p, "repetition")),
                    seed.isEmpty() ? OptionalLong.empty() : OptionalLong.of(Long.parseLong(seed)), bool(p, "measured"), node);
            return new RunSpec(required(p, "run_id"), Variant.parse(required(p, "variant")), Tunables.fromProperties(tunables),
                    Integer.parseInt(hogs), bool(p, "fork_stress"), Duration.parse(required(p, "warmup")), Duration.parse(duration),
                    required(p, "git_commit"), place);
        } catch (NumberFormatException | java.time.format.DateTimeParseException e) {
            throw new IllegalArgumentException("run spec has a malformed number or duration (hogs '" + hogs + "', duration '" + duration
                    + "', repetition '" + p.getProperty("repetition") + "', seed '" + p.getProperty("seed")
                    + "'; allowed: whole numbers, and an ISO-8601 duration such as PT10S)", e);
        }
    }

    private static boolean bool(Properties p, String key) {
        String v = required(p, key);
        if (!v.equals("true") && !v.equals("false"))
            throw new IllegalArgumentException("run spec " + key + " = '" + v + "'; allowed: true or false");
        return v.equals("true");
    }

    private static String required(Properties p, String key) {
        String v = p.getProperty(key);
        if (v == null) throw new IllegalArgumentException("run spec lacks '" + key + "'");
        return v;
    }
}
