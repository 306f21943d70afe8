package io.gamerlab.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LedgerTest {

    static final Path ROOT = Path.of(System.getProperty("gamerlab.root", ".."));

    private static final String GOOD = """
            claims:
              - id: c
                proposal: 1
                statement: "a claim"
                seed: "the seed"
                effect: {kind: saving, unit: ns, min: 20, max: 50}
                measures:
                  - id: c.m
                    dataset: d
                    metric: bpf.ns_per_run
                    what: "a metric"
                    fixed: {batch: "1"}
                    control: {ringbuf: shared}
                    variant: {ringbuf: percpu}
                    clocks: [host]
                    needs: "a bench"
            """;

    @Test
    void theCommittedLedgerHasEveryClaimOfTheSeedThatTheWorkbenchMustJudge() throws IOException {
        Ledger ledger = Ledger.load(ROOT.resolve(Ledger.DEFAULT));
        assertEquals(List.of("contention", "percpu-scaling", "prefetch-ring-entry", "prefetch-task-ctx", "prefetch-cpu-scan",
                        "batching-calls", "batching-per-event", "batching-first-event", "pipeline-boost", "split-task-ctx", "proposals-1-2"),
                ledger.claims().stream().map(Claim::id).toList());
        ClaimedEffect contention = ledger.claim("contention").effect();
        assertEquals(new ClaimedEffect(EffectKind.SAVING, "ns", 20, 50), contention);
        assertEquals(new ClaimedEffect(EffectKind.RELATIVE_SAVING, "%", 3, 7), ledger.claim("proposals-1-2").effect());
        for (Claim c : ledger.claims())
            for (Measure m : c.measures())
                assertTrue(!m.dataset().isBlank() && !m.metric().isBlank() && !m.needs().isBlank(), m.id());
    }

    @Test
    void aGoodLedgerReadsIntoTypedRecords(@TempDir Path dir) throws IOException {
        Path file = Files.writeString(dir.resolve("l.yaml"), GOOD);
        Measure m = Ledger.load(file).claim("c").measures().getFirst();
        assertEquals("ringbuf=percpu vs ringbuf=shared; fixed batch=1", m.comparison());
        assertEquals(Transform.NONE, m.transform());
        assertEquals(List.of(), m.context());
    }

    @Test
    void aBadLedgerIsAnErrorNamingTheFileTheLineAndWhatIsWrong(@TempDir Path dir) throws IOException {
        assertBad(dir, GOOD.replace("metric: bpf", "colour: red\n        metric: bpf"), "at claims[0].measures[0].colour (near line", "unknown field 'colour'");
        assertBad(dir, GOOD.replace("metric: bpf", "metrc: bpf"), "'metric' is missing");
        assertBad(dir, GOOD.replace("kind: saving", "kind: savings"), "at claims[0].effect.kind (near line 6)", "effect kind 'savings' is not one of [saving, increase");
        assertBad(dir, GOOD.replace("min: 20", "min: 60"), "effect.min 60.0 is above effect.max 50.0");
        assertBad(dir, GOOD.replace("min: 20", "min: -5"), "must be beyond no effect");
        assertBad(dir, GOOD.replace("clocks: [host]", "clocks: [hots]"), "clocks [hots] must be one or more of");
        assertBad(dir, GOOD.replace("    needs: \"a bench\"\n", ""), "'needs' is missing");
        assertBad(dir, GOOD.replace("id: c.m", "id: other.m"), "must be named c.<something>");
        assertBad(dir, GOOD.replace("variant: {ringbuf: percpu}", "variant: {ringbuf: shared}"), "control and variant must each name");
        assertBad(dir, GOOD.replace("variant: {ringbuf: percpu}", "variant: {ringbuf: percpu, batch: \"8\"}"), "both fixed and compared");
        assertBad(dir, GOOD + GOOD.substring(GOOD.indexOf("  - id: c")), "claim id c is used twice");
        assertBad(dir, GOOD.replace("transform", "x").replace("    clocks: [host]", "    clocks: [host]\n        transform: per_op"),
                "transform 'per_op' is not one of");
        assertBad(dir, GOOD.replace("    clocks: [host]", "    clocks: [host]\n        requires: [gpu]"), "requirement 'gpu' is not one of [sched_ext, pmu]");
        assertBad(dir, "claims: [", "l.yaml");
        assertThrows(NoSuchFileException.class, () -> Ledger.load(dir.resolve("none.yaml")));
    }

    private static void assertBad(Path dir, String yaml, String... expected) throws IOException {
        Path file = Files.writeString(dir.resolve("l.yaml"), yaml);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Ledger.load(file), yaml);
        assertTrue(e.getMessage().startsWith(file.toString()), e.getMessage());
        for (String s : expected) assertTrue(e.getMessage().contains(s), "'" + s + "' in: " + e.getMessage());
    }
}
