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
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
            String id = "c" + String.format("%0" + width + "d", index) + "-" + HexFormat.of().formatHex(digest).substring(0, 8);
            return new Cell(index, id, variant, workload, repetition, measured);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    /** The condition: what repetitions of it have in common (a control cell is its own condition). */
    public String condition() {
        return variant.label() + " | " + workload.label() + (measured ? "" : " | measurement off");
    }
}
