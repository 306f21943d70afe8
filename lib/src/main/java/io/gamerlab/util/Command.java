package io.gamerlab.util;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** Runs an external program to completion and returns its output, or fails saying what it printed. */
public final class Command {

    private Command() { }

    /** Runs {@code argv}; {@code why} completes "... failed while <why>" in the error message. */
    public static String run(String why, List<String> argv) {
        return run(why, argv, null);
    }

    public static String run(String why, List<String> argv, Path workingDirectory) {
        return run(why, argv, workingDirectory, Map.of());
    }

    /** {@link #run(String, List, Path)} with {@code environment} added to this process's. */
    public static String run(String why, List<String> argv, Path workingDirectory, Map<String, String> environment) {
        try {
            ProcessBuilder pb = new ProcessBuilder(argv).redirectErrorStream(true);
            if (workingDirectory != null) pb.directory(workingDirectory.toFile());
            pb.environment().putAll(environment);
            Process p = pb.start();
            String out = new String(p.getInputStream().readAllBytes());
            int status = p.waitFor();
            if (status != 0)
                throw new IllegalStateException(argv.get(0) + " failed (exit " + status + ") while " + why + ":\n" + out);
            return out;
        } catch (IOException e) {
            throw new IllegalStateException("cannot run " + argv.get(0) + " while " + why + ": " + e.getMessage()
                    + " (scripts/setup.sh installs what gamerlab needs)", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while " + why, e);
        }
    }
}
