package io.gamerlab.workload;

import io.gamerlab.sched.RoleRegistry;
import io.gamerlab.util.Histograms;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.ClosedChannelException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.HdrHistogram.Histogram;

/**
 * Input at a high rate from several devices at once: the seed's "1000+ FPS mouse movement" that
 * stresses the scheduler's input-event ring buffers. Real events: the host drives the guest's QEMU
 * virtio mouse, keyboard and tablet through QMP (the guest backend's injector, at the rates these
 * parameters ask), and they pass the guest kernel's input core, where the scheduler's
 * {@code input_event} hook sees each one, to evdev. Here one thread per device (declaring nothing:
 * the {@code evdev_read} hook classifies readers) reads its device with blocking reads.
 *
 * <p>The parameters are what the host is asked to send; the guest reads whatever arrives. Reports,
 * per device ({@code mouse_}, {@code keyboard_}, {@code tablet_}, for those present): events read,
 * reports (SYN_REPORT), reports the kernel dropped for this reader (SYN_DROPPED: its evdev buffer
 * overflowed), and each event's latency from the kernel's timestamp to the read that returned it;
 * and in all: devices, events read and their rate over the window, drops, per-event latency. The
 * host injects for the first half of the window only (the guest's console, which tells it the
 * window started and ended, reaches it late), so the rate over the window is about half the rate
 * while injecting. In a guest whose host injects, each reader reads past the window until it has
 * read the host's {@link InputEndMarker} on its device (at most {@link InputEndMarker#wait}), so
 * it reads everything sent before the marker; markers are counted apart ({@code <device>_end_markers_read},
 * and {@code input_end_marker_seen}: 1 if every device's reader read one). The injector's own account (asked, sent, held back by QEMU, late, acknowledged,
 * the acknowledged rate while sending) joins the run's table as {@code injector} rows, and the
 * scheduler's ring-buffer account (events, drops, gaps) as {@code input} rows.
 */
public final class HighRateInputWorkload implements Workload {

    public static final Parameter<Integer> MOTION_RATE = Parameter.count("motion_rate",
            "mouse motion events per second the host is asked to send", 10_000, 1, 1_000_000);
    public static final Parameter<Integer> EVENTS_PER_REPORT = Parameter.count("events_per_report",
            "motion events per mouse report (one QMP command, one SYN_REPORT); at most motion_rate", 10, 1, 64);
    public static final Parameter<Integer> KEY_RATE = Parameter.count("key_rate",
            "key presses per second on the virtio keyboard (a press and a release each)", 100, 0, 100);
    public static final Parameter<Integer> TABLET_RATE = Parameter.count("tablet_rate",
            "virtio tablet moves per second (an ABS_X and an ABS_Y each)", 1_000, 0, 100_000);
    public static final Parameter<Integer> IN_FLIGHT = Parameter.count("in_flight",
            "mouse reports the host keeps awaiting QEMU's reply, at most", 32, 1, 1024);

    public static final WorkloadKind KIND = new WorkloadKind("input",
            "real input from the virtio mouse, keyboard and tablet at once, at the rates asked of the host's injector",
            List.of(MOTION_RATE, EVENTS_PER_REPORT, KEY_RATE, TABLET_RATE, IN_FLIGHT), HighRateInputWorkload::check,
            s -> new HighRateInputWorkload(s, InputDevices::virtio, InputEndMarker.expected()));

    private final Settings settings;
    private final Supplier<Map<String, Path>> devices;
    private final boolean awaitEndMarker;

    /**
     * @param devices        finds the devices to read, by kind (mouse, keyboard, tablet), when the run starts
     * @param awaitEndMarker each reader reads past the window until the host's {@link InputEndMarker} on its device
     */
    HighRateInputWorkload(Settings settings, Supplier<Map<String, Path>> devices, boolean awaitEndMarker) {
        this.settings = settings;
        this.devices = devices;
        this.awaitEndMarker = awaitEndMarker;
    }

    private static void check(Settings s) {
        if (s.get(EVENTS_PER_REPORT) > s.get(MOTION_RATE))
            throw new IllegalArgumentException("input: events_per_report=" + s.get(EVENTS_PER_REPORT) + " must be at most motion_rate="
                    + s.get(MOTION_RATE) + " (at least one report a second)");
    }

