package io.gamerlab.experiment;

import io.gamerlab.sched.Fault;
import io.gamerlab.sched.Tunables;
import io.gamerlab.sched.Variant;
import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

/**
 * Schedulers to run one after another under the same stress ({@link StressCheck}), in a form that
 * crosses into a guest as a properties file.
 *
 * @param duration how long stress-ng runs under each scheduler
 */
public record StressPlan(Duration duration, List<Subject> subjects) {

    /**
     * One scheduler: a build of ours ({@code variant}, with a {@code fault} or none, loaded with
     * {@code tunables}), or another loader started as a process ({@code command}) whose ops show
     * as {@code ops} in /sys/kernel/sched_ext/root/ops.
     *
     * @param label what its rows carry in the variant column
     */
    public record Subject(String label, Variant variant, Fault fault, Tunables tunables, List<String> command, String ops) {

        public Subject {
            if (label.isBlank() || label.contains("\n")) throw new IllegalArgumentException("a subject needs a one-line label, was '" + label + "'");
            command = List.copyOf(command);
            if ((variant == null) == command.isEmpty())
                throw new IllegalArgumentException("subject " + label + " must be either a variant of ours or a command, not "
                        + (variant == null ? "neither" : "both"));
        }

        /** A variant of ours, as built. */
        public static Subject ours(Variant variant, Tunables tunables) {
            return new Subject(variant.label(), variant, null, tunables, List.of(), null);
        }

        /** A variant of ours with a defect built in. */
        public static Subject faulty(Variant variant, Fault fault) {
            return new Subject(variant.label() + ",fault=" + fault.name().toLowerCase(java.util.Locale.ROOT), variant, fault,
                    Tunables.defaults(), List.of(), null);
        }

        /** Another loader, e.g. the kernel's scx_simple. */
        public static Subject external(String label, List<String> command, String ops) {
            return new Subject(label, null, null, Tunables.defaults(), command, ops);
        }

        public boolean isOurs() {
            return variant != null;
        }
    }

    public StressPlan {
        if (!duration.isPositive()) throw new IllegalArgumentException("the stress duration must be > 0, was " + duration);
        subjects = List.copyOf(subjects);
        if (subjects.isEmpty()) throw new IllegalArgumentException("a stress plan needs at least one scheduler");
    }

    public void write(Writer out) throws IOException {
        Properties p = new Properties();
        p.setProperty("duration", duration.toString());
        for (int i = 0; i < subjects.size(); i++) {
            Subject s = subjects.get(i);
            String prefix = "subject." + i + ".";
            p.setProperty(prefix + "label", s.label());
            if (s.isOurs()) {
                p.setProperty(prefix + "variant", s.variant().label());
                if (s.fault() != null) p.setProperty(prefix + "fault", s.fault().name());
                s.tunables().asProperties().forEach((k, v) -> p.setProperty(prefix + "tunable." + k, v));
            } else {
                p.setProperty(prefix + "command", String.join(" ", s.command()));
                p.setProperty(prefix + "ops", s.ops());
            }
        }
        p.store(out, "gamerlab stress plan");
    }

    public static StressPlan read(Reader in) throws IOException {
        Properties p = new Properties();
        p.load(in);
        List<Subject> subjects = new ArrayList<>();
        for (int i = 0; p.getProperty("subject." + i + ".label") != null; i++) {
            String prefix = "subject." + i + ".";
            String label = p.getProperty(prefix + "label");
            if (p.getProperty(prefix + "variant") != null) {
                Map<String, String> tunables = new TreeMap<>();
                for (String key : p.stringPropertyNames())
                    if (key.startsWith(prefix + "tunable.")) tunables.put(key.substring((prefix + "tunable.").length()), p.getProperty(key));
                String fault = p.getProperty(prefix + "fault");
                subjects.add(new Subject(label, Variant.parse(p.getProperty(prefix + "variant")),
                        fault == null ? null : Fault.valueOf(fault), Tunables.fromProperties(tunables), List.of(), null));
            } else {
                subjects.add(Subject.external(label, List.of(p.getProperty(prefix + "command").split(" ")), p.getProperty(prefix + "ops")));
            }
        }
        return new StressPlan(Duration.parse(p.getProperty("duration")), subjects);
    }
}
