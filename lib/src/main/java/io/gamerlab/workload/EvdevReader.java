package io.gamerlab.workload;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;

/**
 * Reads an evdev device ({@code /dev/input/eventN}) with plain blocking file I/O, as a game's
 * input thread does, and counts what arrives. On x86_64 a {@code struct input_event} is 24 bytes:
 * a {@code struct timeval} (two longs: seconds and microseconds, by default on CLOCK_REALTIME),
 * then u16 type, u16 code and s32 value, little-endian.
 *
 * <p>A read blocks in the kernel until events arrive; {@link Thread#interrupt()} of the reading
 * thread ends it (the JDK signals the blocked thread and closes the channel), which is how the
 * workload stops a reader that no event will ever wake.
 */
final class EvdevReader implements AutoCloseable {

    static final int EVENT_BYTES = 24;
    static final int EV_SYN = 0;
    static final int EV_REL = 2;
    static final int SYN_REPORT = 0;
    static final int SYN_DROPPED = 3;

    private final Path device;
    private final boolean endMarkers;
    private FileChannel channel;
    // evdev hands out whole events only; a pipe (as in tests) may not, so a partial one waits here.
    private final ByteBuffer buffer = ByteBuffer.allocateDirect(64 * EVENT_BYTES).order(ByteOrder.LITTLE_ENDIAN);

    private long reads;
    private long events;
    private long inReport;
    private long relativeEvents;
    private long reports;
    private long drops;
    private boolean markerInReport;
    private long markers;

    /**
     * @param endMarkers whether {@link InputEndMarker} events are told apart: counted as markers, not
     *                   as events, reports or relative motion (only where the host sends them: on a
     *                   real mouse, REL_Y is motion)
     */
    EvdevReader(Path device, boolean endMarkers) {
        this.device = device;
        this.endMarkers = endMarkers;
    }

    /** Opens the device; events the kernel delivered before are not seen (evdev queues per open file). */
    void open() throws IOException {
        channel = FileChannel.open(device, StandardOpenOption.READ);
    }

    /**
     * Called for each SYN_REPORT read: its kernel timestamp and the moment read() returned it, both
     * in µs since the epoch, and how many events (other than SYN) it completed.
     */
    interface ReportListener {
        void report(long kernelMicros, long readMicros, long events);
    }

    /**
     * Blocks until at least one whole event has been read, then accounts for every whole event
     * the read returned; returns their number. End of file (a device that went away) is an IOException.
     */
    int readOnce(ReportListener listener) throws IOException {
        int events = 0;
        while (events == 0) {
            int n = channel.read(buffer);
            if (n < 0) throw new IOException("the input device closed (end of file)");
            long now = nowMicros();
            buffer.flip();
            while (buffer.remaining() >= EVENT_BYTES) {
                int at = buffer.position();
                long seconds = buffer.getLong(at);
                long micros = buffer.getLong(at + 8);
                int type = Short.toUnsignedInt(buffer.getShort(at + 16));
                int code = Short.toUnsignedInt(buffer.getShort(at + 18));
                int value = buffer.getInt(at + 20);
                buffer.position(at + EVENT_BYTES);
                events++;
                if (endMarkers && InputEndMarker.isMarker(type, code, value)) {
                    markerInReport = true;
                    continue;
                }
                if (type != EV_SYN) {
                    this.events++;
                    inReport++;
                }
                if (type == EV_REL) relativeEvents++;
                else if (type == EV_SYN && code == SYN_REPORT) {
                    if (markerInReport) markers++;  // the host's marker is a report of its own
                    else {
                        reports++;
                        listener.report(seconds * 1_000_000L + micros, now, inReport);
                    }
                    inReport = 0;
                    markerInReport = false;
                } else if (type == EV_SYN && code == SYN_DROPPED) {
                    drops++;
                    inReport = 0;  // the kernel discarded the rest of this report
                    markerInReport = false;
                }
            }
            buffer.compact();
        }
        reads++;
        return events;
    }

    /** read() calls that returned at least one whole event. */
    long reads() {
        return reads;
    }

    /** Events other than EV_SYN (and end markers): motion, keys, absolute positions, ... */
    long events() {
        return events;
    }

    /** EV_REL events: relative motion, one per axis that moved. */
    long relativeEvents() {
        return relativeEvents;
    }

    /** SYN_REPORT events: complete reports (one per motion sample of the device). */
    long reports() {
        return reports;
    }

    /** End markers read (reports carrying {@link InputEndMarker} events); 0 unless told apart. */
    long endMarkers() {
        return markers;
    }

    /** SYN_DROPPED events: times the kernel's buffer for this reader overflowed and events were lost. */
    long drops() {
        return drops;
    }

    static long nowMicros() {
        Instant now = Instant.now();
        return now.getEpochSecond() * 1_000_000L + now.getNano() / 1_000;
    }

    @Override
    public void close() throws IOException {
        if (channel != null) channel.close();
    }
}
