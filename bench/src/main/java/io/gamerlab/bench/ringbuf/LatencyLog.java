package io.gamerlab.bench.ringbuf;

import java.io.FileOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramLogWriter;

/**
 * A latency run's histograms in HdrHistogram's own log format ({@code HistogramLogWriter}), beside
 * its dataset: {@code <dataset>.hlog}, one interval histogram per trial and kind, tagged
 * {@code trial<N>.<kind>} (the dataset's {@code latency.<kind>.hdr} row names the tag);
 * {@code org.HdrHistogram.HistogramLogReader} reads them back. Like the dataset, created new and
 * appended trial by trial, each trial's histograms synced to disk before the next trial runs.
 */
final class LatencyLog implements AutoCloseable {
    private final FileOutputStream file;
    private final PrintStream print;
    private final HistogramLogWriter writer;

    private LatencyLog(FileOutputStream file) {
        this.file = file;
        this.print = new PrintStream(file, false, StandardCharsets.US_ASCII);
        this.writer = new HistogramLogWriter(print);
    }

    /** {@code datasets/x/<run>.csv} -> {@code datasets/x/<run>.hlog}. */
    static Path beside(Path dataset) {
        String name = dataset.getFileName().toString();
        return dataset.resolveSibling((name.endsWith(".csv") ? name.substring(0, name.length() - 4) : name) + ".hlog");
    }

    /** Creates the log (never over an existing file) with its header; histograms' times count from {@code startMillis}. */
    static LatencyLog create(Path path, long startMillis) throws IOException {
        try {
            Files.createFile(path);
        } catch (FileAlreadyExistsException e) {
            throw new IllegalArgumentException("histogram log " + path + " exists already: it is never overwritten; name another file with --out");
        }
        LatencyLog log = new LatencyLog(new FileOutputStream(path.toFile(), true));
        log.writer.outputLogFormatVersion();
        log.writer.outputStartTime(startMillis);
        log.writer.setBaseTime(startMillis);
        log.writer.outputLegend();
        log.sync();
        return log;
    }

    static String tag(LatencyTrial.Result trial, String kind) {
        return "trial" + trial.order + "." + kind;
    }

    /** Appends the trial's histograms, tagged, and syncs them to disk. */
    void append(LatencyTrial.Result trial) throws IOException {
        for (Map.Entry<String, Histogram> e : trial.histograms.entrySet()) {
            e.getValue().setTag(tag(trial, e.getKey()));
            writer.outputIntervalHistogram(e.getValue());
        }
        sync();
    }

    private void sync() throws IOException {
        print.flush();
        if (print.checkError()) throw new IOException("writing the histogram log failed");
        file.getFD().sync();
    }

    @Override
    public void close() {
        print.close();
    }
}
