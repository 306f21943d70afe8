package io.gamerlab.cluster;

import java.util.ArrayList;
import java.util.List;

/**
 * Slurm's notation for a set of array task indices, as {@code scontrol} and {@code sacct} print the
 * tasks not yet split off a pending array: {@code 3}, {@code 0-4}, {@code [1,3-5]}, with an optional
 * {@code %N} limit of tasks at once (and {@code :step}) after a range.
 */
final class ArrayRange {

    private ArrayRange() { }

    static List<Integer> indices(String text) {
        String s = text.strip();
        if (s.startsWith("[") && s.endsWith("]")) s = s.substring(1, s.length() - 1);
        int limit = s.indexOf('%');
        if (limit >= 0) s = s.substring(0, limit);
        List<Integer> indices = new ArrayList<>();
        try {
            for (String part : s.split(",")) {
                int step = 1;
                int colon = part.indexOf(':');
                if (colon >= 0) {
                    step = Integer.parseInt(part.substring(colon + 1));
                    part = part.substring(0, colon);
                }
                int dash = part.indexOf('-');
                int from = Integer.parseInt(dash < 0 ? part : part.substring(0, dash));
                int to = dash < 0 ? from : Integer.parseInt(part.substring(dash + 1));
                if (step < 1 || to < from) throw new NumberFormatException(part);
                for (int i = from; i <= to; i += step) indices.add(i);
            }
        } catch (NumberFormatException e) {
            throw new IllegalStateException("Slurm printed the array tasks '" + text + "', which is not its range notation", e);
        }
        return indices;
    }
}
