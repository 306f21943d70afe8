package io.gamerlab.workload;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The input workload's readers on stand-in devices (named pipes written as the kernel writes evdev). */
@Timeout(60)
class HighRateInputWorkloadRunTest {

    @TempDir
    Path dir;

    private static final Settings DEFAULTS = HighRateInputWorkload.KIND.defaults();

    /** A key press and release in one report: two EV_KEY events, then SYN_REPORT. */
    private static byte[] keyPress() {
        long now = EvdevReader.nowMicros();
        ByteBuffer b = ByteBuffer.allocate(3 * EvdevReader.EVENT_BYTES);
        b.put(EvdevFifo.event(now / 1_000_000, now % 1_000_000, 1, 30, 1));
        b.put(EvdevFifo.event(now / 1_000_000, now % 1_000_000, 1, 30, 0));
        b.put(EvdevFifo.event(now / 1_000_000, now % 1_000_000, EvdevReader.EV_SYN, EvdevReader.SYN_REPORT, 0));
        return b.array();
    }

    @Test
    void everyDeviceIsReadOnItsOwnThreadAndEachEventsLatencyCounted() throws Exception {
        try (EvdevFifo mouse = new EvdevFifo(Files.createDirectories(dir.resolve("m")));
             EvdevFifo keyboard = new EvdevFifo(Files.createDirectories(dir.resolve("k")))) {
            AtomicBoolean stop = new AtomicBoolean();
            AtomicLong motions = new AtomicLong();
            AtomicLong presses = new AtomicLong();
            Thread writer = Thread.ofPlatform().daemon().start(() -> {
                try {
                    while (!stop.get()) {
                        mouse.write(EvdevFifo.motion(1));
                        motions.incrementAndGet();
                        keyboard.write(keyPress());
                        presses.incrementAndGet();
                        Thread.sleep(2);
                    }
                } catch (IOException | InterruptedException e) {
                    // the test is over
                }
            });
            Map<String, Path> devices = new LinkedHashMap<>();
            devices.put("mouse", mouse.path);
            devices.put("keyboard", keyboard.path);
            RecordingRoles roles = new RecordingRoles();
            WorkloadReport report = new HighRateInputWorkload(DEFAULTS, () -> devices, false).run(Duration.ofMillis(600), roles);
            stop.set(true);
            writer.join();

            assertTrue(roles.roles.isEmpty(), "the readers are left to the scheduler's evdev_read hook: " + roles.roles);
            assertEquals(2, report.value("devices"));
            double mouseEvents = report.value("mouse_events");
            double keyEvents = report.value("keyboard_events");
            assertTrue(mouseEvents > 10 && mouseEvents <= motions.get(), mouseEvents + " of " + motions.get());
            assertTrue(keyEvents > 20 && keyEvents <= 2 * presses.get(), keyEvents + " of " + 2 * presses.get());
            assertEquals(mouseEvents, report.value("mouse_reports"), "one motion event per report");
            assertEquals(keyEvents, 2 * report.value("keyboard_reports"), "a press and a release per report");
            assertEquals(mouseEvents + keyEvents, report.value("events_read"));
            assertEquals((mouseEvents + keyEvents) / 0.6, report.value("events_read_rate"), 1e-6);
            assertEquals(mouseEvents, report.histogram("mouse_latency").getTotalCount(), "a latency per event");
            assertEquals(keyEvents, report.histogram("keyboard_latency").getTotalCount(), "a latency per event");
            assertEquals(mouseEvents + keyEvents, report.histogram("event_latency").getTotalCount());
            assertEquals(0, report.value("reports_dropped"));
        }
    }

    @Test
    void aReportTheKernelDroppedIsCountedAndItsEventsAreNot() throws Exception {
        try (EvdevFifo mouse = new EvdevFifo(dir)) {
            long now = EvdevReader.nowMicros();
            ByteBuffer b = ByteBuffer.allocate(2 * EvdevReader.EVENT_BYTES);
            b.put(EvdevFifo.event(now / 1_000_000, now % 1_000_000, EvdevReader.EV_REL, 0, 1));  // the start of a lost report
            b.put(EvdevFifo.event(now / 1_000_000, now % 1_000_000, EvdevReader.EV_SYN, EvdevReader.SYN_DROPPED, 0));
            Thread writer = Thread.ofPlatform().daemon().start(() -> {
                try {
                    Thread.sleep(200);  // once the workload has opened its end
                    mouse.write(b.array());
                    mouse.write(EvdevFifo.motion(-1));
                } catch (IOException | InterruptedException e) {
                    // the test is over
                }
            });
            WorkloadReport report = new HighRateInputWorkload(DEFAULTS, () -> Map.of("mouse", mouse.path), false)
                    .run(Duration.ofMillis(600), new RecordingRoles());
            writer.join();
            assertEquals(1, report.value("mouse_dropped"));
            assertEquals(1, report.value("reports_dropped"));
            assertEquals(1, report.value("mouse_reports"));
            assertEquals(1, report.histogram("mouse_latency").getTotalCount(), "only the whole report's event");
        }
    }

    @Test
    void withoutVirtioDevicesItSaysWhereToRunIt() {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> new HighRateInputWorkload(DEFAULTS, Map::of, false).run(Duration.ofMillis(100), new RecordingRoles()));
        assertTrue(e.getMessage().contains("reads QEMU's virtio input devices") && e.getMessage().contains("guest backend"), e.getMessage());
    }
}
