package io.gamerlab.measure;

import io.gamerlab.bpf.BpfObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * Where, how and as what a result was produced: every row of every dataset carries it (the
 * {@link Column}s before {@code source}), because a number from an emulated guest and one from real
 * hardware, or from two builds, must never be mistaken for each other.
 *
 * @param cell      what was asked for: which cell of which experiment
 * @param machine   what ran it
 * @param node      which host ran it, and which Slurm job array task
 * @param gitCommit the checkout's commit ({@code -dirty} with uncommitted changes)
 * @param startedAt when the cell started
 */
public record Provenance(Cell cell, Machine machine, Node node, String gitCommit, Instant startedAt) {

    /**
     * The host whose process ran the cell, by the name its cluster gives it, and the Slurm job
     * that ran it there, if one did. A guest's cell carries its host's node, handed in with the run
     * (the guest is no node of any cluster).
     *
     * @param name             Slurm's name of the node ({@code SLURMD_NODENAME}), else the host name
     * @param slurmJobId       the job array's id ({@code SLURM_ARRAY_JOB_ID}), or the job's outside an array
     * @param slurmArrayTaskId the task's index in the job array ({@code SLURM_ARRAY_TASK_ID})
     */
    public record Node(String name, OptionalLong slurmJobId, OptionalInt slurmArrayTaskId) {

        /** This process's node, from the environment Slurm gives a job's processes. */
        public static Node here() {
            return from(System.getenv());
        }

        static Node from(Map<String, String> env) {
            String name = env.getOrDefault("SLURMD_NODENAME", "");
            if (name.isEmpty()) name = readHostName();
            String job = env.getOrDefault("SLURM_ARRAY_JOB_ID", env.getOrDefault("SLURM_JOB_ID", ""));
            String task = env.getOrDefault("SLURM_ARRAY_TASK_ID", "");
            return new Node(name, job.matches("[0-9]{1,18}") ? OptionalLong.of(Long.parseLong(job)) : OptionalLong.empty(),
                    task.matches("[0-9]{1,9}") ? OptionalInt.of(Integer.parseInt(task)) : OptionalInt.empty());
        }

        private static String readHostName() {
            try {
                return Files.readString(Path.of("/proc/sys/kernel/hostname")).strip();
            } catch (IOException e) {
                return "unknown";
            }
        }
    }

    /**
     * The cell's coordinates in its experiment.
     *
     * @param experiment     the experiment's name (its dataset directory)
     * @param id             the cell's id, unique in the experiment (its file name)
     * @param repetition     which repetition of its condition, from 1
     * @param seed           the seed the experiment's order was drawn from, if it has one
     * @param measured       whether counters and event streaming were on (off only in a control cell)
     * @param variant        the scheduler variant's label, or {@code kernel-default}
     * @param bpfSha256      SHA-256 of the BPF object loaded, empty when none was
     * @param workload       the workload's name
     * @param workloadParams its parameters as text ({@code key=value,...})
     * @param tunables       the scheduler's tunables as text ({@code name=value,...})
     */
    public record Cell(String experiment, String id, int repetition, OptionalLong seed, boolean measured, String variant,
                       String bpfSha256, String workload, String workloadParams, String tunables) {
        public Cell {
            if (repetition < 1) throw new IllegalArgumentException("repetitions count from 1, was " + repetition);
        }
    }

    /**
     * The machine a cell ran on.
     *
     * @param backend what ran the scheduler: {@code host}, {@code guest-tcg}, {@code guest-kvm}
     * @param clock   what its timings are worth: {@code host} (real hardware), {@code tcg-emulated}
     *                (a QEMU guest without KVM: proves function, not speed), {@code kvm-virtualized}
     * @param cpuCount CPUs this JVM saw; 0 where unknown (a guest that failed before it could say)
     */
    public record Machine(String backend, String clock, String kernel, String cpuModel, int cpuCount, String jdk, String libbpf) {

        /** This machine, as seen from this JVM: kernel release, CPU model and count, JDK, libbpf. */
        public static Machine here(String backend, String clock) {
            return new Machine(backend, clock, readKernelRelease(), readCpuModel(), Runtime.getRuntime().availableProcessors(),
                    System.getProperty("java.vendor") + " " + Runtime.version(), readLibbpf());
        }

        /** A machine that could not report itself (a guest that died): only the backend and clock are known. */
        public static Machine unknown(String backend, String clock) {
            return new Machine(backend, clock, "unknown", "unknown", 0, "unknown", "unknown");
        }

        private static String readLibbpf() {
            try {
                return BpfObject.libbpfVersion();
            } catch (RuntimeException | LinkageError unavailable) {
                return "unavailable: " + unavailable.getMessage();
            }
        }
    }

    /** Provenance for a cell starting now on {@code machine}, in this process's node. */
    public static Provenance startingNow(Cell cell, Machine machine, String gitCommit) {
        return startingNow(cell, machine, Node.here(), gitCommit);
    }

    /** Provenance for a cell starting now on {@code machine}, driven from {@code node}. */
    public static Provenance startingNow(Cell cell, Machine machine, Node node, String gitCommit) {
        return new Provenance(cell, machine, node, gitCommit, Instant.now());
    }

    /** The provenance columns' cells, in schema order (the {@link Column}s before {@code source}). */
    List<Object> values() {
        return List.of(Column.VERSION, cell.experiment(), cell.id(), cell.repetition(),
                cell.seed().isPresent() ? (Object) cell.seed().getAsLong() : "", cell.measured() ? "on" : "off",
                cell.variant(), cell.bpfSha256(), cell.workload(), cell.workloadParams(), cell.tunables(),
                machine.backend(), machine.clock(), machine.kernel(), machine.cpuModel(),
                machine.cpuCount() > 0 ? (Object) machine.cpuCount() : "",
                gitCommit, machine.jdk(), machine.libbpf(), node.name(),
                node.slurmJobId().isPresent() ? (Object) node.slurmJobId().getAsLong() : "",
                node.slurmArrayTaskId().isPresent() ? (Object) node.slurmArrayTaskId().getAsInt() : "", startedAt.toString());
    }

    static String readKernelRelease() {
        try {
            return Files.readString(Path.of("/proc/sys/kernel/osrelease")).trim();
        } catch (IOException e) {
            return System.getProperty("os.version");
        }
    }

    static String readCpuModel() {
        try (var lines = Files.lines(Path.of("/proc/cpuinfo"))) {
            return lines.filter(l -> l.startsWith("model name")).findFirst()
                    .map(l -> l.substring(l.indexOf(':') + 1).trim()).orElse("unknown");
        } catch (IOException e) {
            return "unknown";
        }
    }
}
