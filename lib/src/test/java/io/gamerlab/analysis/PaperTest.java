package io.gamerlab.analysis;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** papers/ from the committed ledger and datasets: complete, self-contained, and the same bytes every time. */
class PaperTest {

    @Test
    void everyHypothesisGetsAWriteUpWithItsVerdictsAndTheSameDataGiveTheSameBytes(@TempDir Path dir) throws IOException {
        Path a = dir.resolve("a"), b = dir.resolve("b");
        List<String> written = Paper.write(LedgerTest.ROOT, a);
        Ledger ledger = Ledger.load(LedgerTest.ROOT.resolve(Ledger.DEFAULT));
        String summary = Files.readString(a.resolve("summary.md"));
        for (Claim c : ledger.claims())
            for (Measure m : c.measures()) assertTrue(summary.contains(m.id()), "the summary lists " + m.id());
        for (Hypothesis h : Hypothesis.values()) {
            String md = Files.readString(a.resolve(h.slug() + ".md"));
            assertTrue(md.startsWith(Paper.GENERATED), h.slug());
            for (String section : List.of("## Claims", "## Method", "## Data", "## Results", "## Verdict", "## Threats to validity"))
                assertTrue(md.contains(section), h.slug() + " has " + section);
            for (String claim : h.claims()) assertTrue(md.contains("**" + claim + "**"), h.slug() + " states " + claim);
        }
        for (String file : written) assertTrue(Files.isRegularFile(a.resolve(file)), file);
        assertTrue(written.stream().anyMatch(f -> f.startsWith("figures/") && f.endsWith(".png")), "figures are drawn");
        String html = Files.readString(a.resolve("papers.html"));
        assertFalse(html.contains("src=\"figures/"), "every figure is inlined");
        assertTrue(html.contains("src=\"data:image/png;base64,"), "figures are inlined as data URIs");

        Files.createDirectories(b.resolve("figures"));
        Files.writeString(b.resolve("figures/stale.png"), "a figure no longer drawn");
        Paper.write(LedgerTest.ROOT, b);
        assertFalse(Files.exists(b.resolve("figures/stale.png")), "a stale file is removed");
        assertEquals(List.of(), Paper.differences(a, b), "the same data give the same bytes");
        Files.writeString(b.resolve("summary.md"), "edited by hand");
        assertEquals(List.of("summary.md"), Paper.differences(a, b));
    }
}
