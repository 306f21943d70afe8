package io.gamerlab.util;

import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ThreadIdTest {

    @Test
    void aNewThreadHasItsOwnKernelTaskInThisProcess() throws InterruptedException {
        AtomicInteger tid = new AtomicInteger();
        AtomicBoolean listedInProc = new AtomicBoolean();
        Thread t = Thread.ofPlatform().start(() -> {
            tid.set(ThreadId.current());
            listedInProc.set(Files.isDirectory(Path.of("/proc/self/task/" + tid.get())));
        });
        t.join();
        assertTrue(tid.get() > 0);
        assertTrue(listedInProc.get(), "/proc/self/task/" + tid.get() + " did not exist while the thread ran");
        assertNotEquals(ThreadId.current(), tid.get());
        assertNotEquals(ManagementFactory.getRuntimeMXBean().getPid(), (long) tid.get());
    }
}
