package io.gamerlab.experiment;

import io.gamerlab.sched.Axis;
import io.gamerlab.sched.Variant;
import io.gamerlab.util.InvalidInputException;
import java.util.Arrays;

/**
 * What schedules a cell's tasks: a build of our scheduler ({@link Variant}), or {@code kernel-default},
 * the kernel's own scheduler with no sched_ext scheduler loaded, the baseline a gaming scheduler
 * must beat.
 */
public record VariantChoice(String label, Variant variant) {

    public static final String KERNEL_DEFAULT = Variant.KERNEL_DEFAULT.label();

    public static VariantChoice of(Variant variant) {
        return new VariantChoice(variant.label(), variant);
    }

    public static VariantChoice kernelDefault() {
        return of(Variant.KERNEL_DEFAULT);
    }

    /** {@code kernel-default}, {@code baseline} or {@code axis=value,...}; an error says what is allowed. */
    public static VariantChoice parse(String field, String text) {
        try {
            return of(Variant.parse(text));
        } catch (IllegalArgumentException e) {
            throw new InvalidInputException(field, text, e.getMessage(), KERNEL_DEFAULT + ", baseline, or axis=value pairs joined by ','"
                    + " with axes " + Arrays.stream(Axis.values()).map(a -> a.key() + " " + a.choices()).toList());
        }
    }

    public boolean isKernelDefault() {
        return variant.isKernelDefault();
    }

    @Override
    public String toString() {
        return label;
    }
}
