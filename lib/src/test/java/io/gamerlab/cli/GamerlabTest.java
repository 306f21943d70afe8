package io.gamerlab.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GamerlabTest {

    private static String[] run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int status = Gamerlab.execute(new PrintWriter(out, true), new PrintWriter(err, true), args);
        return new String[] {Integer.toString(status), out.toString(), err.toString()};
    }

    @Test
    void everyCommandHasHelp() {
        for (String command : new String[] {"run", "quickstart"}) {
            String[] r = run(command, "--help");
            assertEquals("0", r[0]);
            assertTrue(r[1].startsWith("Usage: gamerlab " + command), r[1]);
        }
        assertTrue(run("run", "--help")[1].contains("--dry-run") && run("run", "--help")[1].contains("--resume"));
    }

    @Test
    void theDryRunListsTheSameCellsInTheSameOrderForTheSameSeed(@TempDir Path tmp) throws Exception {
        Path file = tmp.resolve("order.toml");
        String text = """
                variants = ["ringbuf=shared", "ringbuf=percpu", "ringbuf=sharded"]
                workloads = [{ name = "gameloop", hogs = 1 }, { name = "gameloop", hogs = 0 }]
                repetitions = 2
                warmup = "1s"
                duration = "2s"
                seed = 1234
                """;
        Files.writeString(file, text);
        String datasets = tmp.resolve("datasets").toString();
        String[] first = run("run", file.toString(), "--dry-run", "--datasets", datasets);
        String[] second = run("run", file.toString().replace(".toml", ""), "--dry-run", "--datasets", datasets);
        assertEquals("0", first[0], first[2]);
        assertEquals(first[1], second[1]);
        assertEquals(14, first[1].lines().count() - 2);
        Files.writeString(file, text.replace("seed = 1234", "seed = 1235"));
        String[] other = run("run", file.toString(), "--dry-run", "--datasets", datasets);
        assertFalse(first[1].equals(other[1]), "another seed, the same order");
    }

    @Test
    void aNonNumericQuickstartDurationIsAnErrorWithUsageNotAStackTrace() {
        String[] r = run("quickstart", "guest", "ten");
        assertEquals(Integer.toString(Gamerlab.BAD_ARGUMENT), r[0]);
        assertTrue(r[2].contains("'ten' is not an int") && r[2].contains("SECONDS") && r[2].contains("Usage: gamerlab quickstart"), r[2]);
        assertFalse(r[2].contains("\tat "), r[2]);
        r = run("quickstart", "guest", "0");
        assertEquals(Integer.toString(Gamerlab.BAD_ARGUMENT), r[0]);
        assertTrue(r[2].contains("SECONDS = \"0\": is out of range; allowed: a whole number from 1 to 3600"), r[2]);
    }
}
