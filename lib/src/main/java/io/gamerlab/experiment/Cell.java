package io.gamerlab.experiment;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * One run of a sweep: a variant under a workload, one repetition of that condition. A control cell
 * ({@code measured} false) runs with the perf counters and the input-event stream off, so the
 * dataset shows what measuring cost.
 *
 * @param index      its place in the plan, from 1
 * @param id         unique in the experiment and stable for the same plan: the index and a hash of
 *                   the cell's coordinates; it names the cell's file in the dataset
 * @param repetition which repetition of its condition, from 1
 */
public record Cell(int index, String id, VariantChoice variant, WorkloadChoice workload, int repetition, boolean measured) {

    static Cell at(int index, int width, VariantChoice variant, WorkloadChoice workload, int repetition, boolean measured) {
        String key = variant.label() + "|" + workload.label() + "|" + repetition + "|" + (measured ? "on" : "off");
        return new Cell(index, id("c", index, width, key), variant, workload, repetition, measured);
    }

    /**
     * A dataset cell's id: {@code prefix}, its place in the plan zero-padded to {@code width}, and
     * the first 8 hex digits of the SHA-256 of {@code key} (what it runs), e.g. {@code c0007-1a2b3c4d}.
     */
    public static String id(String prefix, int order, int width, String key) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
            return prefix + String.format("%0" + width + "d", order) + "-" + HexFormat.of().formatHex(digest).substring(0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    /** The condition: what repetitions of it have in common (a control cell is its own condition). */
    public String condition() {
        return variant.label() + " | " + workload.label() + (measured ? "" : " | measurement off");
    }
}
