package io.gamerlab.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code ./gamerlab verdicts}: its help, its errors and exit statuses, and its table from the committed datasets. */
class VerdictsCommandTest {

    private static final Path ROOT = Path.of(System.getProperty("gamerlab.root", ".."));

    private record Result(int status, String out, String err) { }

    private static Result run(String... args) {
        StringWriter out = new StringWriter(), err = new StringWriter();
        int status = VerdictsCommand.run(new PrintWriter(out), new PrintWriter(err), args);
        return new Result(status, out.toString(), err.toString());
    }

    private static Result runHere(String... args) {
        String[] all = new String[args.length + 4];
        all[0] = "--ledger";
        all[1] = ROOT.resolve("claims/ledger.yaml").toString();
        all[2] = "--datasets";
        all[3] = ROOT.resolve("datasets").toString();
        System.arraycopy(args, 0, all, 4, args.length);
        return run(all);
    }

    @Test
    void helpSaysWhatItDoesItsOptionsAndExitStatuses() {
        Result r = run("--help");
        assertEquals(0, r.status());
        for (String s : new String[] {"Usage: verdicts", "--ledger", "--datasets", "--claim", "--every-run", "--format", "--resamples",
                "--seed", "95 % bootstrap interval", "64", "65", "66"})
            assertTrue(r.out().contains(s), s + " in: " + r.out());
        assertFalse(r.err().contains("WARN"), r.err());
    }

    @Test
    void badArgumentsAreNamedWithTheUsageAndExit64() {
        Result resamples = runHere("--resamples", "10");
        assertEquals(64, resamples.status());
        assertTrue(resamples.err().contains("--resamples must be at least 1000") && resamples.err().contains("was 10"), resamples.err());
        assertTrue(resamples.err().contains("Usage: verdicts"), resamples.err());
        Result format = runHere("--format", "md");
        assertEquals(64, format.status());
        assertTrue(format.err().contains("'md'") && format.err().contains("[text, markdown, csv]"), format.err());
        Result claim = runHere("--claim", "nonsense");
        assertEquals(64, claim.status());
        assertTrue(claim.err().contains("no claim 'nonsense'") && claim.err().contains("contention"), claim.err());
        assertEquals(64, run("--no-such-option").status());
        assertTrue(resamples.out().isEmpty() && claim.out().isEmpty(), "nothing printed as a result");
    }

    @Test
    void aMissingLedgerExits66AndAMalformedOne65NamingTheLine(@TempDir Path dir) throws IOException {
        Result missing = run("--ledger", dir.resolve("none.yaml").toString(), "--datasets", dir.toString());
        assertEquals(66, missing.status());
        assertTrue(missing.err().contains("none.yaml: no claims ledger there"), missing.err());
        Path bad = Files.writeString(dir.resolve("bad.yaml"), "claims:\n  - id: c\n    proposal: nine\n");
        Result malformed = run("--ledger", bad.toString(), "--datasets", dir.toString());
        assertEquals(65, malformed.status());
        assertTrue(malformed.err().contains("bad.yaml, at claims[0].proposal (near line 3)"), malformed.err());
        assertFalse(malformed.err().contains("\tat "), "no stack trace: " + malformed.err());
    }

    @Test
    void theCommittedDatasetsGiveAVerdictPerMeasureInEachFormat() {
        Result text = runHere("--claim", "contention,prefetch-task-ctx");
        assertEquals(0, text.status(), text.err());
        for (String s : new String[] {"contention.bpf", "contention.jvm", "prefetch-task-ctx.sched", "untestable here", "host/host",
                "20-50 ns", "expanded percentile bootstrap"})
            assertTrue(text.out().contains(s), s + " in: " + text.out());
        assertFalse(text.out().contains("proposals-1-2"), "only the claims asked for");
        Result csv = runHere("--claim", "batching-calls", "--format", "csv");
        assertEquals(0, csv.status(), csv.err());
        assertTrue(csv.out().startsWith("claim,proposal,measure,statement,"), csv.out());
        assertEquals(2, csv.out().lines().count(), "a header and one measure");
        Result markdown = runHere("--claim", "batching-calls", "--format", "markdown");
        assertTrue(markdown.out().startsWith("| claim | measure |"), markdown.out());
    }
}
