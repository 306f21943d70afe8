package io.gamerlab.analysis;

import io.gamerlab.analysis.Figures.Figure;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

/**
 * One {@link Hypothesis} computed from the datasets: its claims as the ledger states them, how
 * they are measured, tables and figures of the repetitions with 95 % bootstrap intervals, and the
 * verdicts. What a hypothesis notebook shows cell by cell and what its paper writes, e.g.
 * <pre>{@code
 * var chapter = Chapter.of(Hypothesis.SINGLE_WRITER);
 * display("text/markdown", chapter.claims());
 * for (var t : chapter.tables()) display("text/html", t.html());
 * for (var f : chapter.figures()) display(Charts.image(f.chart()));
 * System.out.println(chapter.verdictText());
 * }</pre>
 * Figures and tables of a measure come from the run its verdict was decided on.
 */
public final class Chapter {

    private final Hypothesis hypothesis;
    private final List<Claim> claims;
    private final Path datasets;
    private final Verdicts verdicts;
    private final Map<String, Observations> loaded = new HashMap<>();

    private Chapter(Hypothesis hypothesis, Ledger ledger, Path datasets, boolean checkMachine) {
        this.hypothesis = hypothesis;
        this.claims = hypothesis.claims().stream().map(ledger::claim).toList();
        this.datasets = datasets;
        this.verdicts = Verdicts.evaluate(new Ledger(claims), datasets, Bootstrap.standard(), false, checkMachine);
    }

    /** From the checkout ({@code gamerlab.root}, else the working directory): its ledger and datasets/. */
    public static Chapter of(Hypothesis hypothesis) throws IOException {
        return of(hypothesis, Path.of(System.getProperty("gamerlab.root", ".")), true);
    }

    /** {@code checkMachine}: whether "untestable here" says what this machine lacks (papers/ leaves it out). */
    public static Chapter of(Hypothesis hypothesis, Path root, boolean checkMachine) throws IOException {
        return new Chapter(hypothesis, Ledger.load(root.resolve(Ledger.DEFAULT)), root.resolve("datasets"), checkMachine);
    }

    public Hypothesis hypothesis() {
        return hypothesis;
    }

    public Verdicts verdicts() {
        return verdicts;
    }

    /** The claims, each with the seed's number, where the seed says it, and how prose was made a number (Markdown). */
    public String claims() {
        StringBuilder out = new StringBuilder();
        for (Claim c : claims) {
            ClaimedEffect e = c.effect();
            out.append("- **").append(c.id()).append("** (proposal ").append(c.proposal() == 0 ? "1 + 2" : c.proposal()).append("): ")
                    .append(c.statement()).append(". Claimed ").append(e.kind().key().replace('_', ' ')).append(": **")
                    .append(Digits.range(e.min(), e.max(), e.unit())).append("**. Seed: \"").append(c.seed()).append("\".");
            if (!c.interpretation().isEmpty()) out.append(" Read as: ").append(c.interpretation()).append('.');
            out.append('\n');
        }
        return out.toString();
    }

    /** How each claim is measured: the hypothesis's method, each measure's metric and comparison, and the statistics (Markdown). */
    public String method() {
        StringBuilder out = new StringBuilder(hypothesis.method()).append("\n\n");
        for (Verdict v : verdicts.all()) {
            Measure m = v.measure();
            out.append("- `").append(m.id()).append("`: ").append(m.what()).append("; `datasets/").append(m.dataset()).append("` metric `")
                    .append(m.metric()).append('`').append(m.transform() == Transform.NONE ? "" : " as " + m.transform().key())
                    .append(m.multiplyBy().isEmpty() ? "" : " x " + m.multiplyBy()).append(", ").append(m.comparison())
                    .append("; clocks that may decide it: ").append(String.join(", ", m.clocks())).append(".\n");
        }
        return out.append('\n').append(VerdictReport.method(verdicts)).append('\n').toString();
    }

