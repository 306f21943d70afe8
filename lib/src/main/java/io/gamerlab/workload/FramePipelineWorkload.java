package io.gamerlab.workload;

import io.gamerlab.sched.Role;
import io.gamerlab.sched.RoleRegistry;
import io.gamerlab.util.Histograms;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.Histogram;

/**
 * A game's frame as a pipeline of threads: input → game logic → render submit → present (two to
 * eight stages: input first, present last). Each stage does a fixed amount of CPU work per frame
 * and hands the frame to the next stage, waking it; each declares its stage
 * ({@link RoleRegistry#declareStage}, 1 = input) and the game's role, so the scheduler's
 * {@code pipeline=on} build has the stages to boost. CPU hogs (declared {@code NONE}) compete.
 *
 * <p><b>The wake-up is a futex</b>: a stage waits in {@link LockSupport#park} and the previous
 * stage wakes it with {@link LockSupport#unpark}, which HotSpot implements with a pthread
 * condition variable, i.e. one {@code FUTEX_WAKE} from the waking thread. That is the hand-off
 * games' own thread pools and Wine's fsync make, it costs no file descriptor and no copy (an
 * eventfd or a pipe adds a write and a read per frame and stage), and the kernel wakes the next
 * stage from the previous stage's own context, which is what the scheduler's pipeline boost keys
 * on (the waker's stage is k, the woken's k + 1).
 *
 * <p><b>Coordinated omission</b>: frame k's input is due at the absolute deadline
 * {@code start + k × period}; a late frame starts as soon as it can and is measured from that
 * deadline, and no frame is skipped, so a stall shows as the late frames it caused. At most three
 * frames are in flight between input and present (as a swap chain with a frame latency of three):
 * the input stage waits for a slot, which delays the frame, never drops it.
 *
 * <p>Reports: frames started and presented; the frame-to-frame interval (between consecutive
 * presents) and input-to-present latency (from the frame's deadline to the end of its present
 * stage) as p50/p99/p99.9/max; the mean frame rate and the 1 % and 0.1 % low frame rates (the
 * rate of the 99th and 99.9th percentile frame interval: the percentile form that MangoHud-style
 * "1 % low" figures use); deadline misses (a frame presented more than a period after its input
 * was due) and their ratio; how late the input stage started frames; and per stage transition the
 * wake-up-to-run wait ({@code wake_wait_<stage>}: from the previous stage's hand-off to the stage
 * running, counted only when the stage was asleep waiting for it) with the hand-offs it found
 * already queued because it was still busy ({@code handoffs_queued_<stage>}).
 */
public final class FramePipelineWorkload implements Workload {

    public static final Parameter<Duration> PERIOD = Parameter.duration("period",
            "frame period: 16.6ms for 60 Hz, 8.3ms for 120 Hz", "16.6ms", "1ms", "1s");
    public static final Parameter<Integer> STAGES = Parameter.count("stages",
            "threads a frame passes through, input first and present last", 4, 2, 8);
    public static final Parameter<Duration> WORK = Parameter.duration("work",
            "CPU work of each stage per frame; stages x work must be shorter than the period", "1ms", "0s", "1s");
    public static final Parameter<Integer> HOGS = Parameter.threads("hogs",
            "CPU-hog threads beside the pipeline, declared NONE; cpus: one per CPU", Parameter.PER_CPU, 0, 256);

    public static final WorkloadKind KIND = new WorkloadKind("pipeline",
            "a frame as a pipeline of stage threads waking each other (input, logic, render submit, present) beside CPU hogs",
            List.of(PERIOD, STAGES, WORK, HOGS), FramePipelineWorkload::check, FramePipelineWorkload::new);

    /** Frames between input and present at most; the input stage waits for a slot beyond that. */
    static final int FRAMES_IN_FLIGHT = 3;
    /** Hand-off times kept per stage: more than the frames that can be in flight. */
    private static final int RING = 8;

    private final Settings settings;

    private FramePipelineWorkload(Settings settings) {
        this.settings = settings;
    }

    private static void check(Settings s) {
        Duration all = s.get(WORK).multipliedBy(s.get(STAGES));
        if (all.compareTo(s.get(PERIOD)) >= 0)
            throw new IllegalArgumentException("pipeline: stages x work = " + s.get(STAGES) + " x " + s.format(WORK) + " must be shorter than period="
                    + s.format(PERIOD) + ", or every frame misses by construction");
    }

    /** Stage names, input first and present last: 4 stages are input, logic, render, present. */
    static List<String> stageNames(int stages) {
        List<String> names = new ArrayList<>();
        for (int k = 1; k <= stages; k++) {
            if (k == 1) names.add("input");
            else if (k == stages) names.add("present");
            else if (k == 2) names.add("logic");
            else if (k == stages - 1) names.add("render");
            else names.add("stage" + k);
        }
        return names;
    }

    @Override
    public String name() {
        return settings.text();
    }

    /** One stage: what it has finished, and when it handed each frame on. */
    private static final class Stage {
        final int number;
        final String name;
        final AtomicLong done = new AtomicLong();   // frames finished; written by this stage only
        final long[] handedAt = new long[RING];     // published by the write to done
        final Histogram wakeWait = Histograms.create();
        long queued;
        Thread thread;  // set before the crew starts

