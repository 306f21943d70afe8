package io.gamerlab.experiment;

import io.gamerlab.sched.Variant;
import io.gamerlab.util.AtomicFiles;
import java.io.IOException;
import java.io.Reader;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The entry point inside the guest: runs exactly what the host backend would run ({@link Run} or
 * {@link MatrixCheck}), and leaves the result (or the error) in the results directory the host
 * reads back. Usage, each followed by RESULTS_DIR BACKEND CLOCK:
 * <pre>
 *   run    RUNS_DIR
 *   matrix VARIANTS.tsv OBJECTS_DIR GIT_COMMIT
 *   stress PLAN.properties OBJECTS_DIR GIT_COMMIT
 * </pre>
 * RUNS_DIR holds {@code 0.properties}, {@code 1.properties}, ... (run specs) and beside each its
 * scheduler object {@code N.bpf.o} (none under kernel-default); the runs go one after another in
 * this one boot (each variant loaded once, on its first run, and attached afresh for each), each leaving in RESULTS_DIR/N its result, or its error ({@value #ERROR}: a variant
 * the verifier refused, one the kernel ejected), then where its time went ({@value #PHASES}) and
 * last its time ({@value #FINISHED}); a run that
 * fails ends only itself. Each run's files are on disk (fsync) before the next starts, so the host
 * reads every finished run even from a guest that dies later.
 */
public final class GuestMain {

    static final String ERROR = "error.txt";
    static final String RUN = "run";
    static final String MATRIX = "matrix";
    static final String STRESS = "stress";
    /** What the console shows, followed by the run's index, before each run: how the host tells runs apart. */
    static final String STARTING_RUN = "gamerlab-guest: starting run ";
    /** A run's files in RUNS_DIR: N.properties and N.bpf.o. */
    static final String SPEC = ".properties";
    static final String OBJECT = ".bpf.o";
    /** Written just before {@value #FINISHED}: where the run's time went ({@link CellPhases}). */
    static final String PHASES = "phases.txt";
    /** Written last in a run's results, once the rest is on disk: the run's time in the guest, in nanoseconds. */
    static final String FINISHED = "finished_ns";

    private GuestMain() { }

    public static void main(String[] args) throws IOException {
        String mode = args.length > 0 ? args[0] : "";
        int jobArgs = mode.equals(RUN) ? 2 : mode.equals(MATRIX) || mode.equals(STRESS) ? 4 : -1;
        if (jobArgs < 0 || args.length != jobArgs + 3) {
            System.err.println("usage: GuestMain run RUNS_DIR | matrix VARIANTS.tsv OBJECTS_DIR GIT_COMMIT"
                    + " | stress PLAN.properties OBJECTS_DIR GIT_COMMIT -- then RESULTS_DIR BACKEND CLOCK");
            System.exit(2);
        }
        Path results = Path.of(args[jobArgs]);
        String backend = args[jobArgs + 1];
        String clock = args[jobArgs + 2];
        Files.createDirectories(results);
        int status = 0;
        try {
            if (mode.equals(RUN)) runAll(Path.of(args[1]), results, backend, clock);
            else if (mode.equals(MATRIX)) matrix(Path.of(args[1]), Path.of(args[2]), args[3], results, backend, clock);
            else stress(Path.of(args[1]), Path.of(args[2]), args[3], results, backend, clock);
        } catch (Throwable t) {
            status = 1;
            Files.writeString(results.resolve(ERROR), describe(t));
            t.printStackTrace();  // the stack goes to the console log; the host quotes the error's words
        }
        System.exit(status);  // workload threads must not keep the guest up
    }

    /** What went wrong, in the words of the exception and its causes, without the stack. */
    static String describe(Throwable t) {
        StringBuilder text = new StringBuilder();
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c != t) text.append("\ncaused by: ");
            text.append(c.getMessage() != null ? c.getMessage() : c.getClass().getName());
        }
        return text.toString();
    }

    private static void runAll(Path runs, Path results, String backend, String clock) throws Exception {
        try (LoadedVariants variants = new LoadedVariants()) {
            runAll(runs, results, backend, clock, variants);
        }
    }

    /** Each run in turn, a variant loaded on its first run in this boot and attached afresh for each. */
    private static void runAll(Path runs, Path results, String backend, String clock, LoadedVariants variants) throws Exception {
        for (int i = 0; Files.isRegularFile(runs.resolve(i + SPEC)); i++) {
            long start = System.nanoTime();
            CellPhases phases = new CellPhases();
            Path dir = Files.createDirectories(results.resolve(Integer.toString(i)));
            try {
                RunSpec spec;
                try (Reader in = Files.newBufferedReader(runs.resolve(i + SPEC))) {
                    spec = RunSpec.read(in);
                }
                System.out.println(STARTING_RUN + i + " (" + spec.runId() + "): " + spec.variant().label() + ", "
                        + spec.workload().text() + ", " + spec.duration().toMillis() + " ms");
                phases.lap(CellPhases.SPEC);
                RunResult result = Run.execute(spec, runs.resolve(i + OBJECT), backend, clock, phases, variants);
                RunResultFiles.write(result, dir);
                System.out.println("gamerlab-guest: run " + spec.runId() + " done, sched_ext was " + result.stateDuring()
                        + " with ops '" + result.opsDuring() + "'");
            } catch (Exception e) {
                // This run's failure is its own: recorded beside its spec, and the next run goes on.
                phases.lap(CellPhases.FAILED);
                Files.writeString(dir.resolve(ERROR), describe(e));
                System.out.println("gamerlab-guest: run " + i + " failed: " + describe(e).lines().findFirst().orElse(""));
                e.printStackTrace();
            }
            try (var files = Files.list(dir)) {
                for (Path f : (Iterable<Path>) files::iterator) {
                    try (FileChannel c = FileChannel.open(f, StandardOpenOption.WRITE)) {
                        c.force(true);
                    }
                }
            }
            phases.lap(CellPhases.WRITE);
            AtomicFiles.createNew(dir.resolve(PHASES), phases.encode());
            AtomicFiles.createNew(dir.resolve(FINISHED), Long.toString(System.nanoTime() - start).getBytes(StandardCharsets.US_ASCII));
            AtomicFiles.syncDirectory(results);
        }
    }

    /** VARIANTS.tsv: one "index TAB variant" line per object OBJECTS_DIR/index.bpf.o. */
    private static void matrix(Path variantsFile, Path objects, String gitCommit, Path results, String backend, String clock)
            throws Exception {
        Map<Variant, Path> byVariant = new LinkedHashMap<>();
        for (String line : Files.readAllLines(variantsFile)) {
            String[] f = line.split("\t");
            byVariant.put(Variant.parse(f[1]), objects.resolve(f[0] + ".bpf.o"));
        }
        Files.write(results.resolve(RunResultFiles.TABLE), DatasetFile.encode(MatrixCheck.run(byVariant, backend, clock, gitCommit)));
        System.out.println("gamerlab-guest: matrix of " + byVariant.size() + " variants checked");
    }

    /** Each scheduler of the plan under stress-ng in turn; stress-ng's and other loaders' logs stay in the results. */
    private static void stress(Path planFile, Path objects, String gitCommit, Path results, String backend, String clock)
            throws Exception {
        StressPlan plan;
        try (Reader in = Files.newBufferedReader(planFile)) {
            plan = StressPlan.read(in);
        }
        Files.write(results.resolve(RunResultFiles.TABLE), DatasetFile.encode(StressCheck.run(plan, objects, results, backend, clock, gitCommit)));
        System.out.println("gamerlab-guest: " + plan.subjects().size() + " schedulers stressed");
    }
}
