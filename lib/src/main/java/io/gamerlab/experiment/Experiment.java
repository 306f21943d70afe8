package io.gamerlab.experiment;

import io.gamerlab.sched.Tunables;
import io.gamerlab.util.InvalidInputException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A declared sweep: every variant under every workload, {@code repetitions} times, each cell a
 * warm-up (discarded) then a measured run of {@code duration}, in an order drawn from {@code seed}
 * ({@link Plan}). Read from an experiment file ({@link ExperimentFile}) or built in Java
 * ({@link #named}); the same checks apply to both.
 *
 * @param name        names the dataset directory, {@code datasets/<name>/}
 * @param backend     where cells run: {@code auto}, {@code host} or {@code guest}
 */
public record Experiment(String name, String description, List<VariantChoice> variants, List<WorkloadChoice> workloads,
                         Tunables tunables, int repetitions, Duration warmup, Duration duration, long seed, String backend) {

    static final String NAME = "[a-z0-9][a-z0-9._-]{0,63}";
    static final int MAX_REPETITIONS = 1000;
    static final int MAX_CELLS = 100_000;
    static final Duration MAX_DURATION = Duration.ofHours(1);
    static final List<String> BACKENDS = List.of("auto", "host", "guest");

    public Experiment {
        if (description == null) description = "";
        if (variants == null || workloads == null || tunables == null || warmup == null || duration == null || backend == null)
            throw new IllegalArgumentException("an experiment needs variants, workloads, tunables, warm-up, duration and backend; one was null");
        if (name == null || !name.matches(NAME))
            throw new InvalidInputException("name", name, "is not an experiment name",
                    "lower-case letters, digits, '.', '_' and '-', starting with a letter or digit, at most 64 characters");
        if (description.length() > 2000)
            throw new InvalidInputException("description", description, "is too long (" + description.length() + " characters)", "at most 2000 characters");
        variants = List.copyOf(variants);
        workloads = List.copyOf(workloads);
        requireDistinct("variants", variants.stream().map(VariantChoice::label).toList(), "kernel-default or variants such as ringbuf=percpu");
        requireDistinct("workloads", workloads.stream().map(WorkloadChoice::label).toList(), "workloads such as gameloop with parameters");
        if (repetitions < 1 || repetitions > MAX_REPETITIONS)
            throw new InvalidInputException("repetitions", repetitions, "is out of range", "a whole number from 1 to " + MAX_REPETITIONS);
        DurationText.check("warmup", warmup, Duration.ZERO, MAX_DURATION);
        DurationText.check("duration", duration, Duration.ofSeconds(1), MAX_DURATION);
        if (!BACKENDS.contains(backend))
            throw new InvalidInputException("backend", backend, "is not a backend", String.join(", ", BACKENDS));
        long cells = (long) variants.size() * workloads.size() * repetitions;
        if (cells > MAX_CELLS)
            throw new InvalidInputException("repetitions", repetitions, variants.size() + " variants x " + workloads.size()
                    + " workloads x " + repetitions + " repetitions make " + cells + " cells", "at most " + MAX_CELLS + " cells in all");
    }

    private static void requireDistinct(String field, List<String> labels, String allowed) {
        if (labels.isEmpty()) throw new InvalidInputException(field, "[]", "is empty", "at least one of " + allowed);
        Set<String> seen = new HashSet<>();
        for (String label : labels)
            if (!seen.add(label)) throw new InvalidInputException(field, label, "is listed twice", "each one once");
    }

    /** The first step of building one in Java: {@code Experiment.named("x").variants(...)...build()}. */
    public static Builder named(String name) {
        return new Builder(name);
    }

    /** This experiment run on another backend (what {@code --backend} does). */
    public Experiment onBackend(String other) {
        return new Experiment(name, description, variants, workloads, tunables, repetitions, warmup, duration, seed, other);
    }

    /** Builds an {@link Experiment}; every value is checked by its constructor, as a file's would be. */
    public static final class Builder {
        private final String name;
        private String description = "";
        private final List<VariantChoice> variants = new ArrayList<>();
        private final List<WorkloadChoice> workloads = new ArrayList<>();
        private Tunables tunables = Tunables.defaults();
        private int repetitions = 1;
        private Duration warmup = Duration.ZERO;
        private Duration duration;
        private Long seed;
        private String backend = "auto";

        private Builder(String name) {
            this.name = name;
        }

        public Builder description(String text) {
            description = text;
            return this;
        }

        /** Variant texts ({@code ringbuf=percpu,batch=8}, {@code baseline}) or {@code kernel-default}. */
        public Builder variants(String... texts) {
            for (String t : texts) variants.add(VariantChoice.parse("variants[" + variants.size() + "]", t));
            return this;
        }

        public Builder variant(VariantChoice choice) {
            variants.add(choice);
            return this;
        }

        public Builder workload(String workloadName, Map<String, String> params) {
            workloads.add(WorkloadChoice.of("workloads[" + workloads.size() + "]", workloadName, params));
            return this;
        }

        public Builder tunables(Tunables value) {
            tunables = value;
            return this;
        }

        public Builder repetitions(int value) {
            repetitions = value;
            return this;
        }

        public Builder warmup(Duration value) {
            warmup = value;
            return this;
        }

        public Builder duration(Duration value) {
            duration = value;
            return this;
        }

        public Builder seed(long value) {
            seed = value;
            return this;
        }

        public Builder backend(String value) {
            backend = value;
            return this;
        }

        public Experiment build() {
            if (duration == null) throw new InvalidInputException("duration", null, "is not set", "a measured duration from 1s to 1h");
            if (seed == null) throw new InvalidInputException("seed", null, "is not set", "any whole number; it is recorded and fixes the order of cells");
            return new Experiment(name, description, variants, workloads, tunables, repetitions, warmup, duration, seed, backend);
        }
    }
}
