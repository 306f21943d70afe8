package io.gamerlab.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gamerlab.sched.Fault;
import io.gamerlab.sched.SchedulerBuild;
import io.gamerlab.sched.Tunables;
import io.gamerlab.sched.Variant;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tech.tablesaw.api.Table;

/**
 * Two paths that normal stress rarely takes, each forced under stress-ng in one guest boot:
 * enqueueing a task that has no task context (a build that loses odd threads' contexts), and
 * waking tasks with no migrations left while their affinity changes (a migration limit of 0, so
 * every wake-up has none left, while the harness's affinity churn changes sleepers' CPUs). The
 * guest has 3 CPUs: the kernel asks select_cpu only about tasks allowed more than one CPU, and with
 * 2 CPUs such a task is allowed both.
 */
class GuestStressFaultsTest {

    private static final StressPlan.Subject LOSING = StressPlan.Subject.faulty(Variant.BASELINE, Fault.LOSE_TASK_CTX);
    private static final StressPlan.Subject NO_MIGRATIONS = new StressPlan.Subject("baseline,migration_limit=0", Variant.BASELINE,
            null, Tunables.defaults().withMigrationLimit(0), List.of(), null);
    private static Table table;

    @BeforeAll
    static void stressBothInOneBoot() throws InterruptedException {
        table = GuestBackend.standard().withoutInput().withCpus(3).stress(new StressPlan(Duration.ofSeconds(15), List.of(LOSING, NO_MIGRATIONS)),
                SchedulerBuild.ofCheckout().gitCommit());
    }

    /** A DSQ ordered by deadline must never get a FIFO insert: the kernel ejects a scheduler that mixes them. */
    @Test
    void tasksWithoutAContextAreQueuedWithoutEjectingTheScheduler() {
        String s = LOSING.label();
        assertTrue(value(s, "scheduler", "no_task_ctx") > 0, "the path for a task without a context never ran");
        assertEquals(0, value(s, "sched_ext", "ejected"), note(s, "sched_ext", "ejected"));
        assertEquals(1, value(s, "sched_ext", "enabled_throughout"), note(s, "sched_ext", "enabled_throughout"));
        assertEquals(64, value(s, "sched_ext", "exit_kind"), note(s, "sched_ext", "exit_kind"));
    }

    /** With no migrations left a task stays on its last CPU, unless its affinity no longer allows that CPU. */
    @Test
    void aTaskWithNoMigrationsLeftIsNeverPlacedOnACpuOutsideItsAffinity() {
        String s = NO_MIGRATIONS.label();
        assertTrue(value(s, "scheduler", "migrations_denied") > 0, "wake-ups with no migrations left");
        assertTrue(value(s, "scheduler", "affinity_moves") > 0, "no task woke with its last CPU outside its affinity: the churn did not reach the path");
        assertEquals(0, value(s, "sched_ext_event", "select_cpu_fallback"), "select_cpu chose a CPU the task may not run on");
        assertEquals(0, value(s, "sched_ext", "ejected"), note(s, "sched_ext", "ejected"));
        assertEquals(64, value(s, "sched_ext", "exit_kind"), note(s, "sched_ext", "exit_kind"));
    }

    private static double value(String subject, String source, String metric) {
        return TableRows.value(table, subject, source, metric);
    }

    private static String note(String subject, String source, String metric) {
        return TableRows.note(table, subject, source, metric);
    }
}
