package io.gamerlab.cli;

import io.gamerlab.analysis.Paper;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code ./gamerlab paper}: regenerates papers/ from the claims ledger and the datasets. */
@Command(name = "paper", sortOptions = false, usageHelpAutoWidth = true,
        description = {"Regenerates papers/ from claims/ledger.yaml and datasets/: a write-up per hypothesis, a summary, "
                + "the figures as PNG and papers.html (self-contained). Deterministic: the same data give the same bytes."},
        exitCodeListHeading = "%nExit status:%n",
        exitCodeList = {
            "0:papers/ written (or, with --check, up to date)",
            "1:--check: the committed papers/ differs from what the data give (the files are listed)",
            "64:bad arguments",
            "65:the ledger or a dataset is malformed (the message names the file and what is wrong)",
            "66:no ledger or no datasets directory"})
public final class PaperCommand implements Callable<Integer> {

    static final int STALE = 1;

    @Spec
    private CommandSpec spec;

    @Option(names = {"-h", "--help"}, usageHelp = true, description = "Show this help and exit.")
    private boolean help;

    @Option(names = "--out", paramLabel = "DIR", description = "Where to write (default: papers/ of the checkout).")
    private Path out;

    @Option(names = "--check", description = "Write nothing: regenerate into a temporary directory and fail (1) if papers/ differs.")
    private boolean check;

    public static void main(String[] args) {
        System.exit(run(new PrintWriter(System.out, true), new PrintWriter(System.err, true), args));
    }

    public static int run(PrintWriter out, PrintWriter err, String... args) {
        return DataCommandLine.run("paper", new PaperCommand(), out, err, args);
    }

    @Override
    public Integer call() throws IOException {
        Path root = Path.of(System.getProperty("gamerlab.root", "."));
        Path target = out != null ? out : root.resolve("papers");
        if (!Files.isDirectory(root.resolve("datasets")))
            throw new NoSuchFileException(root.resolve("datasets") + ": no datasets directory in the checkout");
        PrintWriter print = spec.commandLine().getOut();
        if (!check) {
            List<String> files = Paper.write(root, target);
            print.println("paper: wrote " + files.size() + " files to " + target);
            return 0;
        }
        Path fresh = Files.createTempDirectory("gamerlab-papers");
        try {
            Paper.write(root, fresh);
            List<String> differ = Paper.differences(target, fresh);
            if (differ.isEmpty()) {
                print.println("paper: " + target + " is up to date with the datasets");
                return 0;
            }
            spec.commandLine().getErr().println("paper: " + target + " is stale: " + differ.size() + " file(s) differ from what the data give: "
                    + String.join(", ", differ) + "; run ./gamerlab paper and commit papers/");
            return STALE;
        } finally {
            try (Stream<Path> files = Files.walk(fresh)) {
                for (Path p : files.sorted(Comparator.reverseOrder()).toList()) Files.delete(p);
            }
        }
    }
}
