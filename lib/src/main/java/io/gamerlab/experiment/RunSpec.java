package io.gamerlab.experiment;

import io.gamerlab.sched.Tunables;
import io.gamerlab.sched.Variant;
import io.gamerlab.workload.GameLoopWorkload;
import io.gamerlab.workload.WorkloadSpec;
import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.UUID;

/**
 * Everything one run needs, in a form that crosses into a guest as a properties file. The
 * workload is its checked text form ({@link WorkloadSpec}): bad parameters fail here, on the
 * machine that plans the run, before any guest boots or scheduler loads; the workload itself is
 * built where it runs (one hog per CPU means that machine's CPUs).
 *
 * @param variant  a build of our scheduler, or {@link Variant#KERNEL_DEFAULT}: no sched_ext scheduler
 * @param tunables the scheduler's runtime options (unused under kernel-default)
 * @param workload what runs, e.g. {@code pipeline:period=8.3ms}
 * @param warmup   how long the workload runs first, before anything loads, unmeasured and discarded
 *                 (class loading, JIT, first-use costs of the JVM); zero for none
 */
public record RunSpec(String runId, Variant variant, Tunables tunables, WorkloadSpec workload, Duration warmup,
                      Duration duration, String gitCommit) {

    /** The game loop with one hog per CPU: what a run runs unless told otherwise. */
    public static final WorkloadSpec DEFAULT_WORKLOAD = WorkloadSpec.of(GameLoopWorkload.KIND.defaults());

    public RunSpec {
        if (duration.isNegative() || duration.isZero())
            throw new IllegalArgumentException("duration must be > 0, was " + duration);
        if (warmup.isNegative()) throw new IllegalArgumentException("warm-up must be >= 0, was " + warmup);
    }

    /** A run of the game loop with one hog per CPU under {@code variant}, with its own id. */
    public static RunSpec of(Variant variant, Duration duration, String gitCommit) {
        return new RunSpec(UUID.randomUUID().toString(), variant, Tunables.defaults(), DEFAULT_WORKLOAD, Duration.ZERO, duration, gitCommit);
    }

    public RunSpec withWorkload(WorkloadSpec spec) {
        return new RunSpec(runId, variant, tunables, spec, warmup, duration, gitCommit);
    }

    /**
     * This run with a warm-up: the workload runs for {@code time} before the scheduler loads, and
     * what it measured then is discarded. In a guest that runs several runs in one JVM, it keeps
     * the first run of a workload from paying the JVM's first-use costs that later runs do not.
     */
    public RunSpec withWarmup(Duration time) {
        return new RunSpec(runId, variant, tunables, workload, time, duration, gitCommit);
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
        return new RunSpec(runId, variant, options, workload, warmup, duration, gitCommit);
    }

    /** The same run under another variant, with an id of its own: for comparing variants on one workload. */
    public RunSpec under(Variant other) {
        return new RunSpec(UUID.randomUUID().toString(), other, tunables, workload, warmup, duration, gitCommit);
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
        p.store(out, "gamerlab run");
    }

    public static RunSpec read(Reader in) throws IOException {
        Properties p = new Properties();
        p.load(in);
        Map<String, String> tunables = new TreeMap<>();
        for (String key : p.stringPropertyNames())
            if (key.startsWith("tunable.")) tunables.put(key.substring("tunable.".length()), p.getProperty(key));
        return new RunSpec(required(p, "run_id"), Variant.parse(required(p, "variant")), Tunables.fromProperties(tunables),
                WorkloadSpec.parse(required(p, "workload")), duration(p, "warmup"), duration(p, "duration"), required(p, "git_commit"));
    }

    private static Duration duration(Properties p, String key) {
        String text = required(p, key);
        try {
            return Duration.parse(text);
        } catch (java.time.format.DateTimeParseException e) {
            throw new IllegalArgumentException("run spec has a malformed " + key + " '" + text + "' (an ISO-8601 duration such as PT10S)", e);
        }
    }

    private static String required(Properties p, String key) {
        String v = p.getProperty(key);
        if (v == null) throw new IllegalArgumentException("run spec lacks '" + key + "'");
        return v;
    }
}
