package io.gamerlab.cluster;

import io.gamerlab.util.Command;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Slurm's client commands ({@code sbatch}, {@code scontrol}, {@code sacct}, {@code scancel}) run as
 * programs, so gamerlab links no Slurm library and works with whatever Slurm the cluster runs.
 * Which cluster they talk to is Slurm's own setting ({@code SLURM_CONF}, else its default
 * configuration); {@link #withConfig} names another, as the tests do for the local cluster.
 */
public final class Slurm {

    /** The states of a task that has not finished (Slurm's names). */
    private static final Set<String> UNFINISHED = Set.of("PENDING", "CONFIGURING", "RUNNING", "COMPLETING", "SUSPENDED",
            "REQUEUED", "REQUEUE_FED", "REQUEUE_HOLD", "RESIZING", "SIGNALING", "STAGE_OUT", "RESV_DEL_HOLD", "STOPPED");
    private static final Pattern FIELD = Pattern.compile("(?:^|\\s)(JobId|ArrayJobId|ArrayTaskId|JobState|Reason|NodeList|ExitCode)=(\\S*)");

    private final Map<String, String> environment;

    private Slurm(Map<String, String> environment) {
        this.environment = environment;
    }

    /** The cluster this process's environment names (or Slurm's default). */
    public static Slurm fromEnvironment() {
        return new Slurm(Map.of());
    }

    /** The cluster that {@code slurmConf} describes. */
    public static Slurm withConfig(Path slurmConf) {
        return new Slurm(Map.of("SLURM_CONF", slurmConf.toAbsolutePath().toString()));
    }

    /** Why jobs cannot be submitted from here, if they cannot: no {@code sbatch} on the PATH. */
    public static Optional<String> whyUnavailable() {
        String path = System.getenv().getOrDefault("PATH", "");
        for (String dir : path.split(":"))
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, "sbatch"))) return Optional.empty();
        return Optional.of("no sbatch on the PATH (" + path + "): submit from a machine with Slurm's client commands"
                + " (on Debian: apt-get install slurm-client), or try scripts/slurm-local.sh up for a one-node cluster here");
    }

    /** One task of a job array as Slurm reports it. */
    public record Task(int index, String state, String reason, String node, String exitCode) {

        /** Whether it has ended, however (completed, failed, cancelled, timed out, its node failed...). */
        public boolean finished() {
            return !UNFINISHED.contains(state);
        }

        public boolean completed() {
            return state.equals("COMPLETED");
        }
    }

    /**
     * Submits {@code script} as one job array of {@code tasks} tasks (indices 0 to tasks - 1),
     * each task's output in {@code output} ({@code %A} and {@code %a} expand to the job and task);
     * returns the job id. A refusal (an unknown partition, a constraint no node has) is thrown with
     * sbatch's own words.
     */
    public long submitArray(Path script, int tasks, String jobName, String output, SlurmOptions options) {
        if (tasks < 1) throw new IllegalArgumentException("a job array has at least one task, not " + tasks);
        List<String> argv = new ArrayList<>(List.of("sbatch", "--parsable", "--array=0-" + (tasks - 1), "--job-name=" + jobName,
                "--output=" + output, "--open-mode=append"));
        argv.addAll(options.sbatchArguments());
        argv.add(script.toAbsolutePath().toString());
        String out = Command.run("submitting " + script + " as a job array of " + tasks + " tasks", argv, null, environment).strip();
        String last = out.lines().reduce((a, b) -> b).orElse("");  // sbatch may warn before the id
        Matcher id = Pattern.compile("^(\\d+)(;.*)?$").matcher(last);
        if (!id.matches()) throw new IllegalStateException("sbatch answered '" + out + "', not a job id");
        return Long.parseLong(id.group(1));
    }

    /**
     * The tasks of job array {@code jobId}, by index, from {@code scontrol} while the controller
     * keeps the job, else from the accounting ({@code sacct}); empty when Slurm no longer knows it
     * (it finished before the controller's MinJobAge and the cluster keeps no accounting).
     */
    public Optional<List<Task>> tasks(long jobId) {
        try {
            String out = Command.run("asking Slurm about job " + jobId, List.of("scontrol", "-o", "show", "job", Long.toString(jobId)),
                    null, environment);
            return Optional.of(fromScontrol(out));
        } catch (IllegalStateException e) {
            // "Invalid job id": the controller purged it (or never had it), and the accounting may
            // still know it; anything else (no controller answering) is no answer about the job.
            if (!e.getMessage().contains("Invalid job id")) throw e;
        }
        try {
            String out = Command.run("asking Slurm's accounting about job " + jobId, List.of("sacct", "-j", Long.toString(jobId), "-X",
                    "-n", "-P", "-o", "JobID,State,Reason,NodeList,ExitCode"), null, environment);
            List<Task> tasks = fromSacct(jobId, out);
            return tasks.isEmpty() ? Optional.empty() : Optional.of(tasks);
        } catch (IllegalStateException noAccounting) {
            return Optional.empty();
        }
    }

    static List<Task> fromScontrol(String out) {
        List<Task> tasks = new ArrayList<>();
        for (String line : out.lines().filter(l -> !l.isBlank()).toList()) {
            Map<String, String> f = new java.util.HashMap<>();
            Matcher m = FIELD.matcher(line);
            while (m.find()) f.put(m.group(1), m.group(2));
            String indices = f.get("ArrayTaskId");
            if (indices == null) continue;  // not an array job
            for (int index : ArrayRange.indices(indices))
                tasks.add(new Task(index, f.getOrDefault("JobState", "UNKNOWN"), f.getOrDefault("Reason", "None"),
                        f.getOrDefault("NodeList", ""), f.getOrDefault("ExitCode", "")));
        }
        tasks.sort(Comparator.comparingInt(Task::index));
        return tasks;
    }

    static List<Task> fromSacct(long jobId, String out) {
        List<Task> tasks = new ArrayList<>();
        String prefix = jobId + "_";
        for (String line : out.lines().filter(l -> !l.isBlank()).toList()) {
            String[] f = line.split("\\|", -1);
            if (f.length < 5 || !f[0].startsWith(prefix)) continue;
            String state = f[1].split(" ")[0];  // "CANCELLED by 0"
            for (int index : ArrayRange.indices(f[0].substring(prefix.length())))
                tasks.add(new Task(index, state, f[2], f[3], f[4]));
        }
        tasks.sort(Comparator.comparingInt(Task::index));
        return tasks;
    }

    /** How many nodes the cluster has. */
    public int nodeCount() {
        return (int) Command.run("listing the cluster's nodes", List.of("sinfo", "-h", "-o", "%n"), null, environment).lines()
                .map(String::strip).filter(l -> !l.isEmpty()).distinct().count();
    }

    /** Cancels one task of a job array. */
    public void cancel(long jobId, int task) {
        Command.run("cancelling task " + task + " of job " + jobId, List.of("scancel", jobId + "_" + task), null, environment);
    }

    /** Cancels a whole job array. */
    public void cancel(long jobId) {
        Command.run("cancelling job " + jobId, List.of("scancel", Long.toString(jobId)), null, environment);
    }

    /**
     * Waits until every task of {@code jobId} has finished, polling every {@code poll}, and returns
     * them; fails after {@code limit}.
     */
    public List<Task> awaitFinished(long jobId, Duration poll, Duration limit) throws InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        while (true) {
            Optional<List<Task>> tasks = tasks(jobId);
            if (tasks.isEmpty())
                throw new IllegalStateException("Slurm no longer knows job " + jobId + " (finished and purged, with no accounting)");
            if (tasks.get().stream().allMatch(Task::finished)) return tasks.get();
            if (System.nanoTime() > deadline)
                throw new IllegalStateException("job " + jobId + " has not finished after " + limit + ": " + tasks.get());
            Thread.sleep(poll.toMillis());
        }
    }
}
