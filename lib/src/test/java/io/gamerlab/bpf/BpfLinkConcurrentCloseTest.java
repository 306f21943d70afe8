package io.gamerlab.bpf;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A scheduler's shutdown hook and its owner may close the same link at once. Racing closers must
 * destroy libbpf's link once (twice would free it twice) and each return only once it is
 * detached: after any close() returns, the program counts nothing more.
 */
@Timeout(300)
class BpfLinkConcurrentCloseTest {
    private static final int ROUNDS = 100;
    private static final int CLOSERS = 4;

    @Test
    void closersRacingOnOneLinkEachReturnOnlyOnceItIsDetached() throws Exception {
        Fixtures.assumeRoot();
        try (BpfObject object = BpfObject.open(Fixtures.syscallCounter())) {
            object.setReadOnlyU32("target_tgid", ProcessHandle.current().pid());
            object.load();
            BpfMap calls = object.map("calls");
            AtomicReference<String> violation = new AtomicReference<>();
            for (int round = 0; round < ROUNDS && violation.get() == null; round++) {
                BpfLink link = object.attachProgram("count_getpgid");
                Fixtures.getpgid(1);
                CyclicBarrier together = new CyclicBarrier(CLOSERS);
                List<Thread> closers = new ArrayList<>();
                int r = round;
                for (int i = 0; i < CLOSERS; i++) {
                    closers.add(Thread.ofPlatform().start(() -> {
                        try {
                            together.await();
                            link.close();
                            long before = Fixtures.callsOverAllCpus(calls);
                            Fixtures.getpgid(10);
                            long after = Fixtures.callsOverAllCpus(calls);
                            if (after != before) violation.compareAndSet(null, "round " + r + ": " + (after - before)
                                    + " calls counted after close() returned");
                        } catch (Exception e) {
                            violation.compareAndSet(null, "round " + r + ": " + e);
                        }
                    }));
                }
                for (Thread t : closers) t.join();
            }
            assertEquals(null, violation.get());
        }
    }
}
