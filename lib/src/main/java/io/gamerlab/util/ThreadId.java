package io.gamerlab.util;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;

/** The kernel's id of the calling thread: what the scheduler sees as {@code p->pid}. */
public final class ThreadId {

    private static final MethodHandle GETTID = Linker.nativeLinker().downcallHandle(
            Linker.nativeLinker().defaultLookup().find("gettid").orElseThrow(),
            FunctionDescriptor.of(ValueLayout.JAVA_INT));

    private ThreadId() { }

    public static int current() {
        try {
            return (int) GETTID.invokeExact();
        } catch (Throwable t) {
            throw new IllegalStateException("gettid failed", t);
        }
    }
}
