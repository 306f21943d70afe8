package io.gamerlab.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gamerlab.sched.SchedulerBuild;
import io.gamerlab.sched.Variant;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tech.tablesaw.api.Table;

/**
 * Every variant of the matrix passes the guest kernel's verifier, and those of its pairwise
 * covering set attach, schedule and detach: one boot.
 */
class GuestMatrixTest {

    private static final List<Variant> MATRIX = Variant.matrix();
    private static final List<Variant> PAIRWISE = Variant.pairwise(MATRIX);
    private static Table checked;

    @BeforeAll
    static void checkEveryVariantInOneBoot() throws InterruptedException {
        checked = GuestBackend.standard().withoutInput().checkMatrix(MATRIX, SchedulerBuild.ofCheckout().gitCommit());
    }

    @Test
    void everyVariantPassedTheVerifierAndLeftSchedExtDisabled() {
        for (Variant v : MATRIX) {
            Table rows = rows(v);
            assertEquals(1, fact(rows, "loaded"), v + ": " + note(rows, "loaded"));
            assertEquals(PAIRWISE.contains(v) ? 1 : 0, fact(rows, "attached"), v.label());
            assertEquals(1, fact(rows, "disabled_after"), v.label());
        }
    }

    @Test
    void everyPairwiseVariantWasEnabledAsOurSchedulerAndUnloadedFromUserSpace() {
        for (Variant v : PAIRWISE) {
            Table rows = rows(v);
            assertEquals(1, fact(rows, "enabled_during"), v.label());
            assertEquals(64, fact(rows, "exit_kind"), v + " was not unloaded from user space");
            assertTrue(rows.where(rows.stringColumn("source").isEqualTo("hook")).rowCount() > 0, v + " has no hook rows");
        }
    }

    @Test
    void everyVariantsProgramsHaveTheirVerifierFactsRecorded() {
        for (Variant v : MATRIX) {
            Table rows = rows(v).where(rows(v).stringColumn("source").isEqualTo("bpf"));
            assertTrue(rows.rowCount() >= 30, v + " has facts for " + rows.rowCount() / 3 + " programs");
        }
    }

    private static Table rows(Variant v) {
        return checked.where(checked.stringColumn("variant").isEqualTo(v.label()));
    }

    private static double fact(Table rows, String metric) {
        Table row = rows.where(rows.stringColumn("source").isEqualTo("sched_ext").and(rows.stringColumn("metric").isEqualTo(metric)));
        assertEquals(1, row.rowCount(), metric);
        return row.doubleColumn("value").get(0);
    }

    private static String note(Table rows, String metric) {
        Table row = rows.where(rows.stringColumn("metric").isEqualTo(metric));
        return row.isEmpty() ? "" : row.stringColumn("note").get(0);
    }
}
