package io.gamerlab.experiment;

import io.gamerlab.measure.RunTable;
import io.gamerlab.sched.SchedulerBuild;
import io.gamerlab.sched.Variant;
import io.gamerlab.util.Command;
import io.gamerlab.workload.GameLoopWorkload;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import tech.tablesaw.api.Table;

/**
 * Runs in a QEMU guest that boots a Debian kernel built with sched_ext. The guest's root file
 * system is {@link GuestImage}; a second, per-run disk carries the job (spec, BPF object, class
 * path) in and the results out. Without KVM, QEMU emulates the CPU (TCG): the guest proves that
 * the scheduler works, and its timings are recorded as {@code tcg-emulated}, never as real.
 */
public final class GuestBackend implements Backend {

    /** How QEMU runs the guest's CPUs; each names the backend and clock of the rows it produces. */
    public enum Accelerator {
        // Single-threaded TCG: multi-threaded TCG oopsed this guest kernel in 3 of 5 trials.
        TCG("guest-tcg", "tcg-emulated", List.of("-accel", "tcg,thread=single", "-cpu", "max")),
        KVM("guest-kvm", "kvm-virtualized", List.of("-accel", "kvm", "-cpu", "host"));

        final String backend;
        final String clock;
        final List<String> qemuArgs;

        Accelerator(String backend, String clock, List<String> qemuArgs) {
            this.backend = backend;
            this.clock = clock;
            this.qemuArgs = qemuArgs;
        }

        /** The clock of the rows a guest run this way produces: what its timings are worth. */
        public String clock() {
            return clock;
        }

        /** TCG unless GAMERLAB_GUEST_ACCEL=kvm: /dev/kvm can exist and still fail to run a guest. */
        static Accelerator fromEnvironment() {
            String configured = System.getenv().getOrDefault("GAMERLAB_GUEST_ACCEL", "tcg");
            return switch (configured) {
                case "tcg" -> TCG;
                case "kvm" -> KVM;
                default -> throw new IllegalArgumentException("GAMERLAB_GUEST_ACCEL must be tcg or kvm, was '" + configured + "'");
            };
        }
    }
    /**
     * Boot, JVM start and teardown under TCG, on top of the workload's own duration: a budget of
     * QEMU's CPU time ({@link GuestWatchdog}), which on an idle host is about its wall time.
     */
    private static final Duration OVERHEAD_ALLOWANCE = Duration.ofSeconds(120);
    private static final int CONSOLE_TAIL_LINES = 40;
    /** Loading, holding and unloading one variant under TCG: about 6 s seen, with room. */
    private static final Duration PER_VARIANT_CHECK = Duration.ofSeconds(15);

    private final SchedulerBuild build;
    private final GuestImage image;
    private final Path kernel;
    private final Accelerator accelerator;
    private final int cpus;
    private final int memoryMegabytes;
    private final InputInjector.Settings input;  // null: no input device, no QMP

    public GuestBackend(SchedulerBuild build, GuestImage image, Path kernel, Accelerator accelerator,
                        int cpus, int memoryMegabytes) {
        this(build, image, kernel, accelerator, cpus, memoryMegabytes, null);
    }

    private GuestBackend(SchedulerBuild build, GuestImage image, Path kernel, Accelerator accelerator,
                         int cpus, int memoryMegabytes, InputInjector.Settings input) {
        if (!Files.isRegularFile(kernel))
            throw new IllegalStateException("no guest kernel at " + kernel + ": run scripts/setup.sh, which fetches a Debian kernel with sched_ext");
        this.build = build;
        this.image = image;
        this.kernel = kernel;
        this.accelerator = accelerator;
        this.cpus = cpus;
        this.memoryMegabytes = memoryMegabytes;
        this.input = input;
    }

