package io.gamerlab.util;

import java.nio.ByteBuffer;
import java.util.Base64;
import java.util.zip.DataFormatException;
import org.HdrHistogram.Histogram;

/**
 * The latency histograms gamerlab records (HdrHistogram, nanoseconds, three significant digits:
 * any value is reported within 0.1 %, values below 2048 exactly) and their text form in a run's
 * table: Base64 of HdrHistogram's compressed encoding. Decoding and adding the histograms of
 * several repetitions gives the histogram of all their samples, exactly as if one run had
 * recorded them all: percentiles of percentiles never have to be averaged.
 */
public final class Histograms {

    /** Three significant digits: 0.1 % resolution, a few KB per histogram however many samples. */
    public static final int SIGNIFICANT_DIGITS = 3;

    private Histograms() { }

    /** An empty histogram of nanoseconds that grows to any value it is given; not thread-safe. */
    public static Histogram create() {
        return new Histogram(SIGNIFICANT_DIGITS);
    }

    /** Nanoseconds in {@code unit}, {@code us} or {@code ms}: the units latencies are reported in. */
    public static double nanosPer(String unit) {
        return switch (unit) {
            case "us" -> 1e3;
            case "ms" -> 1e6;
            default -> throw new IllegalArgumentException("a latency's unit is us or ms, not '" + unit + "'");
        };
    }

    /** Base64 (no line breaks) of the compressed encoding. */
    public static String encode(Histogram histogram) {
        ByteBuffer buffer = ByteBuffer.allocate(histogram.getNeededByteBufferCapacity());
        int length = histogram.encodeIntoCompressedByteBuffer(buffer);
        return Base64.getEncoder().encodeToString(java.util.Arrays.copyOf(buffer.array(), length));
    }

    /** The histogram {@link #encode} wrote; a text that is not one is an error that says so. */
    public static Histogram decode(String text) {
        try {
            return Histogram.decodeFromCompressedByteBuffer(ByteBuffer.wrap(Base64.getDecoder().decode(text.strip())), 0);
        } catch (DataFormatException | IllegalArgumentException | java.nio.BufferUnderflowException e) {
            String start = text.length() > 20 ? text.substring(0, 20) + "..." : text;
            throw new IllegalArgumentException("'" + start + "' is not a Base64-encoded compressed HdrHistogram: " + e.getMessage(), e);
        }
    }
}