        Stage(int number, String name) {
            this.number = number;
            this.name = name;
        }

        void handOn(long frame, Stage next) {
            handedAt[(int) (frame % RING)] = System.nanoTime();
            done.set(frame + 1);
            if (next != null) LockSupport.unpark(next.thread);
        }
    }

    @Override
    public WorkloadReport run(Duration duration, RoleRegistry roles) throws InterruptedException {
        long period = settings.get(PERIOD).toNanos();
        long work = Spin.unitsFor(settings.get(WORK));
        List<String> names = stageNames(settings.get(STAGES));
        List<Stage> stages = new ArrayList<>();
        for (int k = 1; k <= names.size(); k++) stages.add(new Stage(k, names.get(k - 1)));
        Stage first = stages.getFirst();
        Stage last = stages.getLast();
        Histogram startLateness = Histograms.create();
        Histogram intervals = Histograms.create();
        Histogram inputToPresent = Histograms.create();
        long[] presents = new long[3];  // [0] misses, [1] first present, [2] last present: written by the present stage
        AtomicLong firstDeadline = new AtomicLong();
        AtomicBoolean waitingForSlot = new AtomicBoolean();
        Crew crew = new Crew(roles);

        first.thread = crew.add("pipeline-" + first.name, Role.GAME, first.number, () -> {
            Stage next = stages.get(1);
            long start = System.nanoTime() + period;
            firstDeadline.set(start);
            for (long frame = 0; !crew.stopping(); frame++) {
                long deadline = start + frame * period;
                long now;
                while (true) {
                    now = System.nanoTime();
                    if (crew.stopping()) return;
                    boolean slot = last.done.get() > frame - FRAMES_IN_FLIGHT;
                    if (slot && now >= deadline) break;
                    if (slot) {
                        LockSupport.parkNanos(deadline - now);
                    } else {
                        waitingForSlot.set(true);
                        if (last.done.get() <= frame - FRAMES_IN_FLIGHT) LockSupport.park();
                        waitingForSlot.set(false);
                    }
                }
                startLateness.recordValue(now - deadline);
                Spin.run(work);
                first.handOn(frame, next);
            }
        });
        for (int i = 1; i < stages.size(); i++) {
            Stage stage = stages.get(i);
            Stage previous = stages.get(i - 1);
            Stage next = stage == last ? null : stages.get(i + 1);
            stage.thread = crew.add("pipeline-" + stage.name, Role.GAME, stage.number, () -> {
                for (long frame = 0; ; frame++) {
                    boolean slept = false;
                    while (previous.done.get() <= frame) {
                        if (crew.stopping()) return;
                        LockSupport.park();
                        slept = true;
                    }
                    long running = System.nanoTime();
                    if (slept) stage.wakeWait.recordValue(Math.max(0, running - previous.handedAt[(int) (frame % RING)]));
                    else stage.queued++;
                    Spin.run(work);
                    stage.handOn(frame, next);
                    if (stage == last) {
                        long present = stage.handedAt[(int) (frame % RING)];
                        long latency = present - (firstDeadline.get() + frame * period);
                        inputToPresent.recordValue(Math.max(0, latency));
                        if (latency > period) presents[0]++;
                        if (frame == 0) presents[1] = present;
                        else intervals.recordValue(present - presents[2]);
                        presents[2] = present;
                        if (waitingForSlot.get()) LockSupport.unpark(first.thread);
                    }
                }
            });
        }
        crew.addHogs(Parameter.resolveThreads(settings.get(HOGS)));
        crew.run(duration, () -> stages.forEach(s -> LockSupport.unpark(s.thread)));

        long presented = last.done.get();
        double seconds = (presents[2] - presents[1]) / 1e9;
        WorkloadReport.Builder report = new WorkloadReport.Builder()
                .count("frames_started", first.done.get())
                .count("frames_presented", presented)
                .latency("frame_interval", intervals, "ms")
                .latency("input_to_present", inputToPresent, "ms")
                .value("fps_mean", "fps", presented > 1 && seconds > 0 ? (presented - 1) / seconds : Double.NaN)
                .value("fps_low_1pct", "fps", fps(intervals, 99))
                .value("fps_low_0_1pct", "fps", fps(intervals, 99.9))
                .count("deadline_misses", presents[0])
                .value("deadline_miss_ratio", "ratio", presented == 0 ? Double.NaN : (double) presents[0] / presented)
                .latency("input_start_lateness", startLateness, "us");
        for (Stage s : stages.subList(1, stages.size())) {
            report.latency("wake_wait_" + s.name, s.wakeWait, "us").count("handoffs_queued_" + s.name, s.queued);
        }
        return report.count("hogs", Parameter.resolveThreads(settings.get(HOGS))).build();
    }

    /** The frame rate of the {@code percentile} frame interval: the "1 % low" of percentile form. */
    private static double fps(Histogram intervals, double percentile) {
        return intervals.getTotalCount() == 0 ? Double.NaN : 1e9 / intervals.getValueAtPercentile(percentile);
    }
}