    /**
     * The guest as scripts/setup.sh prepared it: its kernel, libbpf and this JVM's own JDK, and,
     * when the kernel's module tree is there, the virtio input and evdev modules with a virtio
     * mouse that the host drives at 1 kHz ({@link InputInjector}).
     */
    public static GuestBackend standard() {
        Path cache = cacheDir();
        GuestImage image = new GuestImage(Path.of(System.getProperty("java.home")),
                cache.resolve("tools/usr/lib/x86_64-linux-gnu/libbpf.so.1"), Path.of("/bin/busybox"), cache.resolve("guest"));
        Path modules = moduleTree(cache.resolve("kernel"));
        GuestBackend backend = new GuestBackend(SchedulerBuild.ofCheckout(), image, cache.resolve("kernel/vmlinuz"),
                Accelerator.fromEnvironment(), 2, 2048);
        if (modules == null) return backend;
        try {
            return backend.withInput(KernelModules.resolve(modules, KernelModules.VIRTIO_INPUT), InputInjector.Settings.standard());
        } catch (IOException e) {
            throw new UncheckedIOException("reading the guest kernel's modules in " + modules, e);
        }
    }

    /** This guest with {@code modules} loaded at boot, a virtio mouse, and the host injecting motion as {@code settings} say. */
    public GuestBackend withInput(KernelModules modules, InputInjector.Settings settings) {
        return new GuestBackend(build, image.withModules(modules), kernel, accelerator, cpus, memoryMegabytes, settings);
    }

    /** This guest with no input device and no injector (the image keeps whatever modules it has). */
    public GuestBackend withoutInput() {
        return new GuestBackend(build, image, kernel, accelerator, cpus, memoryMegabytes, null);
    }