    /** The runs the verdicts were decided on: dataset, run, backend, clock, and each run's own settings. */
    public TextTable runs() {
        List<List<String>> rows = new ArrayList<>();
        Map<String, Verdict> seen = new LinkedHashMap<>();
        for (Verdict v : verdicts.all()) if (v.effect().isPresent()) seen.putIfAbsent(v.measure().dataset() + "/" + v.series(), v);
        for (Verdict v : seen.values()) {
            Map<String, String> settings = data(v.measure().dataset()).settings(v.series());
            List<String> shown = new ArrayList<>();
            for (String key : List.of("mode", "repetitions", "seed", "phases", "producer_only_bursts", "duration_s", "trials", "completed"))
                if (settings.containsKey(key)) shown.add(key + " " + settings.get(key).replaceFirst(" \\(.*", ""));
            rows.add(List.of("datasets/" + v.measure().dataset(), v.series(), v.backend() + "/" + v.clock(),
                    shown.isEmpty() ? "(no run rows)" : String.join("; ", shown)));
        }
        return new TextTable("Runs the verdicts were decided on", List.of("dataset", "run", "backend/clock", "run settings (its run rows)"), rows);
    }

    /** One table per measured verdict (each side: n, mean with its 95 % CI, median, sd, CV, variant / control), then the hypothesis's own. */
    public List<TextTable> tables() {
        List<TextTable> out = new ArrayList<>();
        for (Verdict v : verdicts.all()) {
            if (v.effect().isEmpty()) continue;
            out.add(TextTable.of(v.measure().id() + ": " + axis(v.measure()) + " per repetition, run " + v.series() + " (" + v.backend()
                    + "/" + v.clock() + ")", unit(v.measure()), sides(v), verdicts.bootstrap()));
        }
        if (hypothesis == Hypothesis.SINGLE_WRITER) verdictOf("contention.bpf").ifPresent(v -> out.add(contentionByBurst(v)));
        return out;
    }

    /** Per claim, its effects against the claimed range; per measured verdict, a box per side; then the hypothesis's own. */
    public List<Figure> figures() {
        List<Figure> out = new ArrayList<>();
        for (Claim c : claims) {
            List<Verdict> of = verdicts.all().stream().filter(v -> v.claim().id().equals(c.id())).toList();
            List<List<Verdict>> groups = Figures.sameScale(c, of);
            for (int i = 0; i < groups.size(); i++)
                out.add(new Figure(hypothesis.slug() + "-effects-" + c.id() + (groups.size() > 1 ? "-" + (i + 1) : ""),
                        "Measured effects of claim " + c.id() + " (estimate and 95 % bootstrap interval per measure) against the claimed range"
                                + (groups.size() > 1 ? ", measures of one magnitude (" + (i + 1) + " of " + groups.size() + ")" : "") + ".",
                        Figures.effects(c, groups.get(i))));
        }
        for (Verdict v : verdicts.all()) {
            if (v.effect().isEmpty()) continue;
            out.add(new Figure(hypothesis.slug() + "-" + v.measure().id(), "The repetitions of " + v.measure().id()
                    + ", control and variant, run " + v.series() + " (" + v.backend() + "/" + v.clock() + ").",
                    Figures.boxes(v.measure().id() + ": " + v.measure().metric(), axis(v.measure()), sides(v))));
        }
        switch (hypothesis) {
            case SINGLE_WRITER -> verdictOf("contention.bpf").ifPresent(v -> out.addAll(singleWriter(v)));
            case BATCHING -> verdictOf("batching-first-event.burst-b8").ifPresent(v -> out.addAll(firstEventLatency(v)));
            default -> { }
        }
        return out;
    }

    /** One row per verdict: measure, measured [95 % CI], claimed, n, control CV, backend/clock, run, verdict. */
    public TextTable verdictTable() {
        List<List<String>> rows = new ArrayList<>();
        for (Verdict v : verdicts.all()) {
            ClaimedEffect c = v.claim().effect();
            rows.add(List.of(v.measure().id(),
                    v.effect().map(e -> Digits.withInterval(e.estimate(), e.interval(), e.unit())).orElse("-"),
                    Digits.range(c.min(), c.max(), c.unit()),
                    v.effect().map(e -> e.control().n() + "/" + e.variant().n()).orElse("-"),
                    v.effect().map(e -> Digits.percent(e.control().cv())).orElse("-"),
                    v.backend() + "/" + v.clock(), v.series(),
                    v.kind().label() + v.moreRepetitions().stream().mapToObj(k -> " (+" + k + " reps)").findFirst().orElse("")));
        }
        return new TextTable("Verdicts: " + hypothesis.title(), List.of("measure", "measured [95 % CI]", "claimed", "n ctl/var",
                "control CV", "backend/clock", "run", "verdict"), rows);
    }