    @Override
    public String name() {
        return settings.text();
    }

    /** One device and what was read from it. */
    private record Device(String kind, Path path, EvdevReader reader, Histogram latency) { }

    @Override
    public WorkloadReport run(Duration duration, RoleRegistry roles) throws InterruptedException {
        Map<String, Path> found = this.devices.get();
        if (found.isEmpty())
            throw new IllegalStateException("the input workload reads QEMU's virtio input devices (its Virtio Mouse, Keyboard and"
                    + " Tablet) and this machine has none: run it in the guest backend");
        List<Device> devices = new ArrayList<>();
        found.forEach((kind, path) -> devices.add(new Device(kind, path, new EvdevReader(path, awaitEndMarker), Histograms.create())));
        AtomicInteger opened = new AtomicInteger();
        Crew crew = new Crew(roles);
        List<Thread> readers = new ArrayList<>();
        for (Device d : devices) {
            readers.add(crew.add("input-" + d.kind(), null, () -> {
                d.reader().open();
                // The last reader to open says so: the host injects from then on.
                if (opened.incrementAndGet() == devices.size()) {
                    System.out.println(InputDevices.READING_INPUT + devices.stream().map(x -> x.path().toString()).collect(Collectors.joining(" ")));
                    System.out.flush();
                }
                read(d, crew, awaitEndMarker);
            }));
        }
        try {
            // A reader blocked in read() with no event coming wakes only by an interrupt; readers
            // awaiting the host's end marker get a bounded while to read it first.
            Duration markerWait = awaitEndMarker ? InputEndMarker.wait(duration) : Duration.ZERO;
            crew.run(duration, () -> Crew.stopReaders(readers, markerWait));
        } finally {
            for (Device d : devices) closeQuietly(d.reader());
            System.out.println(InputDevices.STOPPED_READING + devices.stream().map(d -> d.reader().events() + " " + d.kind() + " events")
                    .collect(Collectors.joining(", ")));
            System.out.flush();
        }
        WorkloadReport.Builder report = new WorkloadReport.Builder().count("devices", devices.size());
        Histogram all = Histograms.create();
        long events = 0;
        long dropped = 0;
        boolean everyMarkerSeen = true;
        for (Device d : devices) {
            report.count(d.kind() + "_events", d.reader().events())
                    .count(d.kind() + "_reports", d.reader().reports())
                    .count(d.kind() + "_dropped", d.reader().drops())
                    .latency(d.kind() + "_latency", d.latency(), "us");
            if (awaitEndMarker) report.count(d.kind() + "_end_markers_read", d.reader().endMarkers());
            everyMarkerSeen &= d.reader().endMarkers() > 0;
            all.add(d.latency());
            events += d.reader().events();
            dropped += d.reader().drops();
        }
        if (awaitEndMarker) report.count("input_end_marker_seen", everyMarkerSeen ? 1 : 0);
        return report.count("events_read", events)
                .value("events_read_rate", "events/s", events / (duration.toNanos() / 1e9))
                .count("reports_dropped", dropped)
                .latency("event_latency", all, "us")
                .build();
    }

    /** Reads until stopped (and, awaiting it, the end marker read); each report's latency counts once per event in it. */
    private static void read(Device d, Crew crew, boolean awaitEndMarker) {
        try {
            while (!crew.stopping() || (awaitEndMarker && d.reader().endMarkers() == 0))
                d.reader().readOnce((kernelMicros, readMicros, events) -> {
                    if (events > 0) d.latency().recordValueWithCount(Math.max(0, readMicros - kernelMicros) * 1_000, events);
                });
        } catch (ClosedChannelException stop) {
            // the window is over
        } catch (IOException e) {
            if (!crew.stopping()) throw new UncheckedIOException("reading " + d.kind() + " input from " + d.path() + " failed", e);
        }
    }

    private static void closeQuietly(EvdevReader reader) {
        try {
            reader.close();
        } catch (IOException ignored) {
            // closed by the interrupt already
        }
    }
}
