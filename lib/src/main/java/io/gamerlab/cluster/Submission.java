package io.gamerlab.cluster;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.gamerlab.util.AtomicFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.stream.Stream;

/**
 * One submission of an experiment's missing cells as a Slurm job array, kept in the dataset under
 * {@code slurm/<id>/}: {@value #FILE} (the experiment, the backend, the checkout and each task's
 * shard of cell ids, written before sbatch runs), {@value #JOB_ID} (the job id Slurm gave it,
 * written after), {@value #SCRIPT} (what each task runs) and the tasks' output, {@code task-<i>.out}.
 * Every file is written once ({@link AtomicFiles}); the newest submission is the one whose name
 * sorts last (its id starts with the UTC time of submission).
 */
public record Submission(Path dir, String experiment, String backend, Path checkout, Instant submittedAt, List<List<String>> tasks) {

    static final String DIRECTORY = "slurm";
    static final String FILE = "submission.json";
    static final String JOB_ID = "job-id";
    static final String SCRIPT = "job.sh";
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    public Submission {
        tasks = tasks.stream().map(List::copyOf).toList();
    }

    /** The shard of task {@code index}, as its job array numbers it (from 0). */
    public List<String> shard(int index) {
        if (index < 0 || index >= tasks.size())
            throw new IllegalArgumentException("task " + index + " is not a task of submission " + dir + ", which has tasks 0 to " + (tasks.size() - 1));
        return tasks.get(index);
    }

    /** The job id Slurm gave it; empty if sbatch refused it or has not answered yet. */
    public OptionalLong jobId() throws IOException {
        Path f = dir.resolve(JOB_ID);
        return Files.isRegularFile(f) ? OptionalLong.of(Long.parseLong(Files.readString(f).strip())) : OptionalLong.empty();
    }

    void recordJobId(long id) throws IOException {
        AtomicFiles.createNew(dir.resolve(JOB_ID), (id + "\n").getBytes(StandardCharsets.UTF_8));
    }

    /** Task {@code index}'s output file, as sbatch's --output names it. */
    public Path output(int index) {
        return dir.resolve("task-" + index + ".out");
    }

    void write() throws IOException {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("experiment", experiment);
        m.put("backend", backend);
        m.put("checkout", checkout.toString());
        m.put("submitted_at", submittedAt.toString());
        m.put("tasks", tasks);
        Files.createDirectories(dir);
        AtomicFiles.createNew(dir.resolve(FILE), JSON.writeValueAsBytes(m));
    }

    /** Reads the submission in {@code dir}; an error names the file and what is wrong with it. */
    public static Submission read(Path dir) throws IOException {
        Path f = dir.resolve(FILE);
        try {
            JsonNode n = JSON.readTree(Files.readAllBytes(f));
            List<List<String>> tasks = JSON.convertValue(n.required("tasks"), new TypeReference<>() { });
            return new Submission(dir, n.required("experiment").asText(), n.required("backend").asText(),
                    Path.of(n.required("checkout").asText()), Instant.parse(n.required("submitted_at").asText()), tasks);
        } catch (IllegalArgumentException | java.time.format.DateTimeParseException | com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IOException(f + " is not a submission gamerlab wrote: " + e.getMessage(), e);
        }
    }

    /** The submissions recorded in a dataset directory, oldest first. */
    public static List<Path> all(Path dataset) throws IOException {
        Path d = dataset.resolve(DIRECTORY);
        if (!Files.isDirectory(d)) return List.of();
        try (Stream<Path> list = Files.list(d)) {
            return list.filter(p -> Files.isRegularFile(p.resolve(FILE))).sorted().toList();
        }
    }
}
