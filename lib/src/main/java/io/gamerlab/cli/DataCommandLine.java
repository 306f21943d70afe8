package io.gamerlab.cli;

import java.io.PrintWriter;
import java.nio.file.NoSuchFileException;
import picocli.CommandLine;

/**
 * How the commands that read the ledger and the datasets ({@code verdicts}, {@code paper}) run:
 * output and errors to the given writers, a readable message (never a stack trace) and one exit
 * status per kind of failure.
 */
final class DataCommandLine {

    static final int USAGE = 64, DATA_ERROR = 65, NO_INPUT = 66;

    private DataCommandLine() { }

    /** Runs {@code command} (a picocli command named {@code name}) on {@code args}; returns its exit status. */
    static int run(String name, Object command, PrintWriter out, PrintWriter err, String... args) {
        CommandLine cli = new CommandLine(command);
        cli.setOut(out).setErr(err);
        cli.setParameterExceptionHandler((e, a) -> {
            err.println(name + ": " + e.getMessage());
            e.getCommandLine().usage(err);
            return USAGE;
        });
        cli.setExecutionExceptionHandler((e, c, p) -> {
            err.println(name + ": " + e.getMessage());
            return e instanceof NoSuchFileException ? NO_INPUT : DATA_ERROR;
        });
        int status = cli.execute(args);
        out.flush();
        err.flush();
        return status;
    }
}