    /** Each verdict with its reasons, as the library computed them. */
    public String verdictText() {
        StringBuilder out = new StringBuilder();
        for (Verdict v : verdicts.all()) {
            out.append(v.measure().id()).append(": ").append(v.kind().label().toUpperCase(java.util.Locale.ROOT));
            v.effect().ifPresent(e -> out.append(", measured ").append(Digits.withInterval(e.estimate(), e.interval(), e.unit()))
                    .append(" (n = ").append(e.control().n()).append("/").append(e.variant().n()).append(")"));
            out.append(" against the claimed ").append(Digits.range(v.claim().effect().min(), v.claim().effect().max(), v.claim().effect().unit()))
                    .append(" [").append(v.backend()).append("/").append(v.clock()).append("]\n    ").append(v.why()).append('\n');
        }
        return out.toString();
    }

    /** The dataset directory {@code datasets/<name>}, loaded once. */
    public Observations data(String name) {
        return loaded.computeIfAbsent(name, n -> Observations.load(datasets.resolve(n)));
    }

    // ---- the hypotheses' own tables and figures -------------------------------------------------

    private static final Map<String, String> PRODUCER_ONLY = Map.of("batch", "1", "prefetch", "off", "consumer", "none", "notify", "1");
    private static final List<String> LAYOUTS = List.of("shared", "sharded", "percpu");
    private static final String CPU_NS = "producer.cpu_ns_per_event";

    /** Shared against per-CPU rings at every burst, 1 producer (the control: no second writer) and 2. */
    private TextTable contentionByBurst(Verdict anchor) {
        Observations d = data("ringbuf");
        List<List<String>> rows = new ArrayList<>();
        for (String burst : bursts(d, anchor.series())) {
            for (String producers : List.of("1", "2")) {
                Optional<Sample> shared = producerOnly(d, anchor.series(), "shared", producers, burst);
                Optional<Sample> percpu = producerOnly(d, anchor.series(), "percpu", producers, burst);
                if (shared.isEmpty() || percpu.isEmpty() || shared.get().n() < 2 || percpu.get().n() < 2) continue;
                Effect e = Effect.measure(shared.get(), percpu.get(), EffectKind.SAVING, "ns", verdicts.bootstrap());
                rows.add(List.of(burst, producers, Digits.value(shared.get().mean(), "ns"), Digits.value(percpu.get().mean(), "ns"),
                        Digits.withInterval(e.estimate(), e.interval(), "ns"), shared.get().n() + "/" + percpu.get().n()));
            }
        }
        return new TextTable("Contention per write by burst: shared minus per-CPU CPU ns per event (1 producer: the control), run "
                + anchor.series(), List.of("burst", "producers", "shared mean", "per-CPU mean", "shared - per-CPU [95 % CI]", "n"), rows);
    }

    private List<Figure> singleWriter(Verdict anchor) {
        Observations d = data("ringbuf");
        String burst = anchor.measure().fixed().get("burst");
        Map<String, Sample> boxes = new LinkedHashMap<>();
        Map<String, Map<Double, Sample>> curves = new LinkedHashMap<>();
        for (String layout : LAYOUTS) {
            Map<Double, Sample> curve = new LinkedHashMap<>();
            for (String producers : List.of("1", "2")) {
                Optional<Sample> s = producerOnly(d, anchor.series(), layout, producers, burst);
                if (s.isEmpty()) continue;
                boxes.put(layout + ", " + producers + (producers.equals("1") ? " producer" : " producers"), s.get());
                double p = Double.parseDouble(producers);
                curve.put(p, Sample.of(java.util.Arrays.stream(s.get().values()).map(v -> p * 1e9 / v).toArray()));
            }
            if (!curve.isEmpty()) curves.put(layout, curve);
        }
        return List.of(
                new Figure(hypothesis.slug() + "-cpu-ns-per-event", "Producer CPU time per event by ring layout and producer count, burst "
                        + burst + ", batch 1, producer-only trials of run " + anchor.series() + ".",
                        Figures.boxes("producer CPU time per event, burst " + burst + " (producer-only)", "CPU time per event (ns)", boxes)),
                new Figure(hypothesis.slug() + "-scaling", "Events all producers write per CPU-second against the producer count (one "
                        + "producer per CPU), by ring layout, burst " + burst + ", run " + anchor.series() + "; whiskers: 95 % bootstrap interval of the mean.",
                        Figures.curves("scaling: events per CPU-second, all producers, burst " + burst, "producers (one per CPU)",
                                "events per CPU-second (count/s)", curves, verdicts.bootstrap())));
    }

