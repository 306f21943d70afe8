package io.gamerlab.analysis;

import java.util.Arrays;
import java.util.Locale;

/** How the ledger names an enum's constants: lower case ({@code relative_saving}, {@code ns_per_op}, {@code sched_ext}). */
final class LedgerKeys {

    private LedgerKeys() { }

    static String key(Enum<?> constant) {
        return constant.name().toLowerCase(Locale.ROOT);
    }

    /** The constant the ledger names {@code key}; an error names the {@code what}, the key and the valid keys. */
    static <E extends Enum<E>> E byKey(Class<E> type, String key, String what) {
        for (E constant : type.getEnumConstants()) if (key(constant).equals(key)) return constant;
        throw new IllegalArgumentException(what + " '" + key + "' is not one of "
                + Arrays.stream(type.getEnumConstants()).map(LedgerKeys::key).toList());
    }
}
