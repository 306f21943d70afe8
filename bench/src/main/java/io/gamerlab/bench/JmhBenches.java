package io.gamerlab.bench;

import io.gamerlab.bench.host.HostBench;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;
import org.openjdk.jmh.results.format.ResultFormatType;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import tech.tablesaw.api.Table;

/**
 * Runs the benches through JMH's Runner API, writes JSON to
 * {@code datasets/jmh/<timestamp>-<host>.json} under the repository root (system property
 * {@code gamerlab.root}, else the current directory) with its provenance beside it, loads it with
 * {@link JmhResults} and prints the ratios that matter from that one run.
 *
 * <pre>
 * JmhBenches [--smoke | --full] [--out FILE] [Bench ...]
 *   --smoke   1 fork, 1 warmup and 1 measurement iteration of 200 ms each (~15-25 s for all):
 *             proves the benches run, numbers are noise
 *   --full    (the default) 3 forks x (5 warmup + 5 measurement iterations of 1 s): ~13 min
 *             for all on 2 cores (22 parameter combinations x 3 forks x ~11.5 s); 3 forks
 *             because run-to-run (fork-to-fork) variance is the big one on a shared machine
 *   --out     write the JSON there instead
 *   Bench     FalseSharingBench, RingWritersBench, AccessPatternBench, AggregationBench
 *             (the "Bench" suffix and case are optional); all when none is named
 * </pre>
 * Forked JVMs get {@code --enable-native-access=ALL-UNNAMED --sun-misc-unsafe-memory-access=allow
 * -Xms2g -Xmx2g}. A failing benchmark (a checksum mismatch) fails the whole run.
 * For other JMH options (profilers, {@code -p}), use {@code org.openjdk.jmh.Main} from the same jar.
 */
public final class JmhBenches {

    public static final List<Class<?>> BENCHES = List.of(FalseSharingBench.class, RingWritersBench.class,
            AccessPatternBench.class, AggregationBench.class);

    static final String NATIVE_ACCESS = "--enable-native-access=ALL-UNNAMED";
    /** JMH 1.37 reads field offsets through sun.misc.Unsafe; JDK 25 warns about it unless allowed. */
    static final String UNSAFE_ALLOW = "--sun-misc-unsafe-memory-access=allow";
    /** A fixed heap, so GC (the queues allocate) does not depend on the machine's RAM; 2 GB also
     *  bounds native memory, enough for AccessPatternBench's 4x-LLC array. */
    static final String[] HEAP = {"-Xms2g", "-Xmx2g"};

    private JmhBenches() { }

    /**
     * The JMH options for the named benches.
     *
     * @param smoke 1 fork, 1 x 200 ms warmup, 1 x 200 ms measurement; else the full settings
     * @param json  where JMH writes its JSON result
     */
    public static ChainedOptionsBuilder options(boolean smoke, List<Class<?>> benches, Path json) {
        ChainedOptionsBuilder b = new OptionsBuilder();
        for (Class<?> c : benches) b.include("^" + Pattern.quote(c.getName() + ".") + ".*");
        b.jvmArgsAppend(NATIVE_ACCESS, UNSAFE_ALLOW, HEAP[0], HEAP[1])
                .shouldFailOnError(true)
                .resultFormat(ResultFormatType.JSON)
                .result(json.toString());
        if (smoke) {
            b.forks(1)
                    .warmupIterations(1).warmupTime(TimeValue.milliseconds(200))
                    .measurementIterations(1).measurementTime(TimeValue.milliseconds(200));
        } else {
            b.forks(3)
                    .warmupIterations(5).warmupTime(TimeValue.seconds(1))
                    .measurementIterations(5).measurementTime(TimeValue.seconds(1));
        }
        return b;
    }

    public static void main(String[] args) {
        HostBench.main(new Line(), args);
    }

    /** The command line, with every gamerlab command's conventions ({@link HostBench#execute}). */
    @Command(name = "JmhBenches", mixinStandardHelpOptions = true, sortOptions = false,
            description = "Runs the JMH benches and prints the ratios that matter from that run (see bench/README.md).")
    static final class Line implements Callable<Integer> {
        @Option(names = "--smoke", description = "1 fork, 1 warm-up and 1 measured iteration of 200 ms each: proves the benches run; numbers are noise.")
        boolean smoke;
        @Option(names = "--full", description = "The full run (the default; wins over --smoke): 3 forks x (5 warm-up + 5 measured iterations of 1 s).")
        boolean full;
        @Option(names = "--out", paramLabel = "FILE", description = "Write JMH's JSON there (default: datasets/jmh/<UTC time>-<host>.json).")
        Path out;
        @Parameters(paramLabel = "BENCH", arity = "0..*", description = "FalseSharingBench, RingWritersBench, AccessPatternBench, AggregationBench "
                + "(the Bench suffix and case are optional); all when none is named.")
        List<String> names = new ArrayList<>();
        @Spec
        CommandSpec spec;

        @Override
        public Integer call() throws RunnerException, IOException {
            List<Class<?>> benches = new ArrayList<>();
            for (String name : names) {
                Class<?> c = bench(name);
                if (c == null) throw new ParameterException(spec.commandLine(), "no bench named " + name + "; the benches: "
                        + BENCHES.stream().map(Class::getSimpleName).toList());
                benches.add(c);
            }
            Table t = run(smoke && !full, out, benches.isEmpty() ? BENCHES : benches);
            System.out.println();
            System.out.println(JmhResults.ratios(t));
            return 0;
        }
    }

    /** Runs {@code benches} (smoke or full) with the JSON at {@code out} (null: the default file), returns the loaded result table. */
    public static Table run(boolean smoke, Path out, List<Class<?>> benches) throws RunnerException, IOException {
        Path root = HostProvenance.repositoryRoot();
        if (out == null) out = root.resolve("datasets/jmh").resolve(HostProvenance.runName() + ".json");
        out = out.toAbsolutePath();
        Files.createDirectories(out.getParent());
        Path sidecar = HostProvenance.sidecarOf(out);
        HostProvenance.here(root).write(sidecar);

        System.out.printf("gamerlab JMH benches (%s): %s%n  -> %s%n", smoke ? "smoke" : "full",
                benches.stream().map(Class::getSimpleName).toList(), out);
        try {
            new Runner(options(smoke, benches, out).build()).run();
        } catch (RunnerException | RuntimeException e) {
            Files.deleteIfExists(sidecar);
            throw e;
        }
        return JmhResults.load(out);
    }

    /** The bench {@code name} names (the Bench suffix and case optional), or null. */
    static Class<?> bench(String name) {
        String want = name.toLowerCase(Locale.ROOT);
        for (Class<?> c : BENCHES) {
            String simple = c.getSimpleName().toLowerCase(Locale.ROOT);
            if (simple.equals(want) || simple.equals(want + "bench")) return c;
        }
        return null;
    }
}
