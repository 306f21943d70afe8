package io.gamerlab.workload;

import io.gamerlab.sched.RoleRegistry;
import io.gamerlab.util.Histograms;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.Pipe;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.HdrHistogram.Histogram;

/**
 * Many threads waking each other across all CPUs, as hackbench ({@code perf bench sched
 * messaging}) does in thread and pipe mode: {@code groups} groups of {@code fds} senders and
 * {@code fds} receivers; each receiver reads its own pipe, and every sender of its group writes
 * messages to every receiver of the group in turn, as fast as the pipes take them. A full pipe
 * puts its senders to sleep and an empty one its receiver, so every message can mean a wake-up,
 * from whichever CPU the writer or reader is on. The threads declare no role: this is the
 * unclassified background a gaming scheduler must keep fair.
 *
 * <p>{@link Pipe} is a kernel pipe ({@code pipe(2)}); its reads and writes are plain
 * {@code read(2)}/{@code write(2)} calls. A message (at most 4 KiB, so a write is atomic and never
 * interleaves with another sender's) begins with its send time.
 *
 * <p>Reports messages received and their rate over the window, and each message's latency from
 * the moment its write began to the moment the receiver's read returned it (p50/p99/p99.9/max).
 * It is a closed loop, as hackbench is: a sender blocked on a full pipe sends nothing meanwhile,
 * so the rate carries the stalls and the latency the queueing of the messages that were sent.
 */
public final class WakeStormWorkload implements Workload {

    public static final Parameter<Integer> GROUPS = Parameter.count("groups",
            "messaging groups (hackbench -g)", 2, 1, 64);
    public static final Parameter<Integer> FDS = Parameter.count("fds",
            "senders, and receivers, per group (hackbench -f)", 4, 1, 64);
    public static final Parameter<Long> MESSAGE = Parameter.bytes("message",
            "bytes per message (hackbench -s), at most a page so that each write is atomic", "100B", "8B", "4KiB");

    public static final WorkloadKind KIND = new WorkloadKind("wakestorm",
            "hackbench-style messaging groups: sender and receiver threads waking each other through pipes on every CPU",
            List.of(GROUPS, FDS, MESSAGE), s -> { }, WakeStormWorkload::new);

    private final Settings settings;

    private WakeStormWorkload(Settings settings) {
        this.settings = settings;
    }

    @Override
    public String name() {
        return settings.text();
    }

    /** One receiver: its pipe, and what it read. */
    private static final class Receiver {
        final Pipe pipe;
        final Histogram latency = Histograms.create();
        long messages;

        Receiver() {
            try {
                pipe = Pipe.open();
            } catch (IOException e) {
                throw new UncheckedIOException("opening a pipe for the wake storm", e);
            }
        }

        void close() {
            try {
                pipe.sink().close();
                pipe.source().close();
            } catch (IOException ignored) {
                // closing only to stop the threads blocked on it
            }
        }
    }

    @Override
    public WorkloadReport run(Duration duration, RoleRegistry roles) throws InterruptedException {
        int groups = settings.get(GROUPS);
        int fds = settings.get(FDS);
        int size = Math.toIntExact(settings.get(MESSAGE));
        List<Receiver> receivers = new ArrayList<>();
        Crew crew = new Crew(roles);
        try {
            for (int g = 0; g < groups; g++) {
                List<Receiver> group = new ArrayList<>();
                for (int r = 0; r < fds; r++) group.add(new Receiver());
                receivers.addAll(group);
                for (int r = 0; r < fds; r++) {
                    Receiver receiver = group.get(r);
                    crew.add("storm-g" + g + "-recv" + r, null, () -> receive(receiver, size));
                }
                for (int s = 0; s < fds; s++) crew.add("storm-g" + g + "-send" + s, null, () -> send(group, size, crew));
            }
            // Threads blocked in read() or write() wake when their pipe closes.
            crew.run(duration, () -> receivers.forEach(Receiver::close));
        } finally {
            receivers.forEach(Receiver::close);
        }
        Histogram latency = Histograms.create();
        long messages = 0;
        for (Receiver r : receivers) {
            latency.add(r.latency);
            messages += r.messages;
        }
        return new WorkloadReport.Builder()
                .count("threads", 2L * groups * fds)
                .count("messages", messages)
                .value("message_rate", "messages/s", messages / (duration.toNanos() / 1e9))
                .latency("message_latency", latency, "us")
                .build();
    }

    private static void send(List<Receiver> group, int size, Crew crew) throws IOException {
        ByteBuffer message = ByteBuffer.allocateDirect(size).order(ByteOrder.LITTLE_ENDIAN);
        while (!crew.stopping()) {
            for (Receiver r : group) {
                message.clear();
                message.putLong(0, System.nanoTime());
                while (message.hasRemaining()) r.pipe.sink().write(message);
            }
        }
    }

    private static void receive(Receiver r, int size) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocateDirect(64 * 1024 / size * size).order(ByteOrder.LITTLE_ENDIAN);
        while (r.pipe.source().read(buffer) >= 0) {
            long now = System.nanoTime();
            buffer.flip();
            while (buffer.remaining() >= size) {
                r.latency.recordValue(Math.max(0, now - buffer.getLong(buffer.position())));
                r.messages++;
                buffer.position(buffer.position() + size);
            }
            buffer.compact();
        }
    }
}
