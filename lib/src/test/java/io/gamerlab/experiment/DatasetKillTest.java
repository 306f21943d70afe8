package io.gamerlab.experiment;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gamerlab.util.AtomicFiles;
import java.io.BufferedReader;

import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kills a process writing a dataset with SIGKILL at random moments, 100 times, and checks after
 * each kill that every cell is either absent or complete (byte for byte what was meant), that the
 * next writer removes what the killed one left, and that no stored cell was ever replaced.
 */
class DatasetKillTest {

    private static final int KILLS = 100;

    @Test
    void aWriterKilledAtRandomLeavesEveryCellAbsentOrComplete(@TempDir Path dir) throws Exception {
        Random random = new Random(20261201);
        byte[] template = DatasetWriterChild.template();
        Path templateFile = Files.write(dir.resolveSibling(dir.getFileName() + ".template"), template);
        Map<Path, Object> checked = new HashMap<>();  // stored cells, by file, with their file key: never replaced
        int midWrite = 0;
        long cellMillis = -1;
        for (int kill = 1; kill <= KILLS; kill++) {
            Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "--sun-misc-unsafe-memory-access=allow",
                    "-cp", System.getProperty("java.class.path"), DatasetWriterChild.class.getName(), dir.toString(),
                    templateFile.toString())
                    .redirectError(ProcessBuilder.Redirect.DISCARD).start();
            try {
                BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream()));
                assertEquals("ready", out.readLine(), "the writer did not start");
                if (cellMillis < 0) cellMillis = millisPerCell(out);
                // Once it is writing (its first cell stored: a busy machine may take far longer to
                // get there than to write a cell), anywhere within the next two cells' writing,
                // measured here, so kills land mid-write too.
                String first = out.readLine();
                assertTrue(first != null && first.startsWith("stored "), "the writer stored nothing: " + first);
                Thread.sleep(random.nextLong(2 * cellMillis + 1));
            } finally {
                child.destroyForcibly();  // SIGKILL
                assertTrue(child.waitFor(60, TimeUnit.SECONDS));
            }
            if (!temporaries(dir).isEmpty()) midWrite++;
            checkEveryCellComplete(dir, checked, template);
        }
        System.out.printf("DatasetKillTest: %d kills, %d of them mid-write (a temporary file left), %d cells stored, %d ms per cell%n",
                KILLS, midWrite, checked.size(), cellMillis);
        assertTrue(midWrite > 0, "no kill landed while a cell was being written: the test did not test");
        assertTrue(checked.size() > KILLS / 2, "too few cells stored between kills: " + checked.size());
        new Dataset(dir).lock().close();  // a writer's lock clears what the last kill left
        assertEquals(List.of(), temporaries(dir));
        assertEquals(checked.size(), new Dataset(dir).cells().size());
        Files.delete(templateFile);
    }

    /** The steady time to store one cell: between the 2nd and 5th "stored" lines (the first ones load classes). */
    private static long millisPerCell(BufferedReader out) throws IOException {
        long start = 0;
        for (int i = 1; i <= 5; i++) {
            String line = out.readLine();
            assertTrue(line != null && line.startsWith("stored "), line);
            if (i == 2) start = System.nanoTime();
        }
        return Math.max(1, (System.nanoTime() - start) / 3 / 1_000_000);
    }

    /**
     * Every cell stored since the last check reads back and is exactly what the child meant to
     * write; every one checked before is still the same file.
     */
    private static void checkEveryCellComplete(Path dir, Map<Path, Object> checked, byte[] template) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.filter(p -> p.getFileName().toString().endsWith(".csv")).toList()) {
                Object key = Files.readAttributes(f, BasicFileAttributes.class).fileKey();
                if (checked.containsKey(f)) {
                    assertEquals(checked.get(f), key, f + " was replaced");
                    continue;
                }
                String id = f.getFileName().toString().replace(".csv", "");
                assertEquals(DatasetWriterChild.ROWS, DatasetFile.read(f).rowCount(), id);
                assertArrayEquals(DatasetWriterChild.cell(template, id), Files.readAllBytes(f), id);
                checked.put(f, key);
            }
        }
    }

    private static List<Path> temporaries(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(AtomicFiles::isTemporary).toList();
        }
    }
}
