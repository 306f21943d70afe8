package io.gamerlab.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gamerlab.sched.SchedulerBuild;
import io.gamerlab.sched.Tunables;
import io.gamerlab.sched.Variant;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tech.tablesaw.api.Table;

/**
 * The whole path on a real sched_ext kernel: boot the guest, load our scheduler from Java through
 * libbpf, run the game loop for 20 s beside CPU hogs and a fork stress while the host drives the
 * guest's virtio mouse at 1 kHz, and read the table back on the host. One boot per variant serves
 * every assertion (a boot costs about half a minute under TCG). The four subclasses, one variant
 * each (GuestEndToEnd*Test), together cover every value of every axis. They are top-level classes
 * because Surefire does not run nested ones by default.
 */
abstract class GuestEndToEndChecks {

    private static final Map<String, RunResult> RESULTS = new ConcurrentHashMap<>();
    private RunResult result;

    abstract String variantText();

    Variant variant() {
        return Variant.parse(variantText());
    }

    @BeforeEach
    void runOnceInTheGuest() throws InterruptedException {
        result = RESULTS.get(variantText());
        if (result != null) return;
        // A 20 ms slice: long enough that waiting for a slice to end is visible next to the TCG
        // guest's own interrupt latency (about 1 ms), which hides the difference at the 2 ms default.
        var spec = RunSpec.of(variant(), Duration.ofSeconds(20), SchedulerBuild.ofCheckout().gitCommit())
                .withForkStress(true).withTunables(Tunables.defaults().withSlice(Duration.ofMillis(20)));
        result = GuestBackend.standard().run(spec);
        RESULTS.put(variantText(), result);
    }

    @Test
    void ourSchedulerWasEnabledDuringTheRun() {
        assertEquals("enabled", result.stateDuring());
        assertEquals("gamerlab", result.opsDuring());
    }

    @Test
    void theStressDidNotGetItEjectedAndItIsDisabledAfterwards() {
        assertEquals(64, result.exitKind(), "SCX_EXIT_UNREG (64), not an ejection: " + result.exitReason());
        assertEquals("disabled", result.stateAfter());
        // How many depends on how fast the emulated guest forks beside the hogs: that it ran is the point.
        assertTrue(value("workload", "processes_started") > 0, "the fork stress ran");
    }

    @Test
    void theSchedulersOwnCountersMoved() {
        for (String counter : new String[] {"enqueued", "dispatched", "started", "runtime_ns"})
            assertTrue(value("scheduler", counter) > 0, counter + " did not move");
        // Roles declared by the workload reach the BPF side: boosted starts happen only for them.
        assertTrue(value("scheduler", "boosted") > 0, "no role-boosted task ever started");
    }

    /**
     * How many events arrive depends on how fast the emulated guest takes them (QEMU drops a report
     * when the guest has not refilled the virtio queue), so counts are checked against each other:
     * the reader read only what the hook saw (each report a motion event and its SYN_REPORT), and
     * what it read of the mouse is accounted for by {@link #assertTheReaderReadWhatTheInputCoreSaw}.
     */
    @Test
    void realInputEventsReachTheHookAndClassifyTheReadingThread() {
        assertEquals(1, value("hook", "input_event"), "fentry/input_event attached");
        assertEquals(1, value("hook", "evdev_read"), "fentry/evdev_read attached (evdev is loaded)");
        double read = value("workload", "input_events_read");
        assertTrue(read > 0, "the input-reader read the host's mouse");
        assertTrue(value("scheduler", "input_events") >= read + value("workload", "input_reports_read"),
                "the hook saw every event and SYN_REPORT the reader read");
        assertTheReaderReadWhatTheInputCoreSaw(result.table(), variantText());
        assertTrue(value("scheduler", "classified") >= 1, "the reading thread was classified by the hook");
    }

