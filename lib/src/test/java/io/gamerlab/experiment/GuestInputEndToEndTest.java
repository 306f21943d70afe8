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

    /** See {@link GuestEndToEndChecks#assertTheReaderReadWhatTheInputCoreSaw}. */
    @Test
    void theGuestReadWhatTheHostInjectedDuringTheWindow() {
        GuestEndToEndChecks.assertTheReaderReadWhatTheInputCoreSaw(result.table(), "GuestInputEndToEndTest");
        assertEquals(value("workload", "input_events_read"), value("workload", "input_reports_read"),
                value("workload", "input_reports_dropped"), "one motion event per report, but a report an overflow split");
    }

    /**
     * Every motion tick the host asked for in its window was sent, held back by QEMU (it had not
     * answered the commands in flight: the emulated guest lagged) or skipped because the host's
     * own thread woke late; never more than asked. How many of each depends on the machine.
     */
    @Test
    void theInjectorSentAsAskedUnlessQemuHeldItBackForAboutItsWindow() {
        double asked = value("injector", "motion_asked");
        double sent = value("injector", "motion_sent");
        assertEquals(asked, sent + value("injector", "motion_held_back") + value("injector", "motion_late"));
        assertTrue(sent > 0, "motion was sent");
        double seconds = value("injector", "input_injection_seconds");
        double window = GuestBackend.injectionWindow(WINDOW).toNanos() / 1e9;
        assertTrue(seconds > window * 0.8 && seconds < window + 1, "injected for " + seconds + " s of a " + window + " s window");
        assertTrue(asked <= (window + 0.1) * 1000 + 1, asked + " ticks asked in a " + window + " s window at 1 kHz");
        assertTrue(value("injector", "input_injection_rate") <= 1000 * 1.05, "never faster than asked");
        assertEquals(0, value("injector", "input_commands_failed"));
        GuestEndToEndChecks.assertKeyPressesWentOutAsAskedAndArrivedAsPairs(result.table());
    }

    @Test
    void theInjectorsRowsCarryTheRunsProvenance() {
        Table t = result.table();
        Table injector = t.where(t.stringColumn("source").isEqualTo("injector"));
        assertTrue(injector.rowCount() >= 5);
        for (String column : new String[] {"cell_id", "backend", "clock", "variant", "workload"})
            assertEquals(1, t.stringColumn(column).unique().size(), column);
    }

    /**
     * GuestEndToEndChecks shows the preemptions with the default windows; with every window zero,
     * no CPU is ever kicked for an input handler although mouse and keyboard events arrive.
     */
    @Test
    void zeroInputWindowsMeanNoCpuIsKickedForInput() {
        assertTrue(value("scheduler", "mouse_events") > 0, "mouse events counted");
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
        return GuestEndToEndChecks.value(result.table(), source, metric);
    }
}
