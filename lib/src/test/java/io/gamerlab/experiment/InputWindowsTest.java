package io.gamerlab.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gamerlab.workload.InputDevices;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Which run of a multi-run boot each injection window belongs to, read from a console written as
 * the guest writes it; an injector is made ready for each run as it starts, and one whose run
 * never read is dropped. No QEMU answers here (the socket does not exist), so each window's account
 * is empty: what is checked is that a window opens and closes with the lines, for the right run,
 * with that run's plan, and that a run planned none gets none.
 */
@Timeout(60)
class InputWindowsTest {

    @TempDir
    Path dir;

    private void say(Path console, String line) throws IOException, InterruptedException {
        Files.writeString(console, line + "\n", StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        Thread.sleep(150);  // a few of the watcher's polls
    }

    @Test
    void eachWindowIsInjectedForTheRunThatOpenedItWithThatRunsPlan() throws Exception {
        Path console = dir.resolve("console.log");
        List<Integer> asked = new ArrayList<>();
        InputWindows windows = InputWindows.start(dir.resolve("no-qmp.sock"), console, run -> {
            synchronized (asked) {
                asked.add(run);
            }
            return run == 3 ? null : new InputWindows.Plan(new InputInjector.Settings(100 + run, 1, 1), Duration.ofSeconds(1), Duration.ZERO);
        }, () -> true);
        say(console, GuestMain.STARTING_RUN + "0 (a): kernel-default, pipeline");
        say(console, GuestMain.STARTING_RUN + "1 (b): kernel-default, input");
        say(console, InputDevices.READING_INPUT + "/dev/input/event1 /dev/input/event2");
        say(console, InputDevices.STOPPED_READING + "7 mouse events");
        Thread.sleep(2_500);  // the first window's injector stops (within its two seconds) before the next opens
        say(console, GuestMain.STARTING_RUN + "2 (c): baseline, wakestorm");
        say(console, GuestMain.STARTING_RUN + "3 (d): baseline, input, planned no injection");
        say(console, InputDevices.READING_INPUT + "/dev/input/event1");
        say(console, InputDevices.STOPPED_READING + "0 mouse events");
        say(console, GuestMain.STARTING_RUN + "4 (e): baseline, input");
        say(console, InputDevices.READING_INPUT + "/dev/input/event1");
        Map<Integer, InputInjector.Stats> byRun = windows.stop();  // the guest stops while run 4 still reads
        assertEquals(Set.of(1, 4), byRun.keySet());
        synchronized (asked) {
            assertTrue(asked.containsAll(List.of(1, 3, 4)) && asked.stream().allMatch(run -> run <= 4), asked.toString());
        }
        assertEquals(0, byRun.get(1).eventsSent(), "nobody answered on the socket");
    }

    @Test
    void aBootWithoutReadingLinesInjectsNothing() throws Exception {
        Path console = dir.resolve("console.log");
        InputWindows windows = InputWindows.start(dir.resolve("no-qmp.sock"), console,
                run -> new InputWindows.Plan(InputInjector.Settings.standard(), Duration.ofSeconds(1), Duration.ZERO), () -> true);
        say(console, GuestMain.STARTING_RUN + "0 (a): baseline, pipeline");
        assertEquals(Map.of(), windows.stop());
    }

    @Test
    void aRunWithAWarmUpHasItsFirstWindowTimedByTheWarmUpAndEveryLaterOneByItsMeasuredWindow() {
        RunSpec spec = RunSpec.of(io.gamerlab.sched.Variant.BASELINE, Duration.ofSeconds(6), "abc").withWarmup(Duration.ofSeconds(1));
        InputWindows.Plan plan = new InputWindows.Plan(InputInjector.Settings.standard(), GuestBackend.injectionTimings(spec));
        InputWindows.Timing warmup = plan.timing(0);
        InputWindows.Timing measured = plan.timing(1);
        assertEquals(GuestBackend.injectionWindow(Duration.ofSeconds(1)), warmup.window());
        assertEquals(GuestBackend.endMarkerTime(Duration.ofSeconds(1)), warmup.endMarkers());
        assertEquals(GuestBackend.injectionWindow(Duration.ofSeconds(6)), measured.window());
        assertEquals(GuestBackend.endMarkerTime(Duration.ofSeconds(6)), measured.endMarkers());
        assertEquals(measured, plan.timing(2));

        InputWindows.Plan noWarmup = new InputWindows.Plan(InputInjector.Settings.standard(), GuestBackend.injectionTimings(spec.withWarmup(Duration.ZERO)));
        assertEquals(measured, noWarmup.timing(0));
        assertEquals(1, noWarmup.timings().size());
    }
}