    /**
     * What the host injected, what reached the input core (the hook counts every mouse event at
     * fentry/input_event) and what the workload read, whatever the guest's speed or the console's
     * lag. After its window the host sends end markers until it sees the reader's stop line, and
     * the reader reads past its window until it has read one; a marker follows every motion event
     * sent before it through QEMU's mouse handler, the virtqueue, the input core and evdev, so a
     * reader that read it has read every motion event the input core saw, but what evdev's buffer
     * lost when it overflowed. The hook counts one REL_Y per marker it saw: at least those read, at
     * most those sent.
     *
     * <p>No count bounds that loss: an overflow discards the whole buffer (all 127 unread events of
     * the mouse's 128, 63 or 64 motion reports) and leaves one SYN_DROPPED, but further overflows
     * before the reader's next read discard that one too, so however many there were the reader
     * sees one. What holds on any machine: without a SYN_DROPPED, nothing was lost; with one,
     * something was.
     */
    static void assertTheReaderReadWhatTheInputCoreSaw(Table t, String who) {
        double read = value(t, "workload", "input_events_read");
        double sent = value(t, "injector", "input_events_sent");
        double markersSent = value(t, "injector", "end_markers_sent");
        double markersRead = value(t, "workload", "input_end_markers_read");
        double seen = value(t, "scheduler", "mouse_events");
        double dropped = value(t, "workload", "input_reports_dropped");
        String account = sent + " motion events sent, " + value(t, "injector", "input_events_acknowledged") + " acknowledged; "
                + markersSent + " end markers sent, " + value(t, "injector", "end_markers_acknowledged") + " acknowledged; "
                + seen + " mouse events seen by the input core; " + read + " motion events read, " + markersRead
                + " end markers read, " + dropped + " SYN_DROPPED";
        System.out.println(who + ": " + account);
        assertEquals(1, value(t, "workload", "input_end_marker_seen"), "the reader read the host's end marker: " + account);
        assertTrue(read > 0, "no input event reached the guest's reader: " + account);
        // Sent, not acknowledged: the replies to the last commands in flight are not awaited.
        assertTrue(read + markersRead <= seen && seen <= sent + markersSent, "read of what was seen, seen of what was sent: " + account);
        if (dropped == 0) assertTrue(read >= seen - markersSent, "no SYN_DROPPED, yet motion the input core saw was not read: " + account);
        else assertTrue(read < seen - markersRead, "a SYN_DROPPED, yet nothing was lost: " + account);
    }

    @Test
    void everyInputEventTheHookSawArrivedInJavaWithNoLoss() {
        assertTrue(value("input", "events") > 0);
        assertEquals(value("scheduler", "input_events"), value("input", "events"), "events the hook emitted vs received");
        assertEquals(0, value("input", "sequence_gaps"));
        assertEquals(0, value("input", "reordered"));
        assertEquals(0, value("input", "bpf_drops"));
    }

    @Test
    void inputHandlersWaitLessFromWakeUpToRunningThanUnclassifiedThreadsUnderSaturation() {
        // Measured by the scheduler itself (runnable -> running), by role, in the same run.
        double input = value("scheduler", "input_wait_ns") / value("scheduler", "input_waits");
        double other = value("scheduler", "other_wait_ns") / value("scheduler", "other_waits");
        System.out.printf("%s: mean wake-up-to-running wait: input handlers %.0f us, unclassified %.0f us, ratio %.1f;"
                        + " probe timers' lateness p50 %.0f vs %.0f us%n", variantText(), input / 1e3, other / 1e3, other / input,
                value("workload", "probe_input_lateness_p50"), value("workload", "probe_other_lateness_p50"));
        assertTrue(input < other, "input handlers waited " + input + " ns on average, unclassified threads " + other + " ns");
    }

    /**
     * The workload's input-reader reads the virtio mouse through evdev: the evdev_read hook takes
     * that as evidence of a game, so the workload's process becomes the foreground game and its
     * threads with no declared role (the frame loop, the JVM's own) run with the game's boost.
     */
    @Test
    void theProcessReadingInputWasDetectedAsTheForegroundGame() {
        assertEquals(1, value("scheduler", "foreground_is_workload"), "foreground pid " + value("scheduler", "foreground_pid"));
        assertTrue(value("scheduler", "foreground_changes") >= 1, "the detection set the game");
        // A frame that ends before the next one is due sleeps, and wakes as a game thread.
        double sleptFrames = value("workload", "frames") - value("workload", "frame_deadline_misses");
        assertTrue(value("scheduler", "game_waits") >= sleptFrames / 2, "the game's undeclared threads (the 60 Hz frame loop) woke"
                + " as game threads: " + value("scheduler", "game_waits") + " game wake-ups for " + sleptFrames + " frames that slept");
    }

    /**
     * The host moves the virtio mouse (EV_REL) and presses a key on the virtio keyboard (EV_KEY) ten
     * times a second: the hook tells the two apart, each opening its own window, and input
     * handlers preempt in them.
     */
    @Test
    void mouseAndKeyboardEventsAreToldApartAndOpenTheInputWindow() {
        assertTrue(value("scheduler", "mouse_events") > 0, "mouse events counted");
        assertKeyPressesWentOutAsAskedAndArrivedAsPairs(result.table());
        assertTrue(value("scheduler", "input_preempts") > 0, "no CPU was ever kicked for an input handler");
    }

