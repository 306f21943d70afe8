package io.gamerlab.analysis;

import io.gamerlab.experiment.GuestBackend;
import io.gamerlab.experiment.HostBackend;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * How one claim is measured: the dataset (a directory under {@code datasets/}) and metric, the
 * rows of the control and of the variant (column = value filters; {@code fixed} applies to both;
 * a key that is a variant axis matches that axis in the variant text), the clocks whose timings
 * may decide it, an optional transform of each value and a configuration column whose number then
 * multiplies it ({@code multiply_by}: producers turns a per-producer rate into all producers'), run-level rows to quote beside the verdict
 * ({@code context}), and what it takes to measure where the data is absent: in words
 * ({@code needs}), and what of the machine, checked here ({@code requires}).
 */
public record Measure(String id, String dataset, String metric, String what, Map<String, String> fixed,
                      Map<String, String> control, Map<String, String> variant, List<String> clocks,
                      Transform transform, @JsonProperty("multiply_by") String multiplyBy, List<String> context, List<Requirement> requires, String needs) {

    /** Every clock a dataset row can carry: the host's and each guest accelerator's. */
    public static final Set<String> CLOCKS = Set.copyOf(Stream.concat(Stream.of(HostBackend.CLOCK),
            Stream.of(GuestBackend.Accelerator.values()).map(GuestBackend.Accelerator::clock)).toList());

    public Measure {
        Ledger.require(id, "measure id");
        Ledger.require(dataset, "dataset");
        Ledger.require(metric, "metric");
        Ledger.require(what, "what");
        Ledger.require(needs, "needs");
        Ledger.require(control, "control");
        Ledger.require(variant, "variant");
        Ledger.require(clocks, "clocks");
        fixed = fixed == null ? Map.of() : Map.copyOf(fixed);
        control = Map.copyOf(control);
        variant = Map.copyOf(variant);
        clocks = List.copyOf(clocks);
        transform = transform == null ? Transform.NONE : transform;
        multiplyBy = multiplyBy == null ? "" : multiplyBy;
        context = context == null ? List.of() : List.copyOf(context);
        requires = requires == null ? List.of() : List.copyOf(requires);
        if (control.isEmpty() || control.equals(variant))
            throw new IllegalArgumentException("control and variant must each name what differs between them; were " + control + " and " + variant);
        Set<String> overlap = new HashSet<>(fixed.keySet());
        overlap.retainAll(new HashSet<>(Stream.concat(control.keySet().stream(), variant.keySet().stream()).toList()));
        if (!overlap.isEmpty()) throw new IllegalArgumentException("column(s) " + overlap + " are both fixed and compared");
        if (clocks.isEmpty() || !CLOCKS.containsAll(clocks))
            throw new IllegalArgumentException("clocks " + clocks + " must be one or more of " + CLOCKS);
    }

    /** Why this measure's data is absent here: what it needs, and (with {@code checkMachine}) what of that this machine lacks. */
    public String whatItTakes(boolean checkMachine) {
        List<String> lacking = checkMachine ? requires.stream().flatMap(r -> r.missingHere().stream()).toList() : List.of();
        return "needs " + needs + (lacking.isEmpty() ? "" : "; this machine: " + String.join("; ", lacking));
    }

    /** The comparison in words: what differs, and what is fixed. */
    public String comparison() {
        String fixedText = fixed.isEmpty() ? "" : "; fixed " + pairs(fixed);
        return pairs(variant) + " vs " + pairs(control) + fixedText;
    }

    private static String pairs(Map<String, String> filters) {
        return String.join(",", filters.entrySet().stream().sorted(Map.Entry.comparingByKey())
                .map(e -> e.getKey() + "=" + e.getValue()).toList());
    }
}
