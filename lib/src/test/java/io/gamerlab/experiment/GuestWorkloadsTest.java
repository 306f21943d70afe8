package io.gamerlab.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gamerlab.measure.RunTable;
import io.gamerlab.sched.SchedulerBuild;
import io.gamerlab.sched.Variant;
import io.gamerlab.util.Histograms;
import io.gamerlab.workload.WorkloadSpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tech.tablesaw.api.Table;

/**
 * Every scripted workload in the guest, each under {@code kernel-default} (no sched_ext scheduler:
 * the kernel's own) and under the baseline variant of ours, and the frame pipeline also under
 * {@code pipeline=on}: all runs in one boot, one after another (a boot costs half a minute under
 * TCG), each loading and unloading its own variant as a boot of its own would; the host injects
 * input while, and only while, the input workload reads it. Timings are TCG-emulated: the tests
 * assert what ran and what was counted, never how fast.
 */
class GuestWorkloadsTest {

    private static final Duration RUN = Duration.ofSeconds(4);
    static final List<String> WORKLOADS = List.of("pipeline", "wakestorm", "coldcache:flush_every=1s", "pipeline+pressure", "input");
    private static final Variant PIPELINE_ON = Variant.parse("pipeline=on");
    /** Keyed by variant label, a space, and the workload's canonical text. */
    private static final Map<String, RunResult> RESULTS = new LinkedHashMap<>();

    private static String key(Variant variant, String workload) {
        return variant.label() + " " + WorkloadSpec.parse(workload).text();
    }

    @BeforeAll
    static void runEveryWorkloadUnderKernelDefaultAndBaselineInOneBoot() throws InterruptedException {
        // A short warm-up, so that a workload's first run in this JVM does not pay the class loading its second skips.
        RunSpec base = RunSpec.of(Variant.BASELINE, RUN, SchedulerBuild.ofCheckout().gitCommit()).withWarmup(Duration.ofSeconds(1));
        List<RunSpec> specs = new ArrayList<>();
        for (String workload : WORKLOADS)
            for (Variant v : List.of(Variant.KERNEL_DEFAULT, Variant.BASELINE)) specs.add(base.withWorkload(workload).under(v));
        specs.add(base.withWorkload("pipeline").under(PIPELINE_ON));
        List<RunResult> results = GuestBackend.standard().runAll(specs);
        for (int i = 0; i < specs.size(); i++)
            RESULTS.put(specs.get(i).variant().label() + " " + specs.get(i).workload().text(), results.get(i));
        RESULTS.forEach((k, r) -> System.out.println("GuestWorkloadsTest " + k + ":\n"
                + r.table().where(r.table().stringColumn("source").isEqualTo("workload")
                        .and(r.table().stringColumn("unit").isNotEqualTo(RunTable.HISTOGRAM_UNIT)))
                .selectColumns("metric", "unit", "value").printAll()));
    }

    private static RunResult result(Variant variant, String workload) {
        RunResult r = RESULTS.get(key(variant, workload));
        assertTrue(r != null, "no run " + key(variant, workload) + " among " + RESULTS.keySet());
        return r;
    }

    private static double value(RunResult r, String source, String metric) {
        Table t = r.table();
        Table row = t.where(t.stringColumn("source").isEqualTo(source).and(t.stringColumn("metric").isEqualTo(metric)));
        assertEquals(1, row.rowCount(), source + "/" + metric + " rows");
        return row.doubleColumn("value").get(0);
    }

    @Test
    void underKernelDefaultSchedExtStaysDisabledAndNothingIsLoaded() {
        for (String workload : WORKLOADS) {
            RunResult r = result(Variant.KERNEL_DEFAULT, workload);
            assertEquals("disabled", r.stateDuring(), workload + ": the kernel's own scheduler ran it");
            assertEquals("", r.opsDuring(), workload);
            assertEquals("disabled", r.stateAfter(), workload);
            assertEquals(Run.NO_EXIT, r.exitKind(), workload);
            Set<String> sources = workload.equals("input") ? Set.of("perf", "workload", "sched_ext", "injector") : Set.of("perf", "workload", "sched_ext");
            assertEquals(sources, Set.copyOf(r.table().stringColumn("source").asList()), workload);
        }
    }

