package io.gamerlab.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gamerlab.sched.SchedulerBuild;
import io.gamerlab.sched.Variant;
import io.gamerlab.util.ChildJvm;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import tech.tablesaw.api.ColumnType;
import tech.tablesaw.api.Table;
import tech.tablesaw.io.csv.CsvReadOptions;

/**
 * Faults injected into real guests, in order, each boot after a fault showing that the next one
 * starts clean: the host JVM killed mid-run (QEMU and every process it started must go with it), a
 * guest kernel that panics, a job that hangs, QEMU killed from outside (each an error quoting the
 * console within a bound), and last, a healthy boot running {@link GuestFaultJob}, which injects
 * the scheduler's own faults inside the guest. Five boots in all.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class GuestFaultsTest {

    /** QEMU's CPU time for a fault job that boots and stops: boot alone takes about 30 s of it. */
    private static final Duration FAULT_JOB_BUDGET = Duration.ofSeconds(120);
    /** How long a test waits for the guest to reach a point: boots take minutes on a busy host. */
    private static final Duration CONSOLE_WAIT = Duration.ofMinutes(10);
    /**
     * From a fault's moment to the error, beyond what the watchdog's own limit allows: reading
     * back, the poll, and for a hang the guest's own work after the job started (the boot's tail),
     * which the idle limit counts from and which a busy host stretches (47 s seen).
     */
    private static final Duration REPORT_SLACK = Duration.ofSeconds(90);
    /** What guest-init.sh prints once the job disk is mounted, just before it runs the job. */
    private static final String JOB_STARTED = "gamerlab-guest: kernel ";
    private static final SchedulerBuild BUILD = SchedulerBuild.ofCheckout();
    private static final Path GUEST_DIRS = BUILD.root().resolve("build/guest");

    private static GuestBackend guest;
    private static String killedRun;

    @BeforeAll
    static void guest() {
        guest = GuestBackend.standard().withoutInput();
    }

    /** The host side of a run, in its own JVM, killed once the guest's job has started. */
    public static final class HostJvm {
        public static void main(String[] args) throws Exception {
            RunSpec spec = RunSpec.of(Variant.BASELINE, Duration.ofMinutes(10), "fault");
            System.out.println("run " + spec.runId());
            GuestBackend.standard().withoutInput().run(spec);
        }
    }

    @Test
    @Order(1)
    void killingTheHostJvmMidRunTakesQemuAndEveryProcessItStartedWithIt() throws Exception {
        try (ChildJvm host = ChildJvm.start(HostJvm.class, Map.of())) {
            killedRun = host.awaitLine("run ", Duration.ofSeconds(120)).substring(4);
            Path console = GUEST_DIRS.resolve(killedRun).resolve("console.log");
            awaitConsole(console, JOB_STARTED, CONSOLE_WAIT);
            List<ChildJvm.Pid> started = ChildJvm.descendants(host.pid());
            assertTrue(started.stream().anyMatch(p -> p.command().endsWith("qemu-system-x86_64")), "QEMU is running: " + started);
            host.kill();
            assertEquals(List.of(), ChildJvm.awaitGone(started, Duration.ofSeconds(10)),
                    "every process the killed JVM started is gone within 10 s (of " + started + ")");
        }
    }

    @Test
    @Order(2)
    void aGuestKernelThatPanicsIsReportedWithItsConsole() throws Exception {
        GuestFailedException e = failingJob("gamerlab-fault: crashing the kernel", "echo c > /proc/sysrq-trigger; sleep 600", Duration.ZERO);
        assertTrue(e.getMessage().startsWith("the guest kernel panicked (Kernel panic - not syncing: sysrq triggered crash"), e.getMessage());
        assertTrue(e.getMessage().contains("sysrq_handle_crash"), "the console's tail, the panic's trace: " + e.getMessage());
        assertKilledRunPruned();
    }

    @Test
    @Order(3)
    void aJobThatHangsIsKilledAfterItsBudgetWithTheConsole() throws Exception {
        GuestFailedException e = failingJob("gamerlab-fault: hanging", "exec sleep 100000", GuestWatchdog.IDLE_LIMIT);
        assertTrue(e.getMessage().startsWith("the guest sat idle with a silent console for " + GuestWatchdog.IDLE_LIMIT.toSeconds()
                + " s, and was killed"), e.getMessage());
        assertTrue(e.getMessage().contains("gamerlab-fault: hanging"), e.getMessage());
    }

    @Test
    @Order(4)
    void qemuKilledFromOutsideIsReportedWithTheConsole() throws Exception {
        String id = "fault-" + UUID.randomUUID();
        Path console = GUEST_DIRS.resolve(id).resolve("console.log");
        AtomicReference<String> killed = new AtomicReference<>("no QEMU found");
        Thread killer = Thread.ofPlatform().start(() -> {
            try {
                awaitConsole(console, "gamerlab-fault: waiting", CONSOLE_WAIT);
                for (ChildJvm.Pid p : ChildJvm.descendants(ProcessHandle.current().pid())) {
                    if (p.command().endsWith("qemu-system-x86_64") && commandLine(p.pid()).contains(id)) {
                        ProcessHandle.of(p.pid()).ifPresent(ProcessHandle::destroyForcibly);
                        killed.set("killed " + p.pid());
                    }
                }
            } catch (Exception e) {
                killed.set(e.toString());
            }
        });
        GuestFailedException e = assertThrows(GuestFailedException.class, () -> guest.runJob(id, FAULT_JOB_BUDGET, dir -> { },
                "echo gamerlab-fault: waiting to be killed; exec sleep 100000", (results, injected) -> results));
        killer.join();
        assertTrue(killed.get().startsWith("killed "), killed.get());
        assertTrue(e.getMessage().startsWith("QEMU was killed by signal 9 (exit 137)"), e.getMessage());
        assertTrue(e.getMessage().contains("gamerlab-fault: waiting to be killed"), e.getMessage());
    }

    private static Map<String, String> seen;

    @Test
    @Order(5)
    void theNextBootWorksAndInjectsTheSchedulersFaults() throws Exception {
        Path testClasses = Path.of(GuestFaultsTest.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        Path fixtures = BUILD.root().resolve("build/bpf/fixtures");
        seen = guest.runJob("faults-" + UUID.randomUUID(), Duration.ofMinutes(15), dir -> {
            io.gamerlab.util.Command.run("copying the test classes for the guest", List.of("cp", "-a", testClasses.toString(), dir.resolve("tcp").toString()));
            Files.copy(BUILD.object(Variant.BASELINE), dir.resolve("scheduler.bpf.o"));
            Files.createDirectories(dir.resolve("fixtures"));
            for (String f : List.of("gamer_rejected", "scx_error"))
                Files.copy(fixtures.resolve(f + ".bpf.o"), dir.resolve("fixtures/" + f + ".bpf.o"));
        }, guest.javaCommand(GuestFaultJob.class.getName(), "/job/tcp", List.of("/job/scheduler.bpf.o", "/job/fixtures")),
                (results, injected) -> read(results.resolve(RunResultFiles.TABLE)));
        List<String> unexpected = seen.entrySet().stream().filter(e -> e.getKey().endsWith(".unexpected")).map(Object::toString).toList();
        assertEquals(List.of(), unexpected);
        for (String fault : List.of("another", "rejected", "unprivileged", "exit", "kill", "sysrq", "scx_error", "interrupt")) {
            assertEquals("disabled", seen.get(fault + ".state_before"), fault + " started with no scheduler loaded: " + seen);
            assertTrue(Long.parseLong(seen.get(fault + ".ms_to_disabled_after")) >= 0, fault + " left sched_ext disabled: " + seen);
        }
    }

    @Test
    @Order(6)
    void aSchedulerIsUnloadedWhenItsJvmExitsOrIsKilledMidRun() {
        assertTrue(seen.get("exit.loaded").startsWith("loaded enabled"), seen.toString());
        assertEquals("0", seen.get("exit.status"));
        assertEquals("enabled gamerlab", seen.get("kill.state_during"), "the killed JVM's scheduler was running: " + seen);
        long toDisabled = Long.parseLong(seen.get("kill.ms_to_disabled"));
        assertTrue(toDisabled >= 0 && toDisabled <= GuestFaultJob.STATE_BOUND.toMillis(),
                "disabled within the bound after SIGKILL: " + seen);
    }

    @Test
    @Order(7)
    void anInterruptedRunThrowsWithTheSchedulerAlreadyUnloaded() {
        assertTrue(seen.get("interrupt.thrown").startsWith("java.lang.InterruptedException"), seen.toString());
        assertEquals("disabled", seen.get("interrupt.state_when_thrown"), "closed before the exception left Run.execute: " + seen);
    }

    @Test
    @Order(8)
    void anEjectedSchedulerFailsTheRunWithTheKernelsExitKindAndMessage() {
        assertEquals("67", seen.get("sysrq.exit_kind"), seen.toString());
        assertTrue(seen.get("sysrq.failed").contains("SCX_EXIT_SYSRQ (67), reason 'disabled by sysrq-S'"), seen.get("sysrq.failed"));
        assertEquals("1025", seen.get("scx_error.exit_kind"), seen.toString());
        String failed = seen.get("scx_error.failed");
        assertTrue(failed.contains("SCX_EXIT_ERROR_BPF (1025)") && failed.contains("gamerlab fault injection: scx_bpf_error from process"),
                "the kind and the BPF program's own message: " + failed);
        assertTrue(failed.startsWith("run ") && failed.contains(Variant.BASELINE.label()), "names the run and its variant: " + failed);
    }

    @Test
    @Order(9)
    void refusalsInTheGuestSayWhatIsWrongAndWhatToDo() {
        String another = seen.get("another.refused");
        assertTrue(another.startsWith("SchedExtUnavailableException: another sched_ext scheduler is loaded (state enabled, ops 'gamerlab')")
                && another.contains("stop the process that loaded it"), another);
        String rejected = seen.get("rejected.refused");
        assertTrue(rejected.startsWith("SchedulerLoadException: scheduler variant " + Variant.BASELINE.label() + " could not be loaded"), rejected);
        // the verifier's wording differs between kernels (7.x: "invalid dereference of R0 (a nullable map value pointer)")
        assertTrue(rejected.contains("the kernel refused program 'rejected_by_verifier': the verifier says \""), rejected);
        String reason = rejected.substring(rejected.indexOf("the verifier says \"") + 19);
        assertTrue(reason.contains("R0") && reason.toLowerCase(java.util.Locale.ROOT).contains("null"), "the reason names the register and NULL: " + rejected);
        assertTrue(seen.get("unprivileged.opened").matches("opened \\d+ programs as uid 65534"), "no root needed to open it: " + seen);
        String unprivileged = seen.get("unprivileged.refused");
        assertTrue(unprivileged.startsWith("refused: SchedExtUnavailableException: this process (uid 65534) may not load BPF")
                && unprivileged.contains("Run it as root"), unprivileged);
    }

    /**
     * Runs {@code fault} as the guest's job, a second after it prints {@code marker} (so the kernel's
     * own messages about the fault cannot break the marker's line on the console); it must fail, and the
     * error must come within {@code limit} (what the watchdog allows such a fault) and
     * {@link #REPORT_SLACK} of the marker reaching the console.
     */
    private static GuestFailedException failingJob(String marker, String fault, Duration limit) throws InterruptedException {
        String id = "fault-" + UUID.randomUUID();
        AtomicReference<Long> markedAt = new AtomicReference<>();
        Thread watcher = Thread.ofPlatform().daemon().start(() -> {
            try {
                awaitConsole(GUEST_DIRS.resolve(id).resolve("console.log"), marker, CONSOLE_WAIT);
                markedAt.set(System.nanoTime());
            } catch (Exception | AssertionError notSeen) {
                // the assertion below says so
            }
        });
        GuestFailedException e = assertThrows(GuestFailedException.class, () -> guest.runJob(id, FAULT_JOB_BUDGET,
                dir -> { }, "echo " + marker + "; sleep 1; " + fault, (results, injected) -> results));
        long failedAt = System.nanoTime();
        watcher.join(1000);
        assertTrue(markedAt.get() != null, "the job reached its fault: " + e.getMessage());
        Duration took = Duration.ofNanos(failedAt - markedAt.get());
        assertTrue(took.compareTo(limit.plus(REPORT_SLACK)) < 0, "reported " + took + " after the fault: " + e.getMessage());
        return e;
    }

    /** The run killed with its JVM left a directory; the next job pruned its disk and kept its console log. */
    private static void assertKilledRunPruned() {
        Path dir = GUEST_DIRS.resolve(killedRun);
        assertTrue(Files.isRegularFile(dir.resolve("console.log")), "the killed run's console is kept: " + dir);
        assertFalse(Files.exists(dir.resolve("job.ext4")), "the killed run's job disk was pruned: " + dir);
    }

    private static void awaitConsole(Path console, String marker, Duration within) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + within.toNanos();
        while (!(Files.isRegularFile(console) && Files.readString(console, StandardCharsets.ISO_8859_1).contains(marker))) {
            if (System.nanoTime() > deadline) throw new AssertionError("no '" + marker + "' in " + console + " within " + within.toSeconds() + " s");
            Thread.sleep(200);
        }
    }

    private static String commandLine(long pid) throws IOException {
        return Files.readString(Path.of("/proc/" + pid + "/cmdline")).replace('\0', ' ');
    }

    private static Map<String, String> read(Path csv) {
        Table t = Table.read().csv(CsvReadOptions.builder(csv.toFile()).columnTypes(new ColumnType[] {ColumnType.STRING, ColumnType.STRING})
                .missingValueIndicator("").build());
        Map<String, String> m = new LinkedHashMap<>();
        for (int i = 0; i < t.rowCount(); i++) m.put(t.stringColumn("key").get(i), t.stringColumn("value").get(i));
        return m;
    }
}
