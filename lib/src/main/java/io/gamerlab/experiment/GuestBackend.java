package io.gamerlab.experiment;

import io.gamerlab.measure.RunTable;
import io.gamerlab.sched.SchedulerBuild;
import io.gamerlab.sched.Variant;
import io.gamerlab.util.Command;
import io.gamerlab.util.Executables;
import io.gamerlab.util.OwnedProcess;
import io.gamerlab.workload.HighRateInputWorkload;
import io.gamerlab.workload.InputEndMarker;
import io.gamerlab.workload.Settings;
import io.gamerlab.workload.WorkloadSpec;
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
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Function;
import java.util.function.IntFunction;
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
    private static final String KERNEL_PANIC = "Kernel panic - not syncing";
    /** Loading, holding and unloading one variant under TCG: about 6 s seen, with room. */
    private static final Duration PER_VARIANT_CHECK = Duration.ofSeconds(15);
    /** Loading, waiting for stress-ng's stressors to be reaped, unloading: beyond the stress itself. */
    private static final Duration PER_SUBJECT_STRESS_OVERHEAD = Duration.ofSeconds(45);
    /** A run's own overhead beside its duration: loading and unloading its variant, building its workload. */
    private static final Duration PER_RUN = Duration.ofSeconds(30);
    /** The job disk's directory of run specs and objects. */
    private static final String RUNS = "runs";

    private final SchedulerBuild build;
    private final GuestImage image;
    private final Path kernel;
    private final Accelerator accelerator;
    private final int cpus;
    private final int memoryMegabytes;
    private final InputInjector.Settings input;  // null: no input device, no QMP
    /** The object a run of a variant loads: the build's, unless a test swaps one in ({@link #withObject}). */
    private final Function<Variant, Path> objects;

    public GuestBackend(SchedulerBuild build, GuestImage image, Path kernel, Accelerator accelerator,
                        int cpus, int memoryMegabytes) {
        this(build, image, kernel, accelerator, cpus, memoryMegabytes, null, build::object);
    }

    private GuestBackend(SchedulerBuild build, GuestImage image, Path kernel, Accelerator accelerator,
                         int cpus, int memoryMegabytes, InputInjector.Settings input, Function<Variant, Path> objects) {
        if (!Files.isRegularFile(kernel))
            throw new IllegalStateException("no guest kernel at " + kernel + ": run scripts/setup.sh, which fetches a Debian kernel with sched_ext");
        Executables.require(QEMU, "boots the guest kernel", "install Debian's qemu-system-x86 (scripts/setup.sh does),"
                + " or run on a host whose kernel has sched_ext (the host backend needs no QEMU)");
        for (String tool : List.of("mke2fs", "debugfs"))
            Executables.require(tool, "builds the guest's disks and reads its results back", "install e2fsprogs (scripts/setup.sh does)");
        this.build = build;
        this.image = image;
        this.kernel = kernel;
        this.accelerator = accelerator;
        this.cpus = cpus;
        this.memoryMegabytes = memoryMegabytes;
        this.input = input;
        this.objects = objects;
    }

    /**
     * The guest as scripts/setup.sh prepared it: its kernel, libbpf and this JVM's own JDK, and,
     * when the kernel's module tree is there, the virtio input and evdev modules with a virtio
     * mouse that the host drives at 1 kHz ({@link InputInjector}).
     */
    public static GuestBackend standard() {
        Path cache = cacheDir();
        GuestImage image = new GuestImage(Path.of(System.getProperty("java.home")),
                cache.resolve("tools/usr/lib/x86_64-linux-gnu/libbpf.so.1"), Path.of("/bin/busybox"), cache.resolve("guest"))
                .withPrograms(List.of(Path.of(StressCheck.STRESS_NG), scxSimple(cache)));
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

    /** The kernel's own example scheduler, built by scripts/setup.sh from the guest kernel's source. */
    public static Path scxSimple(Path cache) {
        return cache.resolve("scx/build/bin/scx_simple");
    }

    /** This guest with {@code modules} loaded at boot, a virtio mouse, and the host injecting motion as {@code settings} say. */
    public GuestBackend withInput(KernelModules modules, InputInjector.Settings settings) {
        return new GuestBackend(build, image.withModules(modules), kernel, accelerator, cpus, memoryMegabytes, settings, objects);
    }

    /** This guest with no input device and no injector (the image keeps whatever modules it has). */
    public GuestBackend withoutInput() {
        return new GuestBackend(build, image, kernel, accelerator, cpus, memoryMegabytes, null, objects);
    }

    /** This guest with {@code count} CPUs (2 by default; under TCG each more slows every one). */
    public GuestBackend withCpus(int count) {
        if (count < 1) throw new IllegalArgumentException("a guest needs at least one CPU, not " + count);
        return new GuestBackend(build, image, kernel, accelerator, count, memoryMegabytes, input, objects);
    }

    /**
     * This guest with runs of {@code variant} loading {@code object} instead of the variant's
     * build: how a test gives a sweep a variant the verifier refuses, beside real ones.
     */
    GuestBackend withObject(Variant variant, Path object) {
        Function<Variant, Path> before = objects;
        return new GuestBackend(build, image, kernel, accelerator, cpus, memoryMegabytes, input, v -> v.equals(variant) ? object : before.apply(v));
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

    /** A shard of cells per boot ({@link GuestShards}). */
    @Override
    public CellRunner cellRunner(String gitCommit) {
        return new GuestShards(this, gitCommit);
    }

    @Override
    public RunResult run(RunSpec spec) throws InterruptedException {
        return runAll(List.of(spec)).getFirst();
    }

    /**
     * Runs {@code specs} one after another in one boot (a boot costs half a minute under TCG):
     * each is the very same {@link Run#execute} a boot of its own would make, loading and
     * unloading its own variant (nothing under kernel-default). The host injects input into each
     * run whose workload reads it, for as long as it reads ({@link InputWindows}), at the rates of
     * its {@code input} workload if it has one and the backend's settings otherwise; the
     * injector's account joins that run's table. Fails naming the first run that failed.
     */
    @Override
    public List<RunResult> runAll(List<RunSpec> specs) throws InterruptedException {
        Boot boot = runEach(specs);
        List<RunResult> results = new ArrayList<>();
        for (int i = 0; i < boot.finished().size(); i++) {
            Attempt a = boot.finished().get(i);
            if (a.failed())
                throw new GuestFailedException("run " + i + " (" + specs.get(i).runId() + ") failed inside the guest: " + a.error());
            results.add(a.result());
        }
        if (boot.stoppedShort() != null) throw new GuestFailedException(boot.stoppedShort());
        return results;
    }

    /**
     * One run of a boot as the guest left it: its result, or why it failed (the verifier's or the
     * kernel's words), and how long it took in the guest, from reading its spec to its files being
     * on disk, and in which phases ({@link CellPhases}).
     */
    public record Attempt(RunResult result, String error, Duration inGuest, Map<String, Duration> phases) {
        public boolean failed() {
            return error != null;
        }
    }

    /**
     * What a boot of runs came to.
     *
     * @param finished    the runs the guest finished, in order: the first of the specs, every one
     *                    unless the guest stopped short
     * @param started     how many runs the guest started (the console says): one more than
     *                    finished when it died in a run
     * @param stoppedShort why the guest stopped before finishing every run (it died, hung, or
     *                    its JVM failed outside any run), or null
     * @param wall        the boot's time on this host: the job disk, QEMU from start to power-off,
     *                    reading the results back
     */
    public record Boot(List<Attempt> finished, int started, String stoppedShort, Duration wall) { }

    /**
     * Runs {@code specs} in one boot as {@link #runAll} does, but a run that fails ends only
     * itself, and a guest that dies leaves the runs it finished: the guest puts each finished
     * run's files on disk before starting the next, and the host reads them back whatever became
     * of the guest.
     */
    public Boot runEach(List<RunSpec> specs) throws InterruptedException {
        if (specs.isEmpty()) throw new IllegalArgumentException("no runs given");
        long start = System.nanoTime();
        Duration budget = OVERHEAD_ALLOWANCE;
        for (RunSpec spec : specs) {
            budget = budget.plus(spec.warmup()).plus(spec.duration()).plus(PER_RUN);
            if (input != null) budget = budget.plus(InputEndMarker.wait(spec.duration()));  // a reader awaiting the end marker
        }
        String id = specs.size() == 1 ? specs.getFirst().runId() : "runs-" + UUID.randomUUID();
        // Before the boot, so that rates the injector refuses fail here.
        List<InputWindows.Plan> injections = input == null ? List.of()
                : specs.stream().map(s -> new InputWindows.Plan(injection(s.workload(), input), injectionTimings(s))).toList();
        return runJob(id, budget, run -> run < injections.size() ? injections.get(run) : null, dir -> {
            Path runs = Files.createDirectories(dir.resolve(RUNS));
            for (int i = 0; i < specs.size(); i++) {
                RunSpec spec = specs.get(i);
                try (Writer out = Files.newBufferedWriter(runs.resolve(i + GuestMain.SPEC))) {
                    spec.write(out);
                }
                if (!spec.variant().isKernelDefault()) Files.copy(objects.apply(spec.variant()), runs.resolve(i + GuestMain.OBJECT));
            }
        }, javaCommand(GuestMain.class.getName(), "", List.of(GuestMain.RUN, "/job/" + RUNS)), (results, injected, failure, console) -> {
            List<Attempt> finished = new ArrayList<>();
            for (int i = 0; i < specs.size(); i++) {
                Path dir = results.resolve(Integer.toString(i));
                if (!Files.isRegularFile(dir.resolve(GuestMain.FINISHED))) break;
                Duration inGuest = Duration.ofNanos(Long.parseLong(Files.readString(dir.resolve(GuestMain.FINISHED)).strip()));
                Map<String, Duration> phases = CellPhases.decode(Files.readString(dir.resolve(GuestMain.PHASES)));
                if (Files.isRegularFile(dir.resolve(GuestMain.ERROR))) {
                    finished.add(new Attempt(null, Files.readString(dir.resolve(GuestMain.ERROR)).strip(), inGuest, phases));
                } else {
                    RunResult result = RunResultFiles.read(dir);
                    if (injected.containsKey(i)) addInjectorRows(result.table(), injected.get(i));
                    finished.add(new Attempt(result, null, inGuest, phases));
                }
            }
            String log = Files.isRegularFile(console) ? Files.readString(console, StandardCharsets.ISO_8859_1) : "";
            int started = (int) log.lines().filter(l -> l.contains(GuestMain.STARTING_RUN)).count();
            String stoppedShort = null;
            if (finished.size() < specs.size())
                stoppedShort = failure != null ? failure.getMessage()
                        : Files.isRegularFile(results.resolve(GuestMain.ERROR)) ? failedInside(results, console)
                        : stoppedWithoutResult(console);
            return new Boot(finished, Math.max(started, finished.size()), stoppedShort, Duration.ofNanos(System.nanoTime() - start));
        });
    }

    /**
     * Loads every variant in turn in one boot ({@link MatrixCheck}): each must pass the guest
     * kernel's verifier, attach, and detach cleanly. Returns one row set per variant.
     */
    public Table checkMatrix(List<Variant> variants, String gitCommit) throws InterruptedException {
        String id = "matrix-" + UUID.randomUUID();
        return runJob(id, OVERHEAD_ALLOWANCE.plus(PER_VARIANT_CHECK.multipliedBy(variants.size())), dir -> {
            Files.createDirectories(dir.resolve("objects"));
            List<String> lines = new ArrayList<>();
            for (int i = 0; i < variants.size(); i++) {
                Files.copy(build.object(variants.get(i)), dir.resolve("objects/" + i + ".bpf.o"));
                lines.add(i + "\t" + variants.get(i).label());
            }
            Files.write(dir.resolve("variants.tsv"), lines);
        }, javaCommand(GuestMain.class.getName(), "", List.of(GuestMain.MATRIX, "/job/variants.tsv", "/job/objects", gitCommit)),
                (results, injected) -> DatasetFile.read(results.resolve(RunResultFiles.TABLE)));
    }

    /**
     * Runs each scheduler of the plan under stress-ng in turn in one boot ({@link StressCheck});
     * stress-ng's logs are left in the guest job's results directory (build/guest/stress-*).
     */
    public Table stress(StressPlan plan, String gitCommit) throws InterruptedException {
        String id = "stress-" + UUID.randomUUID();
        Duration perSubject = plan.duration().plus(PER_SUBJECT_STRESS_OVERHEAD);
        return runJob(id, OVERHEAD_ALLOWANCE.plus(perSubject.multipliedBy(plan.subjects().size())), dir -> {
            Files.createDirectories(dir.resolve("objects"));
            for (int i = 0; i < plan.subjects().size(); i++) {
                StressPlan.Subject s = plan.subjects().get(i);
                if (s.isOurs())
                    Files.copy(s.fault() == null ? build.object(s.variant()) : build.object(s.variant(), s.fault()),
                            dir.resolve("objects/" + i + ".bpf.o"));
            }
            try (Writer out = Files.newBufferedWriter(dir.resolve("plan.properties"))) {
                plan.write(out);
            }
        }, javaCommand(GuestMain.class.getName(), "", List.of(GuestMain.STRESS, "/job/plan.properties", "/job/objects", gitCommit)),
                (results, injected) -> DatasetFile.read(results.resolve(RunResultFiles.TABLE)));
    }

    /** Writes a job's own files into its disk's directory. */
    interface JobFiles {
        void writeInto(Path jobDir) throws IOException;
    }

    /** Reads what a job left in its results directory, and what the injector did by run index. */
    interface JobResults<T> {
        T read(Path resultsDir, Map<Integer, InputInjector.Stats> injected) throws IOException;
    }

    /**
     * The command that runs {@code mainClass} in the guest's JVM with our class path (and
     * {@code extraClassPath}, a path in the guest, if not empty), {@code args}, then the results
     * directory, the backend and the clock.
     */
    String javaCommand(String mainClass, String extraClassPath, List<String> args) {
        return String.join(" ",
                "exec /jdk/bin/java --enable-native-access=ALL-UNNAMED --sun-misc-unsafe-memory-access=allow -Djava.awt.headless=true",
                // C1 only and a serial collector: less emulated work before the run starts
                "-XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Xmx512m",
                "-Dgamerlab.libbpf=" + GuestImage.LIBBPF_IN_GUEST,
                // The host's injector ends each window with end markers: the readers await them.
                input == null ? "" : "-D" + InputEndMarker.PROPERTY + "=true",
                "-cp '/job/cp/*:/job/cp/classes" + (extraClassPath.isEmpty() ? "" : ":" + extraClassPath) + "'",
                mainClass, String.join(" ", args), GUEST_RESULTS, accelerator.backend, accelerator.clock);
    }

    /**
     * Boots the guest with a job disk holding what {@code files} writes, our class path, and a
     * {@code run.sh} of {@code command}, which init runs; returns what {@code results} reads from
     * the results the job left, or fails quoting the console. The guest gets {@code budget} of
     * QEMU's CPU time ({@link GuestWatchdog}); if this guest has input devices, the host injects
     * into each run as {@code injection} plans it (null: none). {@code lastResult}, relative to the
     * results, is the file the job writes last: without it, the job did not finish. The job's
     * directory, {@code build/guest/<id>}, keeps its logs afterwards ({@link GuestWorkDirs}).
     */
    <T> T runJob(String id, Duration budget, IntFunction<InputWindows.Plan> injection, JobFiles files, String command,
                 Path lastResult, JobResults<T> results) throws InterruptedException {
        return runJob(id, budget, injection, files, command, (resultsDir, injected, failure, console) -> {
            if (failure != null) throw failure;
            if (Files.isRegularFile(resultsDir.resolve(GuestMain.ERROR))) throw new GuestFailedException(failedInside(resultsDir, console));
            if (!Files.isRegularFile(resultsDir.resolve(lastResult)))
                throw new GuestFailedException(stoppedWithoutResult(console));
            return results.read(resultsDir, injected);
        });
    }

    /** Reads what a job left, whatever became of the guest: {@code failure} says why it stopped early (null: it powered off). */
    interface JobEnd<T> {
        T read(Path resultsDir, Map<Integer, InputInjector.Stats> injected, GuestFailedException failure, Path console) throws IOException;
    }

    /**
     * The job as {@link #runJob(String, Duration, IntFunction, JobFiles, String, Path, JobResults)}
     * runs it, but the results are read back (with whatever the guest put on disk) also when the
     * guest failed, and {@code end} decides what that means. The directory counts as a success
     * only if the guest powered off by itself.
     */
    private <T> T runJob(String id, Duration budget, IntFunction<InputWindows.Plan> injection, JobFiles files, String command,
                         JobEnd<T> end) throws InterruptedException {
        GuestWorkDirs dirs = new GuestWorkDirs(build.root().resolve("build/guest"));
        try (GuestWorkDirs.Claim claim = dirs.claim(id)) {
            Path work = claim.dir();
            try {
                Path rootfs = image.image();
                GuestImage.pruneStale(image.cacheDir(), rootfs, GuestImage.STALE_AFTER);
                Path jobImage = prepareJob(work, files, command);
                Path console = work.resolve("console.log");
                Map<Integer, InputInjector.Stats> injected = Map.of();
                GuestFailedException failure = null;
                try {
                    injected = boot(rootfs, jobImage, console, budget, injection);
                } catch (GuestFailedException e) {
                    failure = e;
                }
                try {
                    // -c: catastrophic mode, no bitmaps read: the disk of a guest that died need not be consistent.
                    Command.run("reading results back from the guest disk",
                            List.of("debugfs", "-c", "-R", "rdump " + RESULTS_ON_JOB_DISK + " " + work, jobImage.toString()));
                } catch (RuntimeException unreadable) {
                    if (failure == null) throw unreadable;
                    failure.addSuppressed(unreadable);
                    throw failure;
                }
                T read = end.read(work.resolve("results"), injected, failure, console);
                if (failure == null) claim.succeeded();
                return read;
            } catch (IOException e) {
                throw new UncheckedIOException("guest job " + id + " in " + work, e);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("guest job " + id + ": its directory under " + build.root().resolve("build/guest"), e);
        }
    }

    /** A job without input injection, whose results end with one run table. */
    <T> T runJob(String id, Duration budget, JobFiles files, String command, JobResults<T> results) throws InterruptedException {
        return runJob(id, budget, run -> null, files, command, Path.of(RunResultFiles.TABLE), results);
    }

    /** The error the guest's job left outside any run, with the console's end. */
    private static String failedInside(Path resultsDir, Path console) throws IOException {
        return "the job failed inside the guest: " + Files.readString(resultsDir.resolve(GuestMain.ERROR)).strip()
                + "\nconsole " + console + " ends:\n" + tail(console);
    }

    /** Why a guest that powered off left no result: a kernel panic is named with its reason. */
    private static String stoppedWithoutResult(Path console) throws IOException {
        String log = Files.isRegularFile(console) ? Files.readString(console, StandardCharsets.ISO_8859_1) : "";
        String panic = log.lines().filter(l -> l.contains(KERNEL_PANIC)).findFirst().orElse(null);
        String what = panic != null ? "the guest kernel panicked (" + panic.substring(panic.indexOf(KERNEL_PANIC)).strip() + ")"
                : "the guest stopped without a result";
        return what + "; console " + console + " ends:\n" + tail(console);
    }

    /** Where the job leaves its results in the guest, where the job disk is mounted on /job ... */
    static final String GUEST_RESULTS = "/job/results";
    /** ... and so where the host finds them on the job disk. */
    private static final String RESULTS_ON_JOB_DISK = "/results";

    /** The per-run disk: the job's files, our classes and their dependencies, and the command. */
    private Path prepareJob(Path work, JobFiles files, String command) throws IOException {
        Path job = work.resolve("job");
        Files.createDirectories(job.resolve("cp"));
        files.writeInto(job);
        for (Path entry : classPath()) {
            Path target = job.resolve("cp").resolve(entry.getFileName());
            if (Files.isDirectory(entry)) Command.run("copying classes for the guest", List.of("cp", "-a", entry.toString(), target.toString()));
            else Files.copy(entry, target);
        }
        Files.writeString(job.resolve("run.sh"), command + "\n");
        Path jobImage = work.resolve("job.ext4");
        long megabytes = 64 + sizeMegabytes(job);
        // No journal: what the guest put on disk (fsync) is where the host reads it, even if the guest then died.
        Command.run("building the job disk", List.of("mke2fs", "-q", "-t", "ext4", "-O", "^has_journal", "-L", JOB_LABEL, "-d", job.toString(),
                "-F", jobImage.toString(), megabytes + "M"));
        GuestImage.deleteTree(job);
        return jobImage;
    }

    /**
     * Boots and waits for the guest to power off; returns what the input injector did in each run
     * that read input, as {@code injection} plans it for that run (none without input devices, or
     * for a run it plans none). QEMU dies with this JVM ({@link OwnedProcess}), and is killed if the
     * {@link GuestWatchdog} finds the guest stuck or this thread is interrupted.
     */
    private Map<Integer, InputInjector.Stats> boot(Path rootfs, Path jobImage, Path console, Duration timeout,
                                                   IntFunction<InputWindows.Plan> injection) throws IOException, InterruptedException {
        List<String> argv = new ArrayList<>(List.of(QEMU));
        argv.addAll(accelerator.qemuArgs);
        argv.addAll(List.of("-smp", Integer.toString(cpus), "-m", Integer.toString(memoryMegabytes),
                "-kernel", kernel.toString(),
                // no_timer_check: on a busy host the emulated CPU can be too slow for the kernel's
                // IO-APIC timer check, which then panics at boot ("IO-APIC + timer doesn't work").
                "-append", "console=ttyS0 no_timer_check root=PARTUUID=" + GuestImage.ROOT_PARTUUID
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
            // A relative pointer, as a gaming mouse is, a keyboard, and an absolute pointer (a tablet,
            // as pens and touch screens are); QMP on a socket of its own for the injector.
            argv.addAll(List.of("-device", "virtio-mouse-pci,id=gamerlab-mouse", "-device", "virtio-keyboard-pci,id=" + InputInjector.KEYBOARD,
                    "-device", "virtio-tablet-pci,id=gamerlab-tablet",
                    "-qmp", "unix:" + qmp + ",server=on,wait=off"));
        }
        Process qemu = OwnedProcess.start(new ProcessBuilder(argv).redirectErrorStream(true)
                .redirectOutput(console.resolveSibling("qemu.log").toFile()));
        InputWindows windows = null;
        Map<Integer, InputInjector.Stats> injected = Map.of();
        try {
            if (input != null) windows = InputWindows.start(qmp, console, injection, qemu::isAlive);
            Optional<String> stuck = new GuestWatchdog(timeout, console).await(qemu);
            if (stuck.isPresent()) {
                killAndReap(qemu);
                throw new GuestFailedException(stuck.get() + ", and was killed; console " + console + " ends:\n" + tail(console));
            }
        } finally {
            if (qemu.isAlive()) killAndReap(qemu);
            if (windows != null) injected = windows.stop();
            if (qmp != null) {
                Files.deleteIfExists(qmp);
                if (!qmp.getParent().equals(console.getParent())) Files.deleteIfExists(qmp.getParent());
            }
        }
        int status = qemu.exitValue();
        if (status > 128)
            throw new GuestFailedException("QEMU was killed by signal " + (status - 128) + " (exit " + status + "): "
                    + Files.readString(console.resolveSibling("qemu.log")).strip() + "\nconsole " + console + " ends:\n" + tail(console));
        if (status != 0)
            throw new GuestFailedException("QEMU exited with " + status + ": "
                    + Files.readString(console.resolveSibling("qemu.log")) + "\nconsole ends:\n" + tail(console));
        return injected;
    }

    /** SIGKILL, then wait for the exit however often this thread is interrupted: no QEMU is left running. */
    private static void killAndReap(Process qemu) {
        qemu.destroyForcibly();
        boolean interrupted = false;
        while (true) {
            try {
                qemu.waitFor();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) Thread.currentThread().interrupt();
    }

    /**
     * The timing of the host's input into each reading window of a run: its warm-up's, if it has
     * one, then its measured window's. Each window gets end markers planned from its own length, so
     * a reader never waits past its window for markers planned from a longer one.
     */
    static List<InputWindows.Timing> injectionTimings(RunSpec spec) {
        List<InputWindows.Timing> timings = new ArrayList<>();
        for (Duration window : spec.warmup().isZero() ? List.of(spec.duration()) : List.of(spec.warmup(), spec.duration()))
            timings.add(new InputWindows.Timing(injectionWindow(window), endMarkerTime(window)));
        return timings;
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

    /**
     * How long, at most, the host sends end markers after injecting into a window of
     * {@code duration} ({@link InputEndMarker}): a reader reads at most its window and its wait for
     * the marker from its start, which the host learns of no earlier, so it has stopped by then; the
     * markers normally end sooner, when the host sees the reader's stop line.
     */
    static Duration endMarkerTime(Duration duration) {
        return duration.plus(InputEndMarker.wait(duration));
    }

    /** The job disk's ext4 label, by which guest-init.sh finds it. */
    static final String JOB_LABEL = "gamerlab-job";
    private static final String QEMU = "qemu-system-x86_64";

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
        for (PacedCommands.Account kind : List.of(s.motion(), s.keys(), s.tablet(), s.endMarkers())) {
            if (kind == s.tablet() && kind.asked() == 0) continue;  // not asked for: the game loop's injection has no tablet
            // Counted in commands: a motion command carries eventsPerCommand events, a key or tablet command one press or
            // move, an end marker one event on each device (REL_Y on the mouse, a press of B, the tablet's far corner).
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

    /**
     * The injector's settings for a run of {@code workload}: the rates its {@code input} part asks
     * for, or {@code standard} (the backend's) when it has none.
     */
    static InputInjector.Settings injection(WorkloadSpec workload, InputInjector.Settings standard) {
        for (Settings part : workload.parts()) {
            if (part.kind() != HighRateInputWorkload.KIND) continue;
            return new InputInjector.Settings(part.get(HighRateInputWorkload.MOTION_RATE), part.get(HighRateInputWorkload.EVENTS_PER_REPORT),
                    part.get(HighRateInputWorkload.IN_FLIGHT), part.get(HighRateInputWorkload.KEY_RATE),
                    part.get(HighRateInputWorkload.TABLET_RATE));
        }
        return standard;
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
