package io.gamerlab.experiment;

import io.gamerlab.sched.Variant;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The entry point inside the guest: runs exactly what the host backend would run ({@link Run} or
 * {@link MatrixCheck}), and leaves the result (or the error) in the results directory the host
 * reads back. Usage, each followed by RESULTS_DIR BACKEND CLOCK:
 * <pre>
 *   run    SPEC.properties SCHEDULER.bpf.o
 *   matrix VARIANTS.tsv OBJECTS_DIR GIT_COMMIT
 * </pre>
 */
public final class GuestMain {

    static final String ERROR = "error.txt";
    static final String RUN = "run";
    static final String MATRIX = "matrix";

    private GuestMain() { }

    public static void main(String[] args) throws IOException {
        int jobArgs = args.length > 0 && args[0].equals(RUN) ? 3 : args.length > 0 && args[0].equals(MATRIX) ? 4 : -1;
        if (jobArgs < 0 || args.length != jobArgs + 3) {
            System.err.println("usage: GuestMain run SPEC.properties SCHEDULER.bpf.o | matrix VARIANTS.tsv OBJECTS_DIR GIT_COMMIT"
                    + " -- then RESULTS_DIR BACKEND CLOCK");
            System.exit(2);
        }
        Path results = Path.of(args[jobArgs]);
        String backend = args[jobArgs + 1];
        String clock = args[jobArgs + 2];
        Files.createDirectories(results);
        int status = 0;
        try {
            if (args[0].equals(RUN)) run(Path.of(args[1]), Path.of(args[2]), results, backend, clock);
            else matrix(Path.of(args[1]), Path.of(args[2]), args[3], results, backend, clock);
        } catch (Throwable t) {
            status = 1;
            try (PrintWriter out = new PrintWriter(Files.newBufferedWriter(results.resolve(ERROR)))) {
                t.printStackTrace(out);
            }
            t.printStackTrace();
        }
        System.exit(status);  // workload threads must not keep the guest up
    }

    private static void run(Path specFile, Path object, Path results, String backend, String clock) throws Exception {
        try (Reader in = Files.newBufferedReader(specFile)) {
            RunSpec spec = RunSpec.read(in);
            RunResult result = Run.execute(spec, object, backend, clock);
            RunResultFiles.write(result, results);
            System.out.println("gamerlab-guest: run " + spec.runId() + " done, sched_ext was " + result.stateDuring()
                    + " with ops '" + result.opsDuring() + "'");
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
}
