package io.gamerlab.experiment;

import io.gamerlab.measure.Provenance;
import io.gamerlab.measure.RunTable;
import io.gamerlab.measure.SampleProvenance;
import io.gamerlab.util.AtomicFiles;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.Set;

/**
 * A writer for {@link DatasetKillTest} to kill: takes the dataset's lock, says "ready", then stores
 * cells k0001, k0002, ... (those not stored yet) as {@link Dataset#add} stores them, until it is
 * killed. Every cell is the same encoded table but for its id, so the test knows each file's
 * complete bytes; the encoding is done once up front, so the child's time goes to writing.
 */
public final class DatasetWriterChild {

    static final int ROWS = 4000;
    private static final String TEMPLATE_ID = "k0000";

    private DatasetWriterChild() { }

    /** The bytes of cell {@code id}'s file: what the child writes and the test expects. */
    static byte[] cell(byte[] template, String id) {
        return new String(template, StandardCharsets.UTF_8).replace(TEMPLATE_ID, id).getBytes(StandardCharsets.UTF_8);
    }

    /** The encoded table every cell is made from (about 1.5 MB). */
    static byte[] template() {
        Provenance p = SampleProvenance.of(TEMPLATE_ID, "baseline", "host");
        RunTable t = new RunTable(p);
        Random random = new Random(7);
        for (int i = 0; i < ROWS; i++) t.add("workload", "sample_" + i, "us", random.nextInt(1_000_000) / 8.0);
        return DatasetFile.encode(t.table());
    }

    /** Arguments: the dataset directory, and a file holding {@link #template()}. */
    public static void main(String[] args) throws Exception {
        Dataset dataset = new Dataset(Path.of(args[0]));
        byte[] template = Files.readAllBytes(Path.of(args[1]));
        try (Dataset.Lock lock = dataset.lock()) {
            Set<String> stored = dataset.cells();
            System.out.println("ready");
            System.out.flush();
            for (int i = 1; ; i++) {
                String id = String.format("k%04d", i);
                if (stored.contains(id)) continue;
                AtomicFiles.createNew(dataset.dir().resolve(id + ".csv"), cell(template, id));
                System.out.println("stored " + id);
                System.out.flush();
            }
        }
    }
}
