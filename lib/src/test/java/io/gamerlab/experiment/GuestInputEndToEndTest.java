package io.gamerlab.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gamerlab.sched.SchedulerBuild;
import io.gamerlab.sched.Tunables;
import io.gamerlab.sched.Variant;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tech.tablesaw.api.Table;

/**
 * Real input through the guest kernel: one boot with the virtio mouse and keyboard and the host's
 * injector (motion at 1 kHz, a key press ten times a second). The events go QMP, QEMU's virtio-input, the guest's virtio_input driver, the input core,
 * evdev, and a blocking read() in the workload's input-reader thread; the host counts what it sent
 * and the guest what it read.
 */
class GuestInputEndToEndTest {

    private static final Duration WINDOW = Duration.ofSeconds(5);
    private static RunResult result;
    private static String console;

    @BeforeAll
    static void bootOnceWithTheInjectorOn() throws InterruptedException, IOException {
        Path tree = GuestBackend.moduleTree(GuestBackend.cacheDir().resolve("kernel"));
        assertNotNull(tree, "the guest kernel's modules are not unpacked: run scripts/setup.sh");
        GuestBackend backend = GuestBackend.standard()
                .withInput(KernelModules.resolve(tree, KernelModules.VIRTIO_INPUT), InputInjector.Settings.standard());
        SchedulerBuild build = SchedulerBuild.ofCheckout();
        // The tunables under test here: no input event opens a window (mouse, keyboard, other),
        // and the game is fixed to init (pid 1), so detection must stay off.
        RunSpec spec = RunSpec.of(Variant.BASELINE, WINDOW, build.gitCommit()).withTunables(Tunables.defaults()
                .withInputBoost(Duration.ZERO, Duration.ZERO, Duration.ZERO).withGamePid(1));
        result = backend.run(spec);
        console = Files.readString(build.root().resolve("build/guest").resolve(spec.runId()).resolve("console.log"),
                StandardCharsets.ISO_8859_1);
    }

    @Test
    void theConsoleShowsTheModulesLoadedAndTheVirtioMouseAppeared() {
        assertTrue(console.contains("gamerlab-guest: module virtio_input loaded"), console);
        assertTrue(console.contains("gamerlab-guest: module evdev loaded"), console);
        assertFalse(console.contains("FAILED to load"), console);
        assertTrue(Pattern.compile("gamerlab-guest: input device /dev/input/event\\d+ 'QEMU Virtio Mouse'").matcher(console).find(), console);
    }

    @Test
    void theInputReaderReadTheVirtioMouse() {
        Matcher reading = Pattern.compile("gamerlab: input-reader reading /dev/input/event(\\d+)").matcher(console);
        assertTrue(reading.find(), console);
        assertTrue(console.contains("gamerlab: input-reader stopped, "), console);
        assertEquals(Integer.parseInt(reading.group(1)), value("workload", "input_device_event_number"));
        assertTrue(result.table().stringColumn("workload").get(0).endsWith("-evdev"));
    }

    /**
     * The host sends only between the reader's "reading" and "stopped" lines, so the guest should
     * read nearly all it sent, and never more. 10% below is allowed: the host notices "stopped"
     * up to ~20 ms late (a poll) and the events sent meanwhile are never read (~1%), and under TCG
     * with a CPU hog per vCPU the reader can be descheduled for longer than evdev's 64-event
     * buffer lasts (SYN_DROPPED, up to 64 events each) or the guest can refill virtio-input's
     * queue late (QEMU then drops the report, unseen by the guest). Observed: 95-99% with the
     * host to itself, 84% with its two CPUs shared by a benchmark; hence "at least half". The
     * loss this workbench is about, from the kernel hook to the Java consumer, is asserted to be
     * zero in GuestEndToEndChecks; this one is upstream of the guest kernel.
     */
    @Test
    void theGuestReadWhatTheHostInjectedDuringTheWindow() {
        double read = value("workload", "input_events_read");
        double sent = value("injector", "input_events_sent");
        assertTrue(read > 0, "no input event reached the guest's reader");
        assertTrue(read <= sent, read + " read but only " + sent + " sent");
        assertTrue(read >= 0.5 * sent, read + " read of " + sent + " sent; dropped reports: " + value("workload", "input_reports_dropped"));
        assertEquals(read, value("workload", "input_reports_read"), 1 + value("workload", "input_reports_dropped"),
                "one motion event per report");
    }

    /** The host's rate over the window: 1 kHz with the host to itself, lower when other work shares its CPUs. */
    @Test
    void theInjectorRanAtARateNearItsTargetForAboutTheWindow() {
        double rate = value("injector", "input_injection_rate");
        assertTrue(rate > 500 && rate < 1_050, "events/s: " + rate);
        double seconds = value("injector", "input_injection_seconds");
        assertTrue(seconds > WINDOW.toSeconds() * 0.8 && seconds < WINDOW.toSeconds() + 5, "injected for " + seconds + " s");
        assertEquals(0, value("injector", "input_commands_failed"));
    }

    @Test
    void theInjectorsRowsCarryTheRunsProvenance() {
        Table t = result.table();
        Table injector = t.where(t.stringColumn("source").isEqualTo("injector"));
        assertTrue(injector.rowCount() >= 5);
        for (String column : new String[] {"run_id", "backend", "clock", "variant", "workload"})
            assertEquals(1, t.stringColumn(column).unique().size(), column);
    }

    /**
     * GuestEndToEndChecks shows the preemptions with the default windows; with every window zero,
     * no CPU is ever kicked for an input handler although mouse and keyboard events arrive.
     */
    @Test
    void zeroInputWindowsMeanNoCpuIsKickedForInput() {
        assertTrue(value("scheduler", "mouse_events") > 1000, "mouse events counted");
        assertTrue(value("scheduler", "keyboard_events") > 0, "keyboard events counted");
        assertEquals(0, value("scheduler", "input_preempts"));
    }

    /** GuestEndToEndChecks shows detection choosing the workload; a fixed game_pid overrides it. */
    @Test
    void aFixedGamePidIsTheForegroundGameAndDetectionStaysOff() {
        assertEquals(1, value("scheduler", "foreground_pid"));
        assertEquals(0, value("scheduler", "foreground_is_workload"));
        assertEquals(0, value("scheduler", "foreground_changes"));
    }

    private static double value(String source, String metric) {
        Table t = result.table();
        Table row = t.where(t.stringColumn("source").isEqualTo(source).and(t.stringColumn("metric").isEqualTo(metric)));
        assertEquals(1, row.rowCount(), source + "/" + metric + " rows");
        return row.doubleColumn("value").get(0);
    }
}
