package io.gamerlab.experiment;

import io.gamerlab.sched.Tunable;
import io.gamerlab.sched.Tunables;
import io.gamerlab.sched.Variant;
import io.gamerlab.workload.GameLoopWorkload;
import io.gamerlab.workload.Workload;
import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.UUID;

/**
 * Everything one run needs, in a form that crosses into a guest as a properties file.
 *
 * @param hogs       CPU-hog threads beside the game loop; -1 means one per CPU of whatever machine runs it
 * @param forkStress whether a thread also starts processes back to back (fork and exit under load)
 * @param tunables   the scheduler's options at load
 * @param retunes    new values of run-time tunables during the run, in time order
 */
public record RunSpec(String runId, Variant variant, Tunables tunables, int hogs, boolean forkStress, Duration duration,
                      String gitCommit, List<Retune> retunes) {

    public RunSpec {
        if (duration.isNegative() || duration.isZero())
            throw new IllegalArgumentException("duration must be > 0, was " + duration);
        if (hogs < -1) throw new IllegalArgumentException("hogs must be >= 0, or -1 for one per CPU; was " + hogs);
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

    /** A run with no retunes. */
    public RunSpec(String runId, Variant variant, Tunables tunables, int hogs, boolean forkStress, Duration duration, String gitCommit) {
        this(runId, variant, tunables, hogs, forkStress, duration, gitCommit, List.of());
    }

    public static RunSpec of(Variant variant, Duration duration, String gitCommit) {
        return new RunSpec(UUID.randomUUID().toString(), variant, Tunables.defaults(), -1, false, duration, gitCommit);
    }

    public RunSpec withForkStress(boolean on) {
        return new RunSpec(runId, variant, tunables, hogs, on, duration, gitCommit, retunes);
    }

    public RunSpec withTunables(Tunables options) {
        return new RunSpec(runId, variant, options, hogs, forkStress, duration, gitCommit, retunes);
    }

    /** This run with new values of run-time tunables at the given times into the workload. */
    public RunSpec withRetunes(List<Retune> schedule) {
        return new RunSpec(runId, variant, tunables, hogs, forkStress, duration, gitCommit, schedule);
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
        for (int i = 0; i < retunes.size(); i++) {
            String prefix = "retune." + i + ".";
            p.setProperty(prefix + "at", retunes.get(i).at().toString());
            retunes.get(i).tunables().asProperties().forEach((k, v) -> p.setProperty(prefix + "tunable." + k, v));
        }
        p.setProperty("duration", duration.toString());
        p.setProperty("git_commit", gitCommit);
        p.store(out, "gamerlab run");
    }

    public static RunSpec read(Reader in) throws IOException {
        Properties p = new Properties();
        p.load(in);
        String hogs = required(p, "hogs");
        String duration = required(p, "duration");
        List<Retune> retunes = new ArrayList<>();
        for (int i = 0; p.getProperty("retune." + i + ".at") != null; i++) {
            String at = p.getProperty("retune." + i + ".at");
            try {
                retunes.add(new Retune(Duration.parse(at), Tunables.fromProperties(withPrefix(p, "retune." + i + ".tunable."))));
            } catch (java.time.format.DateTimeParseException e) {
                throw new IllegalArgumentException("run spec has a malformed retune." + i + ".at '" + at
                        + "' (an ISO-8601 duration such as PT5S)", e);
            }
        }
        try {
            return new RunSpec(required(p, "run_id"), Variant.parse(required(p, "variant")),
                    Tunables.fromProperties(withPrefix(p, "tunable.")), Integer.parseInt(hogs),
                    Boolean.parseBoolean(required(p, "fork_stress")), Duration.parse(duration), required(p, "git_commit"), retunes);
        } catch (NumberFormatException | java.time.format.DateTimeParseException e) {
            throw new IllegalArgumentException("run spec has a malformed hogs '" + hogs + "' or duration '" + duration
                    + "' (an integer, and an ISO-8601 duration such as PT10S)", e);
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
