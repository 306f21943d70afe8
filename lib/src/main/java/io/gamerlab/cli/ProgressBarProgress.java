package io.gamerlab.cli;

import io.gamerlab.experiment.Cell;
import io.gamerlab.experiment.Sweep;
import java.time.Duration;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/** A sweep's progress as a terminal progress bar: cell k of n, elapsed, time left; failures on lines of their own. */
final class ProgressBarProgress implements Sweep.Progress, AutoCloseable {

    private final String name;
    private ProgressBar bar;

    ProgressBarProgress(String name) {
        this.name = name;
    }

    @Override
    public void starting(int toRun, int stored, int total) {
        bar = new ProgressBarBuilder().setTaskName(name).setInitialMax(total).setStyle(ProgressBarStyle.ASCII)
                .setUpdateIntervalMillis(1000).setUnit(" cells", 1).startsFrom(stored, Duration.ZERO).build();
        if (stored > 0) bar.setExtraMessage(stored + " stored before");
    }

    @Override
    public void cellStarted(Cell cell) {
        bar.setExtraMessage("running " + cell.id());
    }

    @Override
    public void cellFinished(Cell cell, boolean failed, String reason) {
        if (failed) System.err.println(System.lineSeparator() + "cell " + cell.id() + " (" + cell.condition() + ") FAILED: "
                + reason.lines().findFirst().orElse(""));
        bar.step();
    }

    @Override
    public void close() {
        if (bar != null) bar.close();
    }
}