    @Test
    void underTheBaselineOurSchedulerRanEveryWorkloadAndLeftCleanly() {
        for (String workload : WORKLOADS) {
            RunResult r = result(Variant.BASELINE, workload);
            assertEquals("enabled", r.stateDuring(), workload);
            assertEquals("gamerlab", r.opsDuring(), workload);
            assertEquals(64, r.exitKind(), workload + ": SCX_EXIT_UNREG, not an ejection: " + r.exitReason());
            assertEquals("disabled", r.stateAfter(), workload);
            assertTrue(value(r, "scheduler", "started") > 0, workload);
        }
    }

    @Test
    void everyRowSaysWhichVariantAndWhichWorkloadRan() {
        RESULTS.forEach((k, r) -> {
            String variant = k.substring(0, k.indexOf(' '));
            String workload = k.substring(k.indexOf(' ') + 1);
            assertEquals(Set.of(variant), Set.copyOf(r.table().stringColumn("variant").asList()), k);
            assertEquals(Set.of(workload), Set.copyOf(r.table().stringColumn("workload").asList()), k);
            assertEquals(Set.of("tcg-emulated"), Set.copyOf(r.table().stringColumn("clock").asList()), k);
        });
    }

    /** Each workload's own measure of work done, under both: the run happened and was counted. */
    @Test
    void everyWorkloadReportedItsMetricsUnderBoth() {
        for (Variant v : List.of(Variant.KERNEL_DEFAULT, Variant.BASELINE)) {
            for (String workload : List.of("pipeline", "pipeline+pressure")) {
                RunResult r = result(v, workload);
                assertTrue(value(r, "workload", "frames_presented") > 10, v + " " + workload);
                assertTrue(value(r, "workload", "fps_low_1pct") > 0, v + " " + workload);
                for (String stage : List.of("logic", "render", "present"))
                    assertTrue(value(r, "workload", "wake_wait_" + stage + "_histogram") + value(r, "workload", "handoffs_queued_" + stage)
                            >= value(r, "workload", "frames_presented"), v + " " + workload + " " + stage);
            }
            RunResult storm = result(v, "wakestorm");
            assertTrue(value(storm, "workload", "messages") > 100, v + " wakestorm");
            assertEquals(value(storm, "workload", "messages"), value(storm, "workload", "message_latency_histogram"));
            RunResult cold = result(v, "coldcache:flush_every=1s");
            assertTrue(value(cold, "workload", "cold_start_wakeups") > 0, v + " coldcache");
            assertTrue(value(cold, "workload", "warm_wakeups") > 0, v + " coldcache");
            assertTrue(value(cold, "workload", "flushes") >= 1, v + " coldcache");
            assertTrue(value(cold, "workload", "flush_bytes") >= 2 * value(cold, "workload", "llc_bytes"), v + " coldcache");
            RunResult pressure = result(v, "pipeline+pressure");
            assertTrue(value(pressure, "workload", "pressure_bytes") > value(pressure, "workload", "pressure_llc_bytes"), v + " pressure");
        }
    }

