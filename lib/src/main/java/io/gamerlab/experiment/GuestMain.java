package io.gamerlab.experiment;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The entry point inside the guest: runs {@link Run#execute} exactly as the host backend would,
 * and leaves the result (or the error) in the results directory the host reads back.
 */
public final class GuestMain {

    static final String ERROR = "error.txt";

    private GuestMain() { }

    public static void main(String[] args) throws IOException {
        if (args.length != 5) {
            System.err.println("usage: GuestMain SPEC.properties SCHEDULER.bpf.o RESULTS_DIR BACKEND CLOCK");
            System.exit(2);
        }
        Path results = Path.of(args[2]);
        Files.createDirectories(results);
        int status = 0;
        try (Reader in = Files.newBufferedReader(Path.of(args[0]))) {
            RunSpec spec = RunSpec.read(in);
            RunResult result = Run.execute(spec, Path.of(args[1]), args[3], args[4]);
            RunResultFiles.write(result, results);
            System.out.println("gamerlab-guest: run " + spec.runId() + " done, sched_ext was " + result.stateDuring()
                    + " with ops '" + result.opsDuring() + "'");
        } catch (Throwable t) {
            status = 1;
            try (PrintWriter out = new PrintWriter(Files.newBufferedWriter(results.resolve(ERROR)))) {
                t.printStackTrace(out);
            }
            t.printStackTrace();
        }
        System.exit(status);  // workload threads must not keep the guest up
    }
}
