package io.gamerlab.cli;

import io.gamerlab.analysis.Bootstrap;
import io.gamerlab.analysis.Ledger;
import io.gamerlab.analysis.VerdictReport;
import io.gamerlab.analysis.Verdicts;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import tech.tablesaw.io.csv.CsvWriteOptions;

/** {@code ./gamerlab verdicts}: every claim of the claims ledger judged against the datasets present. */
@Command(name = "verdicts", sortOptions = false, usageHelpAutoWidth = true,
        description = {
            "Judges every claim of the claims ledger against whatever datasets are present: each measure's effect "
                    + "(variant against control, across independent repetitions) with its 95 %% bootstrap interval, n, "
                    + "the control's own noise, the backend and clock of the data, and a verdict: supported, refuted, "
                    + "inconclusive (with the repetitions that would decide it) or untestable here (with why)."},
        exitCodeListHeading = "%nExit status:%n",
        exitCodeList = {
            "0:verdicts were computed (of any kind, untestable here included)",
            "64:bad arguments",
            "65:the ledger or a dataset is malformed (the message names the file and what is wrong)",
            "66:no ledger or no datasets directory at the given path"})
public final class VerdictsCommand implements Callable<Integer> {


    /** What --format prints. */
    enum Format { text, markdown, csv }

    @Spec
    private CommandSpec spec;

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help and exit.")
    private boolean help;

    @Option(names = "--ledger", paramLabel = "FILE", description = "The claims ledger (default: claims/ledger.yaml of the checkout).")
    private Path ledger;

    @Option(names = "--datasets", paramLabel = "DIR", description = "The datasets directory (default: datasets/ of the checkout).")
    private Path datasets;

    @Option(names = "--claim", paramLabel = "ID", split = ",", description = "Only these claims (ids from the ledger; repeatable or comma-separated).")
    private List<String> claims = List.of();

    @Option(names = "--every-run", description = "One verdict per run of a measure's dataset, not only the newest run's.")
    private boolean everyRun;

    @Option(names = "--format", paramLabel = "FORMAT", defaultValue = "text",
            description = "text (a table and the reasons), markdown (one table) or csv (numbers as numbers); default: ${DEFAULT-VALUE}.")
    private Format format;

    private int resamples = Bootstrap.DEFAULT_RESAMPLES;
    private long seed = Bootstrap.DEFAULT_SEED;

    @Option(names = "--resamples", paramLabel = "N", description = "Bootstrap resamples, at least 1000 (default: "
            + Bootstrap.DEFAULT_RESAMPLES + ").")
    void resamples(int n) {
        if (n < 1000)
            throw new ParameterException(spec.commandLine(), "--resamples must be at least 1000 for a 95 % interval; was " + n);
        resamples = n;
    }

    @Option(names = "--seed", paramLabel = "N", description = "The bootstrap's random seed (default: " + Bootstrap.DEFAULT_SEED
            + "); the same data and seed give the same intervals.")
    void seed(long s) {
        seed = s;
    }

    public static void main(String[] args) {
        System.exit(run(new PrintWriter(System.out, true), new PrintWriter(System.err, true), args));
    }

    /** Runs the command with its output and errors going to {@code out} and {@code err}; returns the exit status. */
    public static int run(PrintWriter out, PrintWriter err, String... args) {
        return DataCommandLine.run("verdicts", new VerdictsCommand(), out, err, args);
    }

    @Override
    public Integer call() throws IOException {
        Path root = Path.of(System.getProperty("gamerlab.root", "."));
        Path ledgerFile = ledger != null ? ledger : root.resolve(Ledger.DEFAULT);
        Path datasetsDir = datasets != null ? datasets : root.resolve("datasets");
        if (!ledgerFile.toFile().isFile())
            throw new NoSuchFileException(ledgerFile + ": no claims ledger there (--ledger FILE)");
        if (!datasetsDir.toFile().isDirectory())
            throw new NoSuchFileException(datasetsDir + ": no datasets directory there (--datasets DIR)");
        Ledger all = Ledger.load(ledgerFile);
        Ledger chosen = all;
        if (!claims.isEmpty()) {
            try {
                chosen = new Ledger(claims.stream().map(all::claim).toList());
            } catch (IllegalArgumentException e) {
                throw new ParameterException(spec.commandLine(), "--claim: " + e.getMessage());
            }
        }
        Verdicts verdicts = Verdicts.evaluate(chosen, datasetsDir, new Bootstrap(Bootstrap.Method.EXPANDED_PERCENTILE, resamples, seed), everyRun);
        PrintWriter out = spec.commandLine().getOut();
        switch (format) {
            case text -> out.print("Verdicts: claims from " + ledgerFile + ", data from " + datasetsDir + "\n\n" + VerdictReport.text(verdicts));
            case markdown -> out.print(VerdictReport.markdown(verdicts));
            case csv -> {
                StringWriter csv = new StringWriter();
                verdicts.table().write().usingOptions(CsvWriteOptions.builder(csv).build());
                out.print(csv);
            }
        }
        return 0;
    }
}
