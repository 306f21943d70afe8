package io.gamerlab.experiment;

import java.io.PrintStream;
import java.util.Locale;

/** A sweep's progress as one line per finished cell (for notebooks and logs): k of n, elapsed, time left. */
public final class PrintedProgress implements Sweep.Progress {

    private final PrintStream out;
    private long start;
    private int total;
    private int done;
    private int ran;
    private int toRun;

    public PrintedProgress(PrintStream out) {
        this.out = out;
    }

    @Override
    public void starting(int cellsToRun, int stored, int cells) {
        start = System.nanoTime();
        total = cells;
        done = stored;
        toRun = cellsToRun;
        out.printf(Locale.ROOT, "%d of %d cells stored already, %d to run%n", stored, cells, cellsToRun);
    }

    @Override
    public void cellStarted(Cell cell) {
        // one line per finished cell is enough
    }

    @Override
    public void cellFinished(Cell cell, boolean failed, String reason) {
        done++;
        ran++;
        double elapsed = (System.nanoTime() - start) / 1e9;
        double left = elapsed / ran * (toRun - ran);
        out.printf(Locale.ROOT, "cell %d of %d %s %s (%s), %.0f s elapsed, about %.0f s left%s%n", done, total, cell.id(),
                failed ? "FAILED" : "done", cell.condition(), elapsed, left, failed ? ": " + reason.lines().findFirst().orElse("") : "");
    }
}
