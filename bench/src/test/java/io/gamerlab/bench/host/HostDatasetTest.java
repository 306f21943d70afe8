package io.gamerlab.bench.host;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The host benches' dataset file: written as trials finish, never over an existing file, every line complete. */
class HostDatasetTest {
    private static final HostDataset.RunInfo INFO = new HostDataset.RunInfo("r1", "6.18", "CPU, with a comma", "25", "abc", Instant.EPOCH);
    private static final List<String> COORDINATES = List.of("variant", "repetition", "trial");

    private static HostDataset<TrialMetrics<String>> create(Path out) throws IOException {
        return HostDataset.create(out, INFO, COORDINATES, t -> List.of(t.config, Integer.toString(t.repetition), Integer.toString(t.order)),
                Map.of("seed", "7"));
    }

    @Test
    void eachTrialIsOnDiskWhenAppendedAndLaterRowsFollowIt(@TempDir Path dir) throws IOException {
        Path out = dir.resolve("sub").resolve("run.csv");
        TrialMetrics<String> first = new TrialMetrics<>("ringbuf=shared,batch=1", 0, 0);
        first.add("producer", "ns_per_call", "ns", 812.5, "a note, with a comma");
        TrialMetrics<String> second = new TrialMetrics<>("ringbuf=percpu,batch=1", 0, 1);
        second.check("verify", "unaccounted", "count", 3, false, "expected 0");
        try (HostDataset<TrialMetrics<String>> dataset = create(out)) {
            List<String> lines = Files.readAllLines(out);
            assertEquals(List.of(String.join(",", HostDataset.columns(COORDINATES)), "r1,host,host,6.18,\"CPU, with a comma\",25,abc,1970-01-01T00:00:00Z,,,,run,seed,,,ok,7"),
                    lines, "header and settings are on disk before the first trial");

            dataset.append(first);
            lines = Files.readAllLines(out);
            assertEquals(3, lines.size(), "the first trial's row is on disk as soon as it is appended");
            assertTrue(lines.get(2).endsWith(",\"ringbuf=shared,batch=1\",0,0,producer,ns_per_call,ns,812.5,ok,\"a note, with a comma\""), lines.get(2));

            dataset.append(second);
            first.add("derived", "cost_ns_per_call", "ns", 12);
            dataset.append(first);
            dataset.append(first);
            lines = Files.readAllLines(out);
            assertEquals(5, lines.size(), "only rows not yet written are appended: " + lines);
            assertTrue(lines.get(3).contains(",verify,unaccounted,count,3,failed,expected 0"), lines.get(3));
            assertTrue(lines.get(4).contains(",\"ringbuf=shared,batch=1\",0,0,derived,cost_ns_per_call,ns,12,ok,"), lines.get(4));
            dataset.complete(2, 1.25);
        }
        List<String> lines = Files.readAllLines(out);
        assertTrue(lines.getLast().contains(",run," + HostDataset.COMPLETED + ",,,ok,"), "a finished run says so last: " + lines.getLast());
        assertTrue(lines.stream().anyMatch(l -> l.contains(",run,trials,,,ok,2")) && lines.stream().anyMatch(l -> l.contains(",run,elapsed_s,,,ok,1.3")),
                String.join("\n", lines));
        int columns = HostDataset.columns(COORDINATES).size();
        for (String line : lines) assertEquals(columns, cells(line), "every line is complete: " + line);
        assertEquals("rw-r--r--", java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(out)));
    }

    @Test
    void anExistingDatasetIsNeverOverwritten(@TempDir Path dir) throws IOException {
        Path out = dir.resolve("run.csv");
        Files.writeString(out, "an earlier run\n");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> create(out));
        assertTrue(e.getMessage().contains(out.toString()) && e.getMessage().contains("never overwritten"), e.getMessage());
        assertEquals("an earlier run\n", Files.readString(out), "the file is as it was");
    }

    @Test
    void aTrialWithTheWrongNumberOfCoordinatesIsRefusedAndNothingIsWritten(@TempDir Path dir) throws IOException {
        Path out = dir.resolve("run.csv");
        try (HostDataset<TrialMetrics<String>> dataset = HostDataset.create(out, INFO, COORDINATES, t -> List.of(t.config), Map.of())) {
            TrialMetrics<String> t = new TrialMetrics<>("x", 0, 0);
            t.add("a", "b", "ns", 1);
            assertThrows(IllegalArgumentException.class, () -> dataset.append(t));
        }
        assertEquals(1, Files.readAllLines(out).size(), "the header only");
    }

    /** Cells of one CSV line, quotes respected. */
    private static int cells(String line) {
        int n = 1;
        boolean quoted = false;
        for (char c : line.toCharArray()) {
            if (c == '"') quoted = !quoted;
            else if (c == ',' && !quoted) n++;
        }
        return n;
    }
}
