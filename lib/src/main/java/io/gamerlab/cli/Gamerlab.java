package io.gamerlab.cli;

import io.gamerlab.experiment.GuestFailedException;
import io.gamerlab.sched.SchedExtUnavailableException;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.NoSuchFileException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code gamerlab} command: {@code run} and {@code quickstart}, with the conventions every
 * gamerlab command shares ({@code --help}; a bad argument gets its message and the usage). A bad
 * argument or input file gets a message naming what was wrong, its value and what is allowed; an
 * environment problem (no sched_ext, a failed guest, a full disk) gets its message; only a defect
 * of gamerlab itself shows a stack trace. Exit status as sysexits.h (and {@code verdicts}, the
 * bench runners): 64 a bad argument, 65 bad data in an input file, 66 an input file missing, 1
 * anything else that failed.
 */
@Command(name = "gamerlab", mixinStandardHelpOptions = true, version = "gamerlab 0.1",
        description = "A workbench that measures mechanical-sympathy optimisations of a sched_ext gaming scheduler.",
        subcommands = {RunCommand.class, StatusCommand.class, QuickstartCommand.class, SlurmTaskCommand.class})
public final class Gamerlab implements Runnable {

    /** A bad argument (EX_USAGE). */
    static final int BAD_ARGUMENT = 64;
    /** Bad data in an input file: an experiment file, a dataset (EX_DATAERR). */
    static final int BAD_DATA = 65;
    /** An input file that is not there (EX_NOINPUT). */
    static final int NO_INPUT = 66;
    /** Something outside the input failed: the machine, a guest, the disk. */
    static final int FAILED = 1;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "name a command: run, status or quickstart");
    }

    public static void main(String[] args) {
        System.exit(execute(new PrintWriter(System.out, true), new PrintWriter(System.err, true), args));
    }

    /** Runs {@code args} as the command line would, printing to {@code out} and {@code err}; returns the exit status. */
    public static int execute(PrintWriter out, PrintWriter err, String... args) {
        CommandLine cli = new CommandLine(new Gamerlab()).setOut(out).setErr(err);
        // A bad argument: what was wrong, picocli's suggestions if it has any, and always the usage.
        cli.setParameterExceptionHandler((e, given) -> {
            CommandLine where = e.getCommandLine();
            where.getErr().println("gamerlab " + where.getCommandName() + ": " + e.getMessage());
            CommandLine.UnmatchedArgumentException.printSuggestions(e, where.getErr());
            where.usage(where.getErr());
            return BAD_ARGUMENT;
        });
        cli.setExecutionExceptionHandler((e, commandLine, parsed) -> {
            if (e instanceof NoSuchFileException || e instanceof IllegalArgumentException) {
                commandLine.getErr().println("gamerlab " + commandLine.getCommandName() + ": " + e.getMessage());
                return e instanceof NoSuchFileException ? NO_INPUT : BAD_DATA;
            }
            if (e instanceof IOException || e instanceof UncheckedIOException || e instanceof IllegalStateException
                    || e instanceof SchedExtUnavailableException || e instanceof GuestFailedException) {
                commandLine.getErr().println("gamerlab " + commandLine.getCommandName() + ": " + e.getMessage());
                return FAILED;
            }
            throw e;
        });
        return cli.execute(args);
    }
}