    /**
     * Mouse, keyboard and tablet at once, at the rates the workload asked of the host: the guest
     * reads all three, never more than QEMU acknowledged, and the host's account joins the input
     * runs only.
     */
    @Test
    void highRateInputReachesTheGuestFromThreeDevicesAtOnce() {
        for (Variant v : List.of(Variant.KERNEL_DEFAULT, Variant.BASELINE)) {
            RunResult r = result(v, "input");
            assertEquals(3, value(r, "workload", "devices"), v + ": mouse, keyboard and tablet");
            double mouse = value(r, "workload", "mouse_events");
            double keys = value(r, "workload", "keyboard_events");
            double tablet = value(r, "workload", "tablet_events");
            assertTrue(mouse > 0 && keys > 0 && tablet > 0, v + ": " + mouse + " " + keys + " " + tablet);
            // Sent, not acknowledged: a reply still in flight when the injector stops is not counted.
            assertTrue(mouse <= value(r, "injector", "input_events_sent"), v + " mouse");
            assertTrue(keys <= 2 * value(r, "injector", "keys_sent"), v + " keys: a press and a release per command");
            assertTrue(tablet <= 2 * value(r, "injector", "tablet_sent"), v + " tablet: ABS_X and ABS_Y per command");
            assertEquals(mouse + keys + tablet, value(r, "workload", "event_latency_histogram"), v + ": a latency per event");
            System.out.printf("%s input: %.0f mouse commands asked, %.0f sent, %.0f held back by QEMU, %.0f late; QEMU acknowledged"
                            + " %.0f mouse events/s over %.1f s; the guest read %.0f mouse, %.0f keyboard, %.0f tablet events,"
                            + " %.0f reports dropped by evdev, event latency p50 %.0f us, p99 %.0f us%n", v,
                    value(r, "injector", "motion_asked"), value(r, "injector", "motion_sent"), value(r, "injector", "motion_held_back"),
                    value(r, "injector", "motion_late"), value(r, "injector", "input_injection_rate"),
                    value(r, "injector", "input_injection_seconds"), mouse, keys, tablet, value(r, "workload", "reports_dropped"),
                    value(r, "workload", "event_latency_p50"), value(r, "workload", "event_latency_p99"));
        }
        RunResult ours = result(Variant.BASELINE, "input");
        assertTrue(value(ours, "input", "events") > 0, "the scheduler's hook streamed the events to Java");
        System.out.printf("baseline input: hook saw %.0f events, Java received %.0f, BPF drops %.0f, sequence gaps %.0f%n",
                value(ours, "scheduler", "input_events"), value(ours, "input", "events"), value(ours, "input", "bpf_drops"),
                value(ours, "input", "sequence_gaps"));
        for (String workload : WORKLOADS)
            if (!workload.equals("input"))
                assertTrue(result(Variant.BASELINE, workload).table().where(result(Variant.BASELINE, workload).table()
                        .stringColumn("source").isEqualTo("injector")).isEmpty(), workload + ": no input was injected into it");
    }

    @Test
    void theHistogramsInTheTablesDecodeToTheirSampleCounts() {
        RESULTS.forEach((k, r) -> {
            Table t = r.table();
            Table histograms = t.where(t.stringColumn("unit").isEqualTo(RunTable.HISTOGRAM_UNIT));
            assertTrue(histograms.rowCount() > 0, k);
            for (int i = 0; i < histograms.rowCount(); i++)
                assertEquals(histograms.doubleColumn("value").get(i), Histograms.decode(histograms.stringColumn("note").get(i)).getTotalCount(),
                        k + " " + histograms.stringColumn("metric").get(i));
        });
    }

    /**
     * The pipeline axis changes what it names: with {@code pipeline=on} a stage that wakes the next
     * stage boosts it, and the frame pipeline's stages do that every frame; the baseline build
     * boosts none.
     */
    @Test
    void pipelineOnBoostsTheStagesHandOffsAndOffBoostsNone() {
        RunResult on = result(PIPELINE_ON, "pipeline");
        RunResult off = result(Variant.BASELINE, "pipeline");
        assertEquals(0, value(off, "scheduler", "pipeline_boosts"));
        assertEquals(0, value(result(Variant.BASELINE, "pipeline+pressure"), "scheduler", "pipeline_boosts"));
        double boosts = value(on, "scheduler", "pipeline_boosts");
        assertTrue(boosts > 0, "no hand-off was boosted under pipeline=on");
        System.out.printf("pipeline=on: %.0f boosts for %.0f frames presented (three hand-offs each)%n", boosts,
                value(on, "workload", "frames_presented"));
    }
}