    private List<Figure> firstEventLatency(Verdict anchor) {
        Observations d = data(anchor.measure().dataset());
        List<Figure> out = new ArrayList<>();
        for (String arrival : List.of("burst", "timer", "stream")) {
            Map<String, Sample> boxes = new LinkedHashMap<>();
            for (String batch : List.of("1", "8", "16"))
                d.values(anchor.series(), anchor.measure().metric(), Map.of("arrival", arrival, "batch", batch))
                        .ifPresent(s -> boxes.put("batch " + batch, s));
            if (boxes.isEmpty()) continue;
            out.add(new Figure(hypothesis.slug() + "-first-event-" + arrival, "Median first-event latency per trial by batch size, arrival "
                    + arrival + ", run " + anchor.series() + ".",
                    Figures.boxes("first event's latency (p50 per trial), arrival " + arrival, "creation to consumer (ns)", boxes)));
        }
        return out;
    }

    private static Optional<Sample> producerOnly(Observations d, String series, String layout, String producers, String burst) {
        Map<String, String> filters = new HashMap<>(PRODUCER_ONLY);
        filters.put("ringbuf", layout);
        filters.put("producers", producers);
        filters.put("burst", burst);
        return d.values(series, CPU_NS, filters);
    }

    private static List<String> bursts(Observations d, String series) {
        var rows = d.rows().where(d.rows().stringColumn("series").isEqualTo(series).and(d.rows().stringColumn("metric").isEqualTo(CPU_NS)));
        if (!rows.columnNames().contains("burst")) return List.of();
        TreeSet<String> bursts = new TreeSet<>(Comparator.comparingInt(Integer::parseInt));
        for (String b : rows.stringColumn("burst")) if (!b.isEmpty()) bursts.add(b);
        return List.copyOf(bursts);
    }

    // ---- helpers ---------------------------------------------------------------------------------

    private Optional<Verdict> verdictOf(String measure) {
        return verdicts.all().stream().filter(v -> v.measure().id().equals(measure) && v.effect().isPresent()).findFirst();
    }

    /** A measured verdict's two samples, labelled by what each side is. */
    private static Map<String, Sample> sides(Verdict v) {
        Effect e = v.effect().orElseThrow();
        Map<String, Sample> sides = new LinkedHashMap<>();
        sides.put("control: " + label(v.measure().control()), e.control());
        sides.put("variant: " + label(v.measure().variant()), e.variant());
        return sides;
    }

    /** The unit of a measure's values (its metric's, after its transform). */
    private String unit(Measure m) {
        Observations d = data(m.dataset());
        var rows = d.rows().where(d.rows().stringColumn("metric").isEqualTo(m.metric()));
        return m.transform().unit(rows.stringColumn("unit").get(0));
    }

    private String axis(Measure m) {
        return m.metric() + (m.transform() == Transform.NONE ? "" : " as " + m.transform().key())
                + (m.multiplyBy().isEmpty() ? "" : " x " + m.multiplyBy()) + " (" + unit(m) + ")";
    }

    private static String label(Map<String, String> filters) {
        return String.join(", ", filters.entrySet().stream().sorted(Map.Entry.comparingByKey()).map(e -> e.getKey() + "=" + e.getValue()).toList());
    }
}