    /** The module tree of the kernel scripts/setup.sh unpacked ({@code <kernel>/release} names it); null if absent. */
    static Path moduleTree(Path kernelDir) {
        Path release = kernelDir.resolve("release");
        if (!Files.isRegularFile(release)) return null;
        try {
            String name = Files.readString(release).strip();
            for (String base : List.of("root/usr/lib/modules", "root/lib/modules")) {
                Path tree = kernelDir.resolve(base).resolve(name);
                if (Files.isDirectory(tree.resolve("kernel"))) return tree;
            }
            return null;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Path cacheDir() {
        String configured = System.getenv("GAMERLAB_CACHE");
        return configured != null ? Path.of(configured) : Path.of(System.getProperty("user.home"), ".cache/gamerlab");
    }

    @Override
    public String name() {
        return accelerator.backend;
    }

    @Override
    public String clock() {
        return accelerator.clock;
    }

    @Override
    public RunResult run(RunSpec spec) throws InterruptedException {
        GuestJob job = runJob(spec.runId(), spec.duration().plus(OVERHEAD_ALLOWANCE), injectionWindow(spec.duration()), dir -> {
            try (Writer out = Files.newBufferedWriter(dir.resolve("spec.properties"))) {
                spec.write(out);
            }
            Files.copy(build.object(spec.variant()), dir.resolve("scheduler.bpf.o"));
        }, List.of(GuestMain.RUN, "/job/spec.properties", "/job/scheduler.bpf.o"));
        try {
            RunResult result = RunResultFiles.read(job.results());
            if (job.injected() != null) addInjectorRows(result.table(), job.injected());
            return result;
        } catch (IOException e) {
            throw new UncheckedIOException("reading guest run " + spec.runId(), e);
        }
    }

    /**
     * Loads every variant in turn in one boot ({@link MatrixCheck}): each must pass the guest
     * kernel's verifier, attach, and detach cleanly. Returns one row set per variant.
     */
    public Table checkMatrix(List<Variant> variants, String gitCommit) throws InterruptedException {
        String id = "matrix-" + UUID.randomUUID();
        GuestJob job = runJob(id, OVERHEAD_ALLOWANCE.plus(PER_VARIANT_CHECK.multipliedBy(variants.size())), Duration.ZERO, dir -> {
            Files.createDirectories(dir.resolve("objects"));
            List<String> lines = new ArrayList<>();
            for (int i = 0; i < variants.size(); i++) {
                Files.copy(build.object(variants.get(i)), dir.resolve("objects/" + i + ".bpf.o"));
                lines.add(i + "\t" + variants.get(i).label());
            }
            Files.write(dir.resolve("variants.tsv"), lines);
        }, List.of(GuestMain.MATRIX, "/job/variants.tsv", "/job/objects", gitCommit));
        try {
            return DatasetFile.read(job.results().resolve(RunResultFiles.TABLE));
        } catch (IOException e) {
            throw new UncheckedIOException("reading the matrix check's table back from the guest", e);
        }
    }

    private interface JobFiles {
        void writeInto(Path jobDir) throws IOException;
    }

    private record GuestJob(Path results, InputInjector.Stats injected) { }

    /**
     * Boots the guest with a job disk holding what {@code files} writes, our class path, and a
     * command running GuestMain with {@code mainArgs} (then the results directory, backend and
     * clock); returns the results the guest left, or fails quoting the console.
     */
    private GuestJob runJob(String id, Duration budget, Duration injection, JobFiles files, List<String> mainArgs)
            throws InterruptedException {
        Path work = build.root().resolve("build/guest").resolve(id);
        try {
            Path rootfs = image.image();
            Path jobImage = prepareJob(work, files, mainArgs);
            Path console = work.resolve("console.log");
            InputInjector.Stats injected = boot(rootfs, jobImage, console, budget, injection);
            Path results = work.resolve("results");
            Command.run("reading results back from the guest disk",
                    List.of("debugfs", "-R", "rdump /results " + work, jobImage.toString()));
            Files.delete(jobImage);
            if (Files.isRegularFile(results.resolve(GuestMain.ERROR)))
                throw new GuestFailedException("the run failed inside the guest:\n"
                        + Files.readString(results.resolve(GuestMain.ERROR)) + "\n" + tail(console));
            if (!Files.isRegularFile(results.resolve(RunResultFiles.TABLE)))
                throw new GuestFailedException("the guest stopped without a result; console " + console + " ends:\n" + tail(console));
            return new GuestJob(results, injected);
        } catch (IOException e) {
            throw new UncheckedIOException("guest job " + id + " in " + work, e);
        }
    }

    /** The per-run disk: the job's files, our classes and their dependencies, and the command. */
    private Path prepareJob(Path work, JobFiles files, List<String> mainArgs) throws IOException {
        Path job = work.resolve("job");
        GuestImage.deleteTree(work);
        Files.createDirectories(job.resolve("cp"));
        files.writeInto(job);
        for (Path entry : classPath()) {
            Path target = job.resolve("cp").resolve(entry.getFileName());
            if (Files.isDirectory(entry)) Command.run("copying classes for the guest", List.of("cp", "-a", entry.toString(), target.toString()));
            else Files.copy(entry, target);
        }
        Files.writeString(job.resolve("run.sh"), String.join(" ",
                "exec /jdk/bin/java --enable-native-access=ALL-UNNAMED --sun-misc-unsafe-memory-access=allow -Djava.awt.headless=true",
                // C1 only and a serial collector: less emulated work before the run starts
                "-XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Xmx512m",
                "-Dgamerlab.libbpf=" + GuestImage.LIBBPF_IN_GUEST,
                "-cp '/job/cp/*:/job/cp/classes'", GuestMain.class.getName(), String.join(" ", mainArgs),
                "/job/results", accelerator.backend, accelerator.clock) + "\n");
        Path jobImage = work.resolve("job.ext4");
        long megabytes = 64 + sizeMegabytes(job);
        Command.run("building the job disk", List.of("mke2fs", "-q", "-t", "ext4", "-L", JOB_LABEL, "-d", job.toString(),
                "-F", jobImage.toString(), megabytes + "M"));
        GuestImage.deleteTree(job);
        return jobImage;
    }

    /** Boots and waits for the guest to power off; returns what the input injector did, or null without one. */
    private InputInjector.Stats boot(Path rootfs, Path jobImage, Path console, Duration timeout, Duration injection)
            throws IOException, InterruptedException {
        List<String> argv = new ArrayList<>(List.of("qemu-system-x86_64"));
        argv.addAll(accelerator.qemuArgs);
        argv.addAll(List.of("-smp", Integer.toString(cpus), "-m", Integer.toString(memoryMegabytes),
                "-kernel", kernel.toString(),
                "-append", "console=ttyS0 root=PARTUUID=" + GuestImage.ROOT_PARTUUID
                        + " rootwait=30 ro rootfstype=ext4 init=/init panic=-1 quiet loglevel=4",
                // One NVMe controller, two namespaces. Their names (nvme0n1, nvme0n2) follow an
                // asynchronous scan and swap under host load, so neither is named: the root is
                // found by its partition's PARTUUID and the job disk, by init, by its label.
                "-device", "nvme,id=nvme0,serial=gamerlab",
                "-drive", "file=" + rootfs + ",if=none,id=rootfs,format=raw,snapshot=on",
                "-device", "nvme-ns,drive=rootfs,bus=nvme0,nsid=1",
                "-drive", "file=" + jobImage + ",if=none,id=job,format=raw",
                "-device", "nvme-ns,drive=job,bus=nvme0,nsid=2",
                "-serial", "file:" + console, "-display", "none", "-monitor", "none", "-nic", "none", "-no-reboot"));
        Path qmp = null;
        if (input != null) {
            qmp = qmpSocket(console.getParent());
            // A relative pointer, as a gaming mouse is, and a keyboard; QMP on a socket of its own for the injector.
            argv.addAll(List.of("-device", "virtio-mouse-pci,id=gamerlab-mouse", "-device", "virtio-keyboard-pci,id=" + InputInjector.KEYBOARD,
                    "-qmp", "unix:" + qmp + ",server=on,wait=off"));
        }
        Process qemu = new ProcessBuilder(argv).redirectErrorStream(true)
                .redirectOutput(console.resolveSibling("qemu.log").toFile()).start();
        InputInjector injector = input == null || injection.isZero() ? null
                : InputInjector.start(qmp, input, injection, new ConsoleMarker(console, GameLoopWorkload.READING_INPUT)::seen,
                        new ConsoleMarker(console, GameLoopWorkload.STOPPED_READING)::seen, qemu::isAlive);
        InputInjector.Stats injected = null;
        try {
            Optional<String> stuck = new GuestWatchdog(timeout, console).await(qemu);
            if (stuck.isPresent()) {
                qemu.destroyForcibly().waitFor();
                throw new GuestFailedException(stuck.get() + ", and was killed; console " + console + " ends:\n" + tail(console));
            }
        } finally {
            if (injector != null) injected = injector.stop();
            if (qmp != null) {
                Files.deleteIfExists(qmp);
                if (!qmp.getParent().equals(console.getParent())) Files.deleteIfExists(qmp.getParent());
            }
        }
        if (qemu.exitValue() != 0)
            throw new GuestFailedException("QEMU exited with " + qemu.exitValue() + ": "
                    + Files.readString(console.resolveSibling("qemu.log")) + "\nconsole ends:\n" + tail(console));
        return injected;
    }

    /**
     * How long the host injects input in a workload window of {@code duration}: the first half. The
     * guest's console reaches the host late when the guest is busy (hundreds of milliseconds seen
     * under CPU hogs), so the host learns late that the reader started and later still that it
     * stopped; stopping on its own clock halfway through, it never sends to a reader that has
     * stopped unless the start was seen more than half a window late. Then every event the host
     * sent was sent while the guest read.
     */
    static Duration injectionWindow(Duration duration) {
        return duration.dividedBy(2);
    }

    /** The job disk's ext4 label, by which guest-init.sh finds it. */
    static final String JOB_LABEL = "gamerlab-job";

    /** {@code qmp.sock} in the run's directory, or in a short temporary one if that path is too long for a socket. */
    private static Path qmpSocket(Path work) throws IOException {
        Path socket = work.resolve("qmp.sock").toAbsolutePath();
        // sun_path holds 108 bytes with its terminating NUL.
        if (socket.toString().getBytes(StandardCharsets.UTF_8).length < 108) return socket;
        return Files.createTempDirectory("gamerlab-qmp-").resolve("qmp.sock");
    }

    /**
     * The injector's account, as rows of the run's table with the run's provenance: source
     * {@code injector}, so they never mix with what the guest measured.
     */
    static void addInjectorRows(Table table, InputInjector.Stats s) {
        if (table.rowCount() == 0) return;
        String note = s.lastError() == null ? "" : s.lastError();
        for (PacedCommands.Account kind : List.of(s.motion(), s.keys())) {
            // Counted in commands: a motion command carries eventsPerCommand events, a key command one press.
            String name = kind.name();
            appendRow(table, name + "_asked", "commands", kind.asked(), "the rate asked times the time sending");
            appendRow(table, name + "_sent", "commands", kind.sent(), "");
            appendRow(table, name + "_held_back", "commands", kind.heldBack(), "not sent: QEMU had not answered the commands in flight");
            appendRow(table, name + "_late", "commands", kind.late(), "not sent: the injector woke too late (a busy host)");
            appendRow(table, name + "_acknowledged", "commands", kind.acknowledged(), note);
            appendRow(table, name + "_reply_p50", "us", kind.replyP50Nanos() / 1e3, "from sending a command to QEMU's reply");
            appendRow(table, name + "_reply_p99", "us", kind.replyP99Nanos() / 1e3, "");
        }
        appendRow(table, "input_events_sent", "count", s.eventsSent(), "");
        appendRow(table, "input_events_acknowledged", "count", s.eventsAcknowledged(), note);
        appendRow(table, "input_commands_failed", "count", s.commandsFailed(), note);
        appendRow(table, "input_injection_seconds", "s", s.sending().toNanos() / 1e9, "");
        appendRow(table, "input_injection_rate", "events/s", s.eventsPerSecond(),
                "acknowledged events in each second: " + s.perSecond().stream().map(String::valueOf).collect(Collectors.joining(" ")));
        // The slowest whole second, the first and the last (partial) seconds left out: how steady the rate was.
        List<Long> whole = s.perSecond().size() > 2 ? s.perSecond().subList(1, s.perSecond().size() - 1) : List.of();
        if (!whole.isEmpty())
            appendRow(table, "input_injection_rate_min_1s", "events/s", whole.stream().mapToLong(Long::longValue).min().orElseThrow(), "");
    }

    private static void appendRow(Table table, String metric, String unit, double value, String note) {
        RunTable.appendLike(table, "injector", metric, unit, value, note);
    }

    /** Whether a line has appeared in the guest's console file; read again on each call until it has. */
    private static final class ConsoleMarker {
        private final Path console;
        private final String marker;
        private boolean seen;

        ConsoleMarker(Path console, String marker) {
            this.console = console;
            this.marker = marker;
        }

        synchronized boolean seen() {
            if (seen) return true;
            try {
                seen = Files.isRegularFile(console)
                        && Files.readString(console, StandardCharsets.ISO_8859_1).contains(marker);
            } catch (IOException e) {
                return false;
            }
            return seen;
        }
    }

    /** Our classes (a jar or a directory) and the runtime jars Maven copied to lib/target/jars. */
    private List<Path> classPath() throws IOException {
        List<Path> entries = new ArrayList<>();
        try {
            Path own = Path.of(GuestBackend.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            entries.add(own);
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
        Path jars = build.root().resolve("lib/target/jars");
        if (!Files.isDirectory(jars))
            throw new IllegalStateException("no dependency jars in " + jars + ": build the library with `mvn -q package -DskipTests`");
        try (Stream<Path> list = Files.list(jars)) {
            list.filter(p -> p.toString().endsWith(".jar")).sorted().forEach(entries::add);
        }
        return entries;
    }

    private static long sizeMegabytes(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum() / (1 << 20);
        }
    }

    static String tail(Path log) throws IOException {
        if (!Files.isRegularFile(log)) return "(no console output)";
        List<String> lines = Files.readAllLines(log, StandardCharsets.ISO_8859_1);
        return String.join("\n", lines.subList(Math.max(0, lines.size() - CONSOLE_TAIL_LINES), lines.size()));
    }
}