    /**
     * Key presses have their own schedule and reply budget, so however far the guest lags they are
     * sent as asked: held back only if QEMU took longer than their budget lasts (ten presses, a
     * second) to answer, and otherwise late only if the host's own thread woke too late. The guest
     * counts two keyboard events (down, up) per press it received, and receives none that the host
     * did not send. A lagging guest loses whole reports (QEMU drops a report when the virtio queue
     * is full), so at least one arrived is all that is certain, and each arrived whole. Each end
     * marker the host sent after its window presses and releases B: two keyboard events more.
     */
    static void assertKeyPressesWentOutAsAskedAndArrivedAsPairs(Table t) {
        double asked = value(t, "injector", "keys_asked");
        double sent = value(t, "injector", "keys_sent");
        double late = value(t, "injector", "keys_late");
        double acknowledged = value(t, "injector", "keys_acknowledged");
        double keys = value(t, "scheduler", "keyboard_events");
        String account = asked + " asked, " + sent + " sent, " + value(t, "injector", "keys_held_back") + " held back, " + late
                + " late, " + acknowledged + " acknowledged, " + keys + " keyboard events; QEMU's reply time p99 "
                + value(t, "injector", "keys_reply_p99") + " us";
        System.out.println("key presses: " + account);
        assertTrue(asked >= 10, "presses were asked: " + account);
        assertTrue(sent >= 0.9 * (asked - late) - 1 || value(t, "injector", "keys_reply_p99") > 1e6, "sent as asked: " + account);
        assertTrue(acknowledged >= sent - InputInjector.KEY_PRESSES_IN_FLIGHT, "QEMU answered all but the last in flight: " + account);
        double markers = value(t, "injector", "end_markers_sent");
        assertTrue(keys > 0 && keys <= 2 * (sent + markers) && keys % 2 == 0, "whole presses reached the guest: " + account
                + ", " + markers + " end markers");
    }

    @Test
    void hooksOnFunctionsThisKernelLacksAreSkippedAndReported() {
        Table t = result.table();
        Table drm = t.where(t.stringColumn("source").isEqualTo("hook").and(t.stringColumn("metric").isEqualTo("drm_ioctl")));
        assertEquals("unsupported", drm.stringColumn("status").get(0));
        assertTrue(drm.stringColumn("note").get(0).contains("no function drm_ioctl"));
    }

    @Test
    void everyRowNamesTheVariantThatRan() {
        assertTrue(result.table().stringColumn("variant").asList().stream().allMatch(variant().label()::equals));
    }

    @Test
    void theVerifierAndTheJitSizesOfEveryProgramAreRecorded() {
        for (String program : new String[] {"gamer_enqueue", "gamer_select_cpu", "on_input_event"})
            for (String fact : new String[] {".verified_insns", ".xlated_insns", ".jited_bytes"})
                assertTrue(value("bpf", program + fact) > 0, program + fact);
    }

    @Test
    void everyRowSaysItCameFromTheEmulatedGuest() {
        Table t = result.table();
        assertTrue(t.stringColumn("backend").asList().stream().allMatch("guest-tcg"::equals));
        assertTrue(t.stringColumn("clock").asList().stream().allMatch("tcg-emulated"::equals));
        assertTrue(t.stringColumn("kernel").asList().stream().allMatch(k -> !k.isBlank()));
    }

    @Test
    void softwareCountersAreMeasuredAndMissingHardwareCountersAreNotZeros() {
        assertTrue(value("perf", "task_clock") > 0);
        assertTrue(value("perf", "context_switches") > 0);
        Table t = result.table();
        Table unsupported = t.where(t.stringColumn("status").isEqualTo("unsupported"));
        for (int i = 0; i < unsupported.rowCount(); i++) {
            assertTrue(unsupported.doubleColumn("value").isMissing(i), "an unsupported row carries a value");
            assertTrue(!unsupported.stringColumn("note").get(i).isBlank(), "an unsupported row says no reason");
        }
    }

    private double value(String source, String metric) {
        return value(result.table(), source, metric);
    }

    static double value(Table t, String source, String metric) {
        Table row = t.where(t.stringColumn("source").isEqualTo(source).and(t.stringColumn("metric").isEqualTo(metric)));
        assertEquals(1, row.rowCount(), source + "/" + metric + " rows");
        return row.doubleColumn("value").get(0);
    }
}
