package io.gamerlab.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import org.openjdk.jmh.results.format.ResultFormatType;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import tech.tablesaw.api.Table;

/**
 * Runs the benches through JMH's Runner API, writes JSON to
 * {@code datasets/jmh/<timestamp>-<host>.json} under the repository root (system property
 * {@code gamerlab.root}, else the current directory) with its provenance beside it, loads it with
 * {@link JmhResults} and prints the ratios that matter from that one run.
 *
 * <pre>
 * JmhBenches [--smoke] [--out FILE] [Bench ...]
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
        try {
            Table t = run(args);
            System.out.println();
            System.out.println(JmhResults.ratios(t));
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.exit(2);
        } catch (RunnerException | IOException e) {
            System.err.println("JMH run failed: " + e.getMessage());
            e.printStackTrace();
            System.exit(1);
        }
    }

    /** Parses {@code args}, runs the benches, returns the loaded result table. */
    public static Table run(String[] args) throws RunnerException, IOException {
        boolean smoke = false;
        Path out = null;
        List<Class<?>> benches = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (a.equals("--smoke")) smoke = true;
            else if (a.equals("--full")) smoke = false;
            else if (a.equals("--out") && i + 1 < args.length) out = Path.of(args[++i]);
            else if (a.startsWith("--out=")) out = Path.of(a.substring(6));
            else if (a.startsWith("-")) throw new IllegalArgumentException(usage("unknown option " + a));
            else benches.add(bench(a));
        }
        if (benches.isEmpty()) benches.addAll(BENCHES);

        Path root = HostProvenance.repositoryRoot();
        if (out == null) out = root.resolve("datasets/jmh").resolve(timestamp() + "-" + HostProvenance.hostName() + ".json");
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

    static Class<?> bench(String name) {
        String want = name.toLowerCase(Locale.ROOT);
        for (Class<?> c : BENCHES) {
            String simple = c.getSimpleName().toLowerCase(Locale.ROOT);
            if (simple.equals(want) || simple.equals(want + "bench")) return c;
        }
        throw new IllegalArgumentException(usage("no bench named " + name));
    }

    private static String usage(String problem) {
        return problem + "\nusage: JmhBenches [--smoke] [--out FILE] [Bench ...]   benches: "
                + BENCHES.stream().map(Class::getSimpleName).toList();
    }

    private static String timestamp() {
        return ZonedDateTime.now(ZoneOffset.UTC).format(DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'"));
    }
}
