package io.gamerlab.cluster;

import io.gamerlab.experiment.Cell;
import io.gamerlab.experiment.Sweep;
import io.gamerlab.util.AtomicFiles;
import io.gamerlab.util.InvalidInputException;
import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Stream;

/**
 * An experiment's missing cells handed to Slurm as one job array: the cells are split into
 * shards, contiguous runs of the plan (so each task runs whole blocks of the randomized design
 * where the counts allow, and a node's peculiarities hit every variant alike), and each task runs
 * its shard through the normal runner ({@code gamerlab slurm-task}), storing every cell in the
 * dataset the moment it finishes. The dataset is the only state: what is stored is done, and a
 * resubmission hands out only the cells still missing.
 */
public final class SlurmSweep {

    /** Cells per task when the number of tasks is not given: a guest boot's cost spread over several cells. */
    public static final int CELLS_PER_TASK = 10;
    private static final DateTimeFormatter ID_TIME = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);
    /** What Slurm's common reasons for a pending task mean, for {@code status}. */
    private static final Map<String, String> REASONS = Map.ofEntries(
            Map.entry("Resources", "waiting for free CPUs on the nodes it may use"),
            Map.entry("Priority", "other jobs come first"),
            Map.entry("JobArrayTaskLimit", "the array's limit of tasks at once"),
            Map.entry("ReqNodeNotAvail", "every node it may use is down, drained or reserved"),
            Map.entry("BadConstraints", "no node has the features asked for (--constraint)"),
            Map.entry("PartitionTimeLimit", "its time limit exceeds the partition's (--time)"),
            Map.entry("PartitionNodeLimit", "the partition has fewer nodes than it asks for"),
            Map.entry("PartitionDown", "the partition is down"),
            Map.entry("PartitionInactive", "the partition is inactive"),
            Map.entry("NodeDown", "a node it needs is down"),
            Map.entry("BeginTime", "its start time has not come"),
            Map.entry("Dependency", "it waits for another job"),
            Map.entry("JobHeldUser", "held by its user (scontrol release)"),
            Map.entry("JobHeldAdmin", "held by an administrator"),
            Map.entry("QOSMaxJobsPerUserLimit", "the QOS limit of jobs per user"),
            Map.entry("AssocGrpCpuLimit", "the account's CPU limit"),
            Map.entry("AssocMaxJobsLimit", "the account's limit of jobs"));

    /** File systems that only their own machine sees. */
    private static final Set<String> LOCAL = Set.of("ext2", "ext3", "ext4", "xfs", "btrfs", "zfs", "f2fs", "tmpfs", "ramfs", "overlay",
            "vfat", "exfat");

    private SlurmSweep() { }

    /**
     * Where the dataset and the checkout are, as a line to show at submission: every node must see
     * both at the same path, which a local file system allows only on a one-node cluster. A cluster
     * of several nodes with either on a local file system gets a warning, not a refusal: the same
     * path may be a local mount of a replicated tree on each node, which no check from here can tell.
     */
    public static String sharedFileSystemNote(Path dataset, Path checkout, Slurm slurm) throws IOException {
        FileStore data = Files.getFileStore(dataset);
        FileStore code = Files.getFileStore(checkout);
        int nodes = slurm.nodeCount();
        String where = "the dataset " + dataset + " is on " + data.type() + " (" + data.name() + "), the checkout on " + code.type()
                + " (" + code.name() + ")";
        if (nodes > 1 && (LOCAL.contains(data.type()) || LOCAL.contains(code.type())))
            return "WARNING: " + where + ", a file system local to this machine, but the cluster has " + nodes + " nodes: tasks on"
                    + " another node will not find them. Put the checkout and --datasets on the file system the nodes share";
        return where + (nodes > 1 ? "; each of the cluster's " + nodes + " nodes must see both at the same path" : "; the cluster has one node");
    }

    /**
     * Submits the sweep's missing cells as one job array of {@code tasks} tasks (at most one per
     * cell; 0 for one per {@value #CELLS_PER_TASK} cells), each running on the backend that the
     * experiment's ({@code auto}, {@code host}, {@code guest}) picks on its node. Refused while
     * an earlier submission of this dataset still has tasks queued or running. Returns the
     * submission, or empty when no cell is missing.
     */
    public static Optional<Submission> submit(Sweep sweep, Slurm slurm, SlurmOptions options, int tasks, Path checkout)
            throws IOException {
        if (tasks < 0) throw new InvalidInputException("tasks", tasks, "is negative", "a whole number of tasks, or 0 for one per " + CELLS_PER_TASK + " cells");
        Path dataset = sweep.dataset().dir();
        for (Path earlier : Submission.all(dataset)) {
            OptionalLong job = Submission.read(earlier).jobId();
            if (job.isEmpty()) continue;
            List<Slurm.Task> unfinished = slurm.tasks(job.getAsLong()).orElse(List.of()).stream().filter(t -> !t.finished()).toList();
            if (!unfinished.isEmpty())
                throw new IllegalStateException("job " + job.getAsLong() + " of experiment " + sweep.experiment().name() + " still has "
                        + unfinished.size() + " task(s) queued or running (" + earlier + "); a new submission would run their cells"
                        + " twice. Wait for it (gamerlab status), or cancel it: scancel " + job.getAsLong());
        }
        List<Cell> missing = sweep.prepare();
        if (missing.isEmpty()) return Optional.empty();
        int n = tasks == 0 ? Math.ceilDiv(missing.size(), CELLS_PER_TASK) : Math.min(tasks, missing.size());
        Instant now = Instant.now();
        String id = ID_TIME.format(now) + "-" + HexFormat.of().toHexDigits((short) ThreadLocalRandom.current().nextInt());
        Submission submission = new Submission(dataset.resolve(Submission.DIRECTORY).resolve(id).toAbsolutePath(),
                sweep.experiment().name(), sweep.experiment().backend(), checkout.toAbsolutePath(), now, shards(missing, n));
        submission.write();
        Path script = submission.dir().resolve(Submission.SCRIPT);
        AtomicFiles.createNew(script, jobScript(submission).getBytes(StandardCharsets.UTF_8));
        long job;
        try {
            job = slurm.submitArray(script, n, "gamerlab-" + sweep.experiment().name(), submission.dir() + "/task-%a.out", options);
        } catch (IllegalStateException refused) {
            deleteRefused(submission.dir());
            throw new IllegalStateException("Slurm refused the job array for experiment " + sweep.experiment().name() + ": "
                    + refused.getMessage().strip() + hint(refused.getMessage(), options), refused);
        }
        submission.recordJobId(job);
        return Optional.of(submission);
    }

    /** {@code cells} in order, cut into {@code n} contiguous shards whose sizes differ by at most one. */
    static List<List<String>> shards(List<Cell> cells, int n) {
        List<List<String>> shards = new ArrayList<>(n);
        int from = 0;
        for (int i = 0; i < n; i++) {
            int size = cells.size() / n + (i < cells.size() % n ? 1 : 0);
            shards.add(cells.subList(from, from + size).stream().map(Cell::id).toList());
            from += size;
        }
        return shards;
    }

    private static String jobScript(Submission s) {
        return "#!/bin/bash\n"
                + "# One task of gamerlab's job array for experiment " + s.experiment() + ": runs its shard of cells\n"
                + "# (" + Submission.FILE + ", tasks[$SLURM_ARRAY_TASK_ID]) into the dataset, on the backend that\n"
                + "# '" + s.backend() + "' picks on this node. Written by gamerlab run --slurm.\n"
                + "exec " + quoted(s.checkout().resolve("gamerlab").toString()) + " slurm-task " + quoted(s.dir().toString()) + "\n";
    }

    private static String quoted(String s) {
        return "'" + s.replace("'", "'\\''") + "'";
    }

    private static String hint(String sbatchSaid, SlurmOptions options) {
        if (sbatchSaid.contains("Invalid feature specification") && options.constraint().isPresent())
            return " (no node of the cluster has the features of --constraint " + options.constraint().get()
                    + "; sinfo -o '%N %f' lists each node's)";
        if (sbatchSaid.contains("invalid partition")) return " (sinfo -s lists the partitions)";
        if (sbatchSaid.contains("Invalid account")) return " (sacctmgr show associations user=$USER lists yours)";
        return "";
    }

    private static void deleteRefused(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.toList()) Files.delete(f);
        }
        Files.delete(dir);
    }

    /**
     * What {@code gamerlab status} prints: the dataset's cells done, failed and pending, and for the
     * newest submission, each task's state in Slurm (why it waits, where it ran, how it ended)
     * beside how many of its cells are stored.
     */
    public static String status(Sweep sweep, Slurm slurm) throws IOException {
        List<Cell> plan = sweep.plan();
        Set<String> stored = sweep.stored();
        Set<String> failed = sweep.dataset().failures().keySet();
        long failedOnly = plan.stream().filter(c -> failed.contains(c.id()) && !stored.contains(c.id())).count();
        long done = plan.stream().filter(c -> stored.contains(c.id())).count();
        StringBuilder s = new StringBuilder();
        s.append(String.format(Locale.ROOT, "experiment %s: %d cells: %d done, %d failed, %d pending (%s)%n", sweep.experiment().name(),
                plan.size(), done, failedOnly, plan.size() - done - failedOnly, sweep.dataset().dir()));
        List<Path> submissions = Submission.all(sweep.dataset().dir());
        if (submissions.isEmpty()) return s.append("slurm: no submission recorded\n").toString();
        Submission last = Submission.read(submissions.getLast());
        OptionalLong job = last.jobId();
        s.append(String.format(Locale.ROOT, "slurm: submission %s of %s, %d tasks on backend %s, job %s%n", last.dir().getFileName(),
                last.submittedAt(), last.tasks().size(), last.backend(), job.isPresent() ? Long.toString(job.getAsLong()) : "(none: sbatch did not answer)"));
        Optional<List<Slurm.Task>> tasks = Optional.empty();
        if (job.isPresent()) {
            Optional<String> noSlurm = Slurm.whyUnavailable();
            if (noSlurm.isPresent()) s.append("  its state is unknown here: ").append(noSlurm.get()).append('\n');
            else {
                try {
                    tasks = slurm.tasks(job.getAsLong());
                    if (tasks.isEmpty())
                        s.append("  Slurm no longer knows job ").append(job.getAsLong())
                                .append(" (it ended a while ago, and the cluster keeps no accounting): the dataset tells what was done\n");
                } catch (IllegalStateException noAnswer) {
                    s.append("  Slurm did not answer about job ").append(job.getAsLong()).append(": ")
                            .append(noAnswer.getMessage().strip().replace('\n', ' ')).append('\n');
                }
            }
        }
        for (int i = 0; i < last.tasks().size(); i++) {
            List<String> shard = last.shard(i);
            long storedOfShard = shard.stream().filter(stored::contains).count();
            int index = i;
            String state = tasks.flatMap(ts -> ts.stream().filter(t -> t.index() == index).findFirst()).map(SlurmSweep::describe).orElse("");
            s.append(String.format(Locale.ROOT, "  task %d: %d of %d cells stored%s (output %s)%n", i, storedOfShard, shard.size(),
                    state.isEmpty() ? "" : ", " + state, last.output(i)));
        }
        if (done < plan.size() && tasks.map(ts -> ts.stream().allMatch(Slurm.Task::finished)).orElse(true))
            s.append("  ").append(plan.size() - done).append(" cells have no result: gamerlab run --slurm --resume submits them again\n");
        return s.toString();
    }

    private static String describe(Slurm.Task t) {
        StringBuilder s = new StringBuilder(t.state());
        if (!t.finished() && !t.state().equals("RUNNING") && !t.reason().equals("None")) {
            String known = REASONS.entrySet().stream().filter(e -> t.reason().startsWith(e.getKey())).map(Map.Entry::getValue).findFirst().orElse("");
            s.append(" (").append(t.reason()).append(known.isEmpty() ? "" : ": " + known).append(')');
        }
        if (!t.node().isEmpty() && !t.node().equals("(null)") && !t.node().startsWith("None")) s.append(" on ").append(t.node());
        if (t.finished() && !t.completed()) s.append(", exit ").append(t.exitCode());
        return s.toString();
    }
}
