package io.gamerlab.util;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Data cache sizes of CPU 0, from {@code /sys/devices/system/cpu/cpu0/cache}. A VM may report
 * made-up values (or none): then the common sizes of a current x86 core are assumed. Benches size
 * their data by them, and workloads that must overflow the last-level cache size their buffers by
 * {@link #llc()}.
 */
public record CacheSizes(long l1d, long l2, long llc) {

    public static final CacheSizes FALLBACK = new CacheSizes(32 << 10, 1 << 20, 32 << 20);

    public static CacheSizes ofThisHost() {
        long l1 = 0, l2 = 0, llc = 0;
        Path dir = Path.of("/sys/devices/system/cpu/cpu0/cache");
        for (int i = 0; i < 8; i++) {
            Path index = dir.resolve("index" + i);
            if (!Files.isDirectory(index)) continue;
            try {
                String type = Files.readString(index.resolve("type")).trim();
                int level = Integer.parseInt(Files.readString(index.resolve("level")).trim());
                long size = parseSize(Files.readString(index.resolve("size")).trim());
                if (type.equals("Instruction")) continue;
                if (level == 1) l1 = size;
                else if (level == 2) l2 = size;
                else if (level >= 3) llc = Math.max(llc, size);
            } catch (IOException | RuntimeException e) {
                // a missing or odd entry: keep what we have, fall back below
            }
        }
        return new CacheSizes(l1 > 0 ? l1 : FALLBACK.l1d, l2 > 0 ? l2 : FALLBACK.l2,
                llc > 0 ? llc : Math.max(FALLBACK.llc, 4 * (l2 > 0 ? l2 : FALLBACK.l2)));
    }

    private static long parseSize(String text) {
        char unit = Character.toUpperCase(text.charAt(text.length() - 1));
        long factor = switch (unit) {
            case 'K' -> 1L << 10;
            case 'M' -> 1L << 20;
            case 'G' -> 1L << 30;
            default -> 1;
        };
        String digits = factor == 1 ? text : text.substring(0, text.length() - 1);
        return Long.parseLong(digits.trim()) * factor;
    }
}
