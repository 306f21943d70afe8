package io.gamerlab.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code ./gamerlab paper}'s refusals: a readable message and its exit status, nothing written. (PaperTest covers what it writes.) */
class PaperCommandTest {

    private static String[] run(int expected, String... args) {
        StringWriter out = new StringWriter(), err = new StringWriter();
        int status = PaperCommand.run(new PrintWriter(out), new PrintWriter(err), args);
        assertEquals(expected, status, "out: " + out + "\nerr: " + err);
        return new String[] {out.toString(), err.toString()};
    }

    @Test
    void anUnknownOptionIsAUsageError() {
        String err = run(DataCommandLine.USAGE, "--chek")[1];
        assertTrue(err.startsWith("paper: Unknown option: '--chek'") && err.contains("--check"), err);
    }

    @Test
    void aCheckoutWithoutDatasetsIsNoInput(@TempDir Path dir) {
        String previous = System.getProperty("gamerlab.root");
        System.setProperty("gamerlab.root", dir.toString());
        try {
            String err = run(DataCommandLine.NO_INPUT, "--out", dir.resolve("papers").toString())[1];
            assertTrue(err.contains("no datasets directory"), err);
            assertTrue(!dir.resolve("papers").toFile().exists(), "nothing written");
        } finally {
            if (previous == null) System.clearProperty("gamerlab.root");
            else System.setProperty("gamerlab.root", previous);
        }
    }
}
