package io.gamerlab.experiment;

import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import tech.tablesaw.api.Table;

/** A run's result as two files in a directory: how it leaves a guest, and how it is archived. */
public final class RunResultFiles {

    static final String TABLE = "table.csv";
    static final String KERNEL = "sched_ext.properties";

    private RunResultFiles() { }

    public static void write(RunResult result, Path dir) throws IOException {
        Files.createDirectories(dir);
        Files.write(dir.resolve(TABLE), DatasetFile.encode(result.table()));
        Properties p = new Properties();
        p.setProperty("state_during", result.stateDuring());
        p.setProperty("ops_during", result.opsDuring());
        p.setProperty("state_after", result.stateAfter());
        p.setProperty("exit_kind", Integer.toString(result.exitKind()));
        p.setProperty("exit_reason", result.exitReason());
        try (Writer out = Files.newBufferedWriter(dir.resolve(KERNEL))) {
            p.store(out, "what sched_ext reported during and after the run");
        }
    }

    public static RunResult read(Path dir) throws IOException {
        Path csv = dir.resolve(TABLE);
        Path kernel = dir.resolve(KERNEL);
        if (!Files.isRegularFile(csv) || !Files.isRegularFile(kernel))
            throw new IOException("no run result in " + dir + " (expected " + TABLE + " and " + KERNEL + ")");
        Table table = DatasetFile.read(csv);
        Properties p = new Properties();
        try (Reader in = Files.newBufferedReader(kernel)) {
            p.load(in);
        }
        return new RunResult(table, p.getProperty("state_during"), p.getProperty("ops_during"),
                p.getProperty("state_after"), Integer.parseInt(p.getProperty("exit_kind")), p.getProperty("exit_reason"));
    }
}
