package io.gamerlab.bench.host;

import io.gamerlab.bench.HostProvenance;
import io.gamerlab.experiment.DatasetFile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import tech.tablesaw.api.Row;

/**
 * The options every host bench takes (a picocli mixin): smoke or full, where the run's dataset
 * goes or which run to resume, repetitions, phase lengths and the seed. Each bench gives its own
 * defaults; a value out of range is a usage error naming the option, the value and what is allowed.
 */
public final class BenchOptions {
    @Spec(Spec.Target.MIXEE)
    CommandSpec spec;

    @Option(names = "--smoke", description = "A short run that shows the bench works: one repetition, short phases.")
    boolean smoke;

    @Option(names = "--full", description = "The full run (the default; wins over --smoke).")
    boolean full;

    @Option(names = "--out", paramLabel = "DIR", description = "The run's dataset directory (default: datasets/<bench>/<UTC time>-<host>).")
    Path out;

    @Option(names = "--resume", paramLabel = "DIR", description = "Continue the run in DIR that stopped early: only its missing trials run "
            + "(the other options must be those it was started with; its seed is taken from it).")
    Path resume;

    @Option(names = "--reps", paramLabel = "R", description = "Repetitions of every configuration (at least 1).")
    Integer repetitions;

    @Option(names = "--duration", paramLabel = "S", description = "Seconds measured per trial (above 0).")
    Double duration;

    @Option(names = "--warmup", paramLabel = "S", description = "Seconds of warm-up per trial, discarded (0 or more).")
    Double warmup;

    @Option(names = "--seed", paramLabel = "N", description = "The seed of the trials' random order (default: new each run, recorded).")
    Long seed;

    public boolean smoke() {
        return smoke && !full;
    }

    public int repetitions(int smokeDefault, int fullDefault) {
        int r = repetitions != null ? repetitions : smoke() ? smokeDefault : fullDefault;
        if (r < 1) throw usage("--reps", r, "a whole number, at least 1");
        return r;
    }

    public double duration(double smokeDefault, double fullDefault) {
        double d = duration != null ? duration : smoke() ? smokeDefault : fullDefault;
        if (!(d > 0) || Double.isInfinite(d)) throw usage("--duration", d, "seconds above 0");
        return d;
    }

    public double warmup(double smokeDefault, double fullDefault) {
        double w = warmup != null ? warmup : smoke() ? smokeDefault : fullDefault;
        if (!(w >= 0) || Double.isInfinite(w)) throw usage("--warmup", w, "seconds, 0 or more");
        return w;
    }

    /** The seed given; resuming, the one the run started with; otherwise a new one. */
    public long seed() {
        if (seed != null) return seed;
        if (resume != null) return storedSeed(resume);
        return System.nanoTime();
    }

    /** The run's directory: the one resumed, the one given, or a new one named by the time and host under datasets/{@code bench}. */
    public Path dir(Path root, String bench) {
        if (resume != null && out != null) throw new ParameterException(spec.commandLine(), "give --out (a new run) or --resume (a run to continue), not both");
        Path dir = resume != null ? resume : out != null ? out
                : root.resolve("datasets").resolve(bench).resolve(HostProvenance.runName());
        return dir.toAbsolutePath();
    }

    public boolean resuming() {
        return resume != null;
    }

    /** A usage error naming the option, its value and what is allowed. */
    public ParameterException usage(String option, Object value, String allowed) {
        return new ParameterException(spec.commandLine(), option + " = " + value + " is not allowed; allowed: " + allowed);
    }

    /**
     * The settings every host bench run records first (as {@code run} rows): mode, seed,
     * repetitions and phase lengths; the bench adds its own after them.
     */
    public static Map<String, String> runSettings(boolean smoke, long seed, int repetitions, double durationSeconds, double warmupSeconds) {
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("mode", smoke ? "smoke" : "full");
        settings.put("seed", Long.toString(seed));
        settings.put("repetitions", Integer.toString(repetitions));
        settings.put("duration_s", Double.toString(durationSeconds));
        settings.put("warmup_s", warmupSeconds + " (one warm-up phase per trial, discarded)");
        return settings;
    }

    private long storedSeed(Path run) {
        Path settings = run.resolve(BenchRun.SETTINGS + ".csv");
        if (!Files.isRegularFile(settings))
            throw new ParameterException(spec.commandLine(), "--resume " + run + " holds no run (no " + settings.getFileName() + ")");
        try {
            for (Row r : DatasetFile.read(settings))
                if (r.getString("metric").equals("seed")) return Long.parseLong(r.getString("note"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        throw new ParameterException(spec.commandLine(), "--resume " + run + ": its settings record no seed; give --seed");
    }
}
