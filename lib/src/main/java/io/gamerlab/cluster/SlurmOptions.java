package io.gamerlab.cluster;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * What a cluster may need said about a job array, passed to {@code sbatch} as given: each one
 * empty leaves the cluster's default. Values are checked for their form here, so a typo is named
 * before anything is written; whether the cluster has that partition, account or feature is
 * Slurm's to say, and its refusal is shown as it says it.
 *
 * @param partition   {@code --partition}
 * @param timeLimit   {@code --time}, per task: minutes, MM:SS, HH:MM:SS, D-HH, D-HH:MM or D-HH:MM:SS
 * @param cpusPerTask {@code --cpus-per-task}
 * @param constraint  {@code --constraint}: node features, e.g. {@code sched_ext} for nodes whose
 *                    kernel runs the scheduler itself
 * @param account     {@code --account}
 */
public record SlurmOptions(Optional<String> partition, Optional<String> timeLimit, Optional<Integer> cpusPerTask,
                           Optional<String> constraint, Optional<String> account) {

    private static final Pattern TIME = Pattern.compile("\\d+|\\d+:\\d{1,2}|\\d+:\\d{1,2}:\\d{1,2}|\\d+-\\d{1,2}(:\\d{1,2}){0,2}|UNLIMITED|INFINITE");
    /** Names as Slurm prints them; constraints add its operators (&amp; | [ ] * ( ) !). */
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_.+-]{1,128}");
    private static final Pattern CONSTRAINT = Pattern.compile("[A-Za-z0-9_.+:&|\\[\\]*()!,-]{1,512}");

    public static final SlurmOptions NONE = new SlurmOptions(Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
            Optional.empty());

    public SlurmOptions {
        check("partition", partition, NAME, "letters, digits and _.+-, e.g. compute");
        check("time limit", timeLimit, TIME, "minutes, MM:SS, HH:MM:SS, D-HH, D-HH:MM or D-HH:MM:SS, e.g. 2:00:00");
        check("constraint", constraint, CONSTRAINT, "node features joined by Slurm's operators, e.g. sched_ext or sched_ext&avx2");
        check("account", account, NAME, "letters, digits and _.+-");
        cpusPerTask.ifPresent(n -> {
            if (n < 1 || n > 65_536)
                throw new IllegalArgumentException("cpus per task = " + n + ": out of range; allowed: a whole number from 1 to 65536");
        });
    }

    private static void check(String field, Optional<String> value, Pattern allowed, String what) {
        value.ifPresent(v -> {
            if (!allowed.matcher(v).matches())
                throw new IllegalArgumentException(field + " = \"" + v + "\": not a Slurm " + field + "; allowed: " + what);
        });
    }

    public SlurmOptions withPartition(String value) {
        return new SlurmOptions(Optional.ofNullable(value), timeLimit, cpusPerTask, constraint, account);
    }

    public SlurmOptions withTimeLimit(String value) {
        return new SlurmOptions(partition, Optional.ofNullable(value), cpusPerTask, constraint, account);
    }

    public SlurmOptions withCpusPerTask(Integer value) {
        return new SlurmOptions(partition, timeLimit, Optional.ofNullable(value), constraint, account);
    }

    public SlurmOptions withConstraint(String value) {
        return new SlurmOptions(partition, timeLimit, cpusPerTask, Optional.ofNullable(value), account);
    }

    public SlurmOptions withAccount(String value) {
        return new SlurmOptions(partition, timeLimit, cpusPerTask, constraint, Optional.ofNullable(value));
    }

    /** The options as sbatch arguments. */
    List<String> sbatchArguments() {
        List<String> args = new ArrayList<>();
        partition.ifPresent(v -> args.add("--partition=" + v));
        timeLimit.ifPresent(v -> args.add("--time=" + v));
        cpusPerTask.ifPresent(v -> args.add("--cpus-per-task=" + v));
        constraint.ifPresent(v -> args.add("--constraint=" + v));
        account.ifPresent(v -> args.add("--account=" + v));
        return args;
    }
}
