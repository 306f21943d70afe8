package io.gamerlab.workload;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.List;

/**
 * A named pipe standing in for /dev/input/eventN: tests write struct input_event records into it
 * as the kernel would. Opened read-write on this side, so neither end blocks in open().
 */
final class EvdevFifo implements AutoCloseable {

    final Path path;
    private final RandomAccessFile writer;

    EvdevFifo(Path dir) throws IOException {
        path = dir.resolve("event7");
        io.gamerlab.util.Command.run("making a stand-in input device", List.of("mkfifo", path.toString()));
        writer = new RandomAccessFile(path.toFile(), "rw");
    }

    static byte[] event(long seconds, long micros, int type, int code, int value) {
        return ByteBuffer.allocate(EvdevReader.EVENT_BYTES).order(ByteOrder.LITTLE_ENDIAN)
                .putLong(seconds).putLong(micros).putShort((short) type).putShort((short) code).putInt(value).array();
    }

    /** One mouse report stamped now: REL_X by {@code dx}, then SYN_REPORT. */
    static byte[] motion(int dx) {
        long now = EvdevReader.nowMicros();
        ByteBuffer b = ByteBuffer.allocate(2 * EvdevReader.EVENT_BYTES);
        b.put(event(now / 1_000_000, now % 1_000_000, EvdevReader.EV_REL, 0, dx));
        b.put(event(now / 1_000_000, now % 1_000_000, EvdevReader.EV_SYN, EvdevReader.SYN_REPORT, 0));
        return b.array();
    }

    /** The host's end marker as the virtio mouse delivers it: REL_Y by {@code dy}, then SYN_REPORT. */
    static byte[] mouseEndMarker(int dy) {
        long now = EvdevReader.nowMicros();
        ByteBuffer b = ByteBuffer.allocate(2 * EvdevReader.EVENT_BYTES);
        b.put(event(now / 1_000_000, now % 1_000_000, EvdevReader.EV_REL, InputEndMarker.REL_Y, dy));
        b.put(event(now / 1_000_000, now % 1_000_000, EvdevReader.EV_SYN, EvdevReader.SYN_REPORT, 0));
        return b.array();
    }

    void write(byte[] bytes) throws IOException {
        writer.write(bytes);
    }

    @Override
    public void close() throws IOException {
        writer.close();
    }
}
