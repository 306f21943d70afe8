package io.gamerlab.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gamerlab.sched.ExitReport;
import io.gamerlab.sched.SchedulerBuild;
import io.gamerlab.sched.Variant;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tech.tablesaw.api.ColumnType;
import tech.tablesaw.api.Row;
import tech.tablesaw.io.csv.CsvReadOptions;

/**
 * A variant loaded once per process and attached afresh per cell, in the real guest
 * ({@link GuestReattachJob}): a later cell of the same variant skips the load and counts only its
 * own work, a cell whose scheduler the kernel ejects fails with the kernel's reason and the next
 * cell of that variant runs clean, and the kernel takes a loaded scheduler again after an ejection.
 */
class GuestReattachTest {

    /** enum scx_exit_kind: SCX_EXIT_SYSRQ, an ejection by sysrq-S. */
    private static final int SYSRQ = 67;

    private static Map<String, String> seen;

    @BeforeAll
    static void runTheCellsInOneGuest() throws Exception {
        SchedulerBuild build = SchedulerBuild.ofCheckout();
        Path testClasses = Path.of(GuestReattachTest.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        GuestBackend guest = GuestBackend.standard().withoutInput();
        seen = guest.runJob("reattach-" + UUID.randomUUID(), Duration.ofMinutes(10), dir -> {
            io.gamerlab.util.Command.run("copying the test classes for the guest", List.of("cp", "-a", testClasses.toString(), dir.resolve("tcp").toString()));
            Files.copy(build.object(Variant.BASELINE), dir.resolve("scheduler.bpf.o"));
        }, guest.javaCommand(GuestReattachJob.class.getName(), "/job/tcp", List.of("/job/scheduler.bpf.o")), (results, injected) -> {
            Map<String, String> m = new HashMap<>();
            var table = tech.tablesaw.api.Table.read().csv(CsvReadOptions.builder(results.resolve(RunResultFiles.TABLE).toFile())
                    .columnTypes(new ColumnType[] {ColumnType.STRING, ColumnType.STRING}).missingValueIndicator("").build());
            for (Row r : table) m.put(r.getString("key"), r.getString("value"));
            return m;
        });
        System.out.println("GuestReattachTest: " + seen);
        assertFalse(seen.containsKey("error"), "the job failed: " + seen.get("error"));
    }

    private static long number(String key) {
        assertTrue(seen.containsKey(key), "no " + key + " in " + seen);
        return Long.parseLong(seen.get(key));
    }

    @Test
    void aVariantIsLoadedOnItsFirstCellAndAttachedToTheSameLoadAfter() {
        assertTrue(number("short.load_ns") * 10 < number("long.load_ns"),
                "the second cell loaded again: load " + number("short.load_ns") + " ns vs the first's " + number("long.load_ns"));
        assertEquals(ExitReport.UNREGISTERED, number("long.exit_kind"));
        assertEquals(ExitReport.UNREGISTERED, number("short.exit_kind"));
    }

    @Test
    void eachCellCountsOnlyItsOwnWork() {
        // A quarter of the first cell's time: its counts must be below the first's, which they would include if kept.
        for (String metric : List.of("runtime_ns", "started", "enqueued")) {
            assertTrue(number("short." + metric) > 0, "short cell counted no " + metric + ": " + seen);
            assertTrue(number("short." + metric) < number("long." + metric), metric + ": the second cell's count includes the first's: " + seen);
            assertTrue(number("after." + metric) < number("long." + metric), metric + ": the cell after the ejection kept counts: " + seen);
        }
    }

    @Test
    void anEjectedCellFailsWithTheKernelsReasonAndTheNextCellRunsCleanOnANewLoad() {
        assertEquals(SYSRQ, number("ejected.exit_kind"), seen.toString());
        assertTrue(seen.get("ejected.failed").contains("sysrq"), seen.get("ejected.failed"));
        assertTrue(number("ejected.load_ns") * 10 < number("long.load_ns"), "the ejected cell reused the first cell's load: " + seen);
        assertEquals(ExitReport.UNREGISTERED, number("after.exit_kind"), "the cell after an ejection was not clean: " + seen);
        assertTrue(number("after.load_ns") > number("short.load_ns") * 10, "an ejected variant must be loaded anew: " + seen);
    }

    @Test
    void theKernelTakesALoadedSchedulerAgainAfterItWasEjected() {
        assertEquals(SYSRQ, number("reattach.first_exit_kind"), seen.toString());
        assertEquals("enabled gamerlab", seen.get("reattach.second_state"));
        assertEquals(ExitReport.UNREGISTERED, number("reattach.second_exit_kind"), "the exit record kept the ejection: " + seen);
        assertTrue(number("reattach.second_started") > 0, seen.toString());
    }
}
