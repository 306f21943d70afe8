package io.gamerlab.experiment;

import io.gamerlab.sched.Tunables;
import io.gamerlab.sched.Variant;
import io.gamerlab.workload.GameLoopWorkload;
import io.gamerlab.workload.Workload;
import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.UUID;

/**
 * Everything one run needs, in a form that crosses into a guest as a properties file.
 *
 * @param hogs       CPU-hog threads beside the game loop; -1 means one per CPU of whatever machine runs it
 * @param forkStress whether a thread also starts processes back to back (fork and exit under load)
 * @param tunables   the scheduler's runtime options
 */
public record RunSpec(String runId, Variant variant, Tunables tunables, int hogs, boolean forkStress, Duration duration,
                      String gitCommit) {

    public RunSpec {
        if (duration.isNegative() || duration.isZero())
            throw new IllegalArgumentException("duration must be > 0, was " + duration);
        if (hogs < -1) throw new IllegalArgumentException("hogs must be >= 0, or -1 for one per CPU; was " + hogs);
    }

    public static RunSpec of(Variant variant, Duration duration, String gitCommit) {
        return new RunSpec(UUID.randomUUID().toString(), variant, Tunables.defaults(), -1, false, duration, gitCommit);
    }

    public RunSpec withForkStress(boolean on) {
        return new RunSpec(runId, variant, tunables, hogs, on, duration, gitCommit);
    }

    public RunSpec withTunables(Tunables options) {
        return new RunSpec(runId, variant, options, hogs, forkStress, duration, gitCommit);
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
        p.setProperty("duration", duration.toString());
        p.setProperty("git_commit", gitCommit);
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
            return new RunSpec(required(p, "run_id"), Variant.parse(required(p, "variant")), Tunables.fromProperties(tunables),
                    Integer.parseInt(hogs), Boolean.parseBoolean(required(p, "fork_stress")), Duration.parse(duration),
                    required(p, "git_commit"));
        } catch (NumberFormatException | java.time.format.DateTimeParseException e) {
            throw new IllegalArgumentException("run spec has a malformed hogs '" + hogs + "' or duration '" + duration
                    + "' (an integer, and an ISO-8601 duration such as PT10S)", e);
        }
    }

    private static String required(Properties p, String key) {
        String v = p.getProperty(key);
        if (v == null) throw new IllegalArgumentException("run spec lacks '" + key + "'");
        return v;
    }
}
