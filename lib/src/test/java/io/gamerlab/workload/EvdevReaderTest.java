package io.gamerlab.workload;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.channels.ClosedByInterruptException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The evdev reader on a named pipe: record layout, counting, partial records, and stopping a blocked read. */
@Timeout(20)
class EvdevReaderTest {

    @TempDir
    Path dir;

    private EvdevFifo fifo;
    private EvdevReader reader;

    @BeforeEach
    void open() throws IOException {
        fifo = new EvdevFifo(dir);
        reader = new EvdevReader(fifo.path, true);
        reader.open();
    }

    @AfterEach
    void close() throws IOException {
        reader.close();
        fifo.close();
    }

    @Test
    void countsRelativeEventsReportsAndDrops() throws IOException {
        fifo.write(EvdevFifo.motion(1));
        fifo.write(EvdevFifo.motion(-1));
        fifo.write(EvdevFifo.event(1, 2, EvdevReader.EV_SYN, EvdevReader.SYN_DROPPED, 0));
        fifo.write(EvdevFifo.event(1, 2, 1, 272, 1));  // EV_KEY BTN_LEFT: neither motion nor a report
        List<long[]> reports = new ArrayList<>();
        int events = 0;
        while (events < 6) events += reader.readOnce((kernel, read, inReport) -> reports.add(new long[] {kernel, read, inReport}));
        assertEquals(6, events);
        assertEquals(2, reader.relativeEvents());
        assertEquals(3, reader.events(), "two motions and a button, not the SYNs");
        assertEquals(2, reader.reports());
        assertEquals(1, reader.drops());
        assertTrue(reader.reads() >= 1 && reader.reads() <= 6);
        assertEquals(2, reports.size());
        for (long[] r : reports) assertTrue(r[1] >= r[0] && r[1] - r[0] < 5_000_000, Arrays.toString(r));
        for (long[] r : reports) assertEquals(1, r[2], "one motion event in each report");
    }

    /**
     * The host's end markers (the mouse's REL_Y, the keyboard's KEY_B, the tablet at 0x7fff) are
     * counted as markers, in no other count, by a reader told to expect them; one that is not
     * counts them as the input they are on a real device.
     */
    @Test
    void endMarkersAreToldApartOnlyWhenExpected() throws Exception {
        byte[] keyMarker = java.nio.ByteBuffer.allocate(3 * EvdevReader.EVENT_BYTES)
                .put(EvdevFifo.event(1, 2, 1, InputEndMarker.KEY_B, 1)).put(EvdevFifo.event(1, 2, 1, InputEndMarker.KEY_B, 0))
                .put(EvdevFifo.event(1, 2, EvdevReader.EV_SYN, EvdevReader.SYN_REPORT, 0)).array();
        byte[] tabletMarker = java.nio.ByteBuffer.allocate(3 * EvdevReader.EVENT_BYTES)
                .put(EvdevFifo.event(1, 2, 3, 0, InputEndMarker.TABLET_POSITION)).put(EvdevFifo.event(1, 2, 3, 1, InputEndMarker.TABLET_POSITION))
                .put(EvdevFifo.event(1, 2, EvdevReader.EV_SYN, EvdevReader.SYN_REPORT, 0)).array();
        for (byte[] bytes : List.of(EvdevFifo.motion(1), EvdevFifo.mouseEndMarker(1), keyMarker, tabletMarker, EvdevFifo.motion(-1)))
            fifo.write(bytes);
        List<Long> reports = new ArrayList<>();
        int events = 0;
        while (events < 12) events += reader.readOnce((k, r, n) -> reports.add(n));
        assertEquals(3, reader.endMarkers());
        assertEquals(2, reader.relativeEvents(), "the two motions, not the marker's REL_Y");
        assertEquals(2, reader.events());
        assertEquals(2, reader.reports());
        assertEquals(List.of(1L, 1L), reports, "markers are no reports to the listener");

        Path other = java.nio.file.Files.createDirectory(dir.resolve("plain"));
        try (EvdevFifo plainFifo = new EvdevFifo(other); EvdevReader plain = new EvdevReader(plainFifo.path, false)) {
            plain.open();
            plainFifo.write(EvdevFifo.mouseEndMarker(1));
            int read = 0;
            while (read < 2) read += plain.readOnce((k, r, n) -> { });
            assertEquals(0, plain.endMarkers());
            assertEquals(1, plain.relativeEvents(), "REL_Y is motion on a real mouse");
            assertEquals(1, plain.reports());
        }
    }

    @Test
    void theKernelTimestampIsSecondsAndMicroseconds() throws IOException {
        fifo.write(EvdevFifo.event(1_700_000_000L, 123_456, EvdevReader.EV_SYN, EvdevReader.SYN_REPORT, 0));
        AtomicReference<Long> kernel = new AtomicReference<>();
        reader.readOnce((k, r, n) -> kernel.set(k));
        assertEquals(1_700_000_000_123_456L, kernel.get());
    }

    @Test
    void aRecordSplitAcrossWritesIsReadWhole() throws Exception {
        byte[] report = EvdevFifo.motion(1);
        fifo.write(Arrays.copyOfRange(report, 0, 10));
        Thread late = Thread.ofPlatform().start(() -> {
            try {
                Thread.sleep(200);
                fifo.write(Arrays.copyOfRange(report, 10, report.length));
            } catch (IOException | InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        int events = 0;
        while (events < 2) events += reader.readOnce((k, r, n) -> { });
        late.join();
        assertEquals(1, reader.relativeEvents());
        assertEquals(1, reader.reports());
    }

    @Test
    void anInterruptEndsAReadThatNoEventWillWake() throws Exception {
        AtomicReference<Throwable> ended = new AtomicReference<>();
        Thread blocked = Thread.ofPlatform().start(() -> {
            try {
                reader.readOnce((k, r, n) -> { });
            } catch (IOException e) {
                ended.set(e);
            }
        });
        Thread.sleep(300);
        assertTrue(blocked.isAlive(), "the read blocks while there is nothing to read");
        blocked.interrupt();
        blocked.join(5_000);
        assertFalse(blocked.isAlive());
        assertInstanceOf(ClosedByInterruptException.class, ended.get());
    }
}
