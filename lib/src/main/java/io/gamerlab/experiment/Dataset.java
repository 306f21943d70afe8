package io.gamerlab.experiment;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.stream.Stream;
import tech.tablesaw.api.Table;

/**
 * A directory of runs, one CSV per run. A run is added by writing a temporary file and renaming
 * it into place, so a run that fails half-way never leaves a partial file among the good ones.
 */
public final class Dataset {

    private final Path dir;

    public Dataset(Path dir) {
        this.dir = dir;
    }

    public Path dir() {
        return dir;
    }

    /** Stores the run's table and returns its file. */
    public Path add(RunResult result) throws IOException {
        Files.createDirectories(dir);
        String runId = result.table().stringColumn("run_id").get(0);
        Path target = dir.resolve(runId + ".csv");
        Path partial = dir.resolve("." + runId + ".csv.partial");
        result.table().write().csv(partial.toFile());
        Files.move(partial, target, StandardCopyOption.ATOMIC_MOVE);
        return target;
    }

    /** All runs stored so far, as one table. */
    public Table table() throws IOException {
        if (!Files.isDirectory(dir)) throw new IOException("dataset " + dir + " holds no runs yet (no such directory)");
        List<Path> files;
        try (Stream<Path> list = Files.list(dir)) {
            files = list.filter(p -> p.getFileName().toString().endsWith(".csv")).sorted().toList();
        }
        if (files.isEmpty()) throw new IOException("dataset " + dir + " holds no runs yet");
        Table all = RunResultFiles.readTable(files.getFirst()).setName(dir.getFileName().toString());
        for (Path f : files.subList(1, files.size())) all.append(RunResultFiles.readTable(f));
        return all;
    }
}
