package io.gamerlab.bpf;

import static java.lang.foreign.ValueLayout.JAVA_INT;

import io.gamerlab.sched.SchedulerBuild;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.invoke.MethodHandle;
import java.nio.file.Path;
import java.util.List;

/**
 * The host bench triggers bpf/bench/ringbuf_trigger.bpf.c (and ringbuf_nested.bpf.c), built for a
 * list of -D flags by {@link SchedulerBuild#benchObject} (cached under build/bpf/bench, shared with
 * the ring-buffer bench); and the getpgid call that fires them (its argument becomes the event's value).
 */
public final class RingBufferTrigger {
    /** The getpgid program, in both bench objects. */
    public static final String PROGRAM = "input_trigger";
    private static final MethodHandle GETPGID = Linker.nativeLinker().downcallHandle(
            Linker.nativeLinker().defaultLookup().find("getpgid").orElseThrow(), FunctionDescriptor.of(JAVA_INT, JAVA_INT));

    private RingBufferTrigger() {
    }

    public static Path build(List<String> flags) {
        return build("ringbuf_trigger", flags);
    }

    /** A bench program of bpf/bench/ (ringbuf_trigger, ringbuf_nested) built with these flags. */
    public static Path build(String bench, List<String> flags) {
        return SchedulerBuild.ofCheckout().benchObject(bench, flags);
    }

    /** One getpgid(value) from the calling thread: the trigger emits an EV_REL event with this value. */
    public static void fire(int value) {
        try {
            int _ = (int) GETPGID.invokeExact(value);
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }
}
