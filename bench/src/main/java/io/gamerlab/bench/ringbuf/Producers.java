package io.gamerlab.bench.ringbuf;

import io.gamerlab.bench.host.Syscalls;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * P producer threads, producer p pinned to CPU {@code p % cpus}, each spinning on getpgid() for a
 * fixed time. Each call fires the trigger, which emits one input event whose value is getpgid's
 * argument: {@code ((p + 1) << 24) | (n & 0xFFFFFF)}, n the producer's own call counter. So every
 * event says which producer made it and where it falls in that producer's sequence, whatever
 * CPU it ran on (with more producers than CPUs, several share a CPU's sequence). The arguments
 * are above pid_max (2^22), so getpgid fails with ESRCH at the same cost every time.
 *
 * <p>Counters continue across phases (warm-up, measurement, backlogs) of one trial. A phase runs
 * for a fixed time ({@link #run}) or a fixed number of calls per producer ({@link #runCalls}: what
 * a ring sized for the phase needs).
 */
final class Producers {
    static final int COUNTER_BITS = 24;
    static final int COUNTER_MASK = (1 << COUNTER_BITS) - 1;
    /** The most events one getpgid may emit: input_trigger_burst numbers them in a u16 code (GAMER_TRIGGER_MAX_BURST). */
    static final int MAX_BURST = 65535;
    static final int REALTIME_PRIORITY = 1;
    /** Calls between two clock reads: about 10-30 us of work, the deadline's overshoot. */
    private static final int CALLS_PER_CHECK = 32;
    private static final long START_DELAY_NS = TimeUnit.MILLISECONDS.toNanos(5);
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
    /** A park may oversleep by tens of microseconds: spin the last stretch. */
    private static final long PARK_MARGIN_NS = TimeUnit.MICROSECONDS.toNanos(100);

    /**
     * What one phase measured: per producer, its calls, the time it ran (wall clock) and the CPU
     * time its thread used meanwhile (less than the wall time when other work held its CPU).
     */
    record Phase(long[] calls, long[] elapsedNs, long[] cpuNs, int[] cpus) {
        long totalCalls() {
            long sum = 0;
            for (long c : calls) sum += c;
            return sum;
        }

        /** Sum of the producers' own rates (they run side by side for the same time). */
        double eventsPerSecond() {
            double sum = 0;
            for (int p = 0; p < calls.length; p++) sum += eventsPerSecond(p);
            return sum;
        }

        double eventsPerSecond(int p) {
            return calls[p] * 1e9 / elapsedNs[p];
        }

        /** Mean over producers of each one's ns per getpgid call. */
        double nsPerCall() {
            double sum = 0;
            for (int p = 0; p < calls.length; p++) sum += (double) elapsedNs[p] / calls[p];
            return sum / calls.length;
        }

        /** Mean over producers of each one's thread CPU ns per getpgid call. */
        double cpuNsPerCall() {
            double sum = 0;
            for (int p = 0; p < calls.length; p++) sum += (double) cpuNs[p] / calls[p];
            return sum / calls.length;
        }

        /** This phase and a later one of the same producers, as one. */
        Phase plus(Phase later) {
            long[] c = calls.clone(), e = elapsedNs.clone(), u = cpuNs.clone();
            for (int p = 0; p < c.length; p++) {
                c[p] += later.calls[p];
                e[p] += later.elapsedNs[p];
                u[p] += later.cpuNs[p];
            }
            return new Phase(c, e, u, cpus);
        }

        /** The least, over producers, of CPU time / wall time: 1 when no other work took a producer's CPU. */
        double minOnCpuShare() {
            double least = 1;
            for (int p = 0; p < calls.length; p++) least = Math.min(least, (double) cpuNs[p] / elapsedNs[p]);
            return least;
        }
    }

    private final int count;
    private final int cpus;
    private final boolean realtime;
    private final long[] next;

    Producers(int count, int cpus) {
        this(count, cpus, false);
    }

    /**
     * @param realtime run each phase's producer threads under SCHED_FIFO (priority
     *                 {@value #REALTIME_PRIORITY}; root): they then run side by side whenever they
     *                 are runnable, whatever else the machine runs, within real-time throttling
     */
    Producers(int count, int cpus, boolean realtime) {
        if (count < 1 || count > 125) throw new IllegalArgumentException("1..125 producers, not " + count);
        this.count = count;
        this.cpus = cpus;
        this.realtime = realtime;
        this.next = new long[count + 1];
    }

    static int value(int producer, long n) {
        return ((producer + 1) << COUNTER_BITS) | (int) (n & COUNTER_MASK);
    }

    int count() {
        return count;
    }

    /** Index of the extra producer that fills backlogs ({@link #fillBacklog}): one past the last pinned producer. */
    int backlogProducer() {
        return count;
    }

    /**
     * Fires {@code events} getpgid calls from one thread pinned to CPU 0, as producer
     * {@link #backlogProducer()} with its own counter: a backlog for the consumer to drain.
     */
    void fillBacklog(int events) {
        Throwable[] failure = new Throwable[1];
        Thread t = Thread.ofPlatform().name("ringbuf-backlog").start(() -> {
            try {
                Syscalls.pinTo(0);
                long n = next[count];
                for (int i = 0; i < events; i++) Syscalls.getpgid(value(count, n + i));
                next[count] = n + events;
            } catch (Throwable e) {
                failure[0] = e;
            }
        });
        try {
            t.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while filling a backlog", e);
        }
        if (failure[0] != null) throw new IllegalStateException("the backlog producer failed: " + failure[0], failure[0]);
    }

    /** Sleeps until shortly before {@code due}, then spins up to it: on time to a microsecond or so, without burning a long gap. */
    private static void waitUntil(long due) {
        long left = due - System.nanoTime();
        if (left > PARK_MARGIN_NS) LockSupport.parkNanos(left - PARK_MARGIN_NS);
        while (System.nanoTime() < due) Thread.onSpinWait();
    }

    /** Calls producer p (or the backlog producer) made in every phase so far. */
    long calls(int producer) {
        return next[producer];
    }

    long totalCalls() {
        long sum = 0;
        for (long n : next) sum += n;
        return sum;
    }

    /** Runs every producer for {@code durationNs}, all starting at the same instant. */
    Phase run(long durationNs) {
        return phase(durationNs, Long.MAX_VALUE, 0);
    }

    /**
     * Runs every producer for {@code durationNs}, each making its n-th call {@code n * gapNs} after
     * the start (at once when it is behind): arrivals at a steady rate, however long a call takes.
     */
    Phase runPaced(long durationNs, long gapNs) {
        if (gapNs <= 0) throw new IllegalArgumentException("gap " + gapNs + " ns");
        return phase(durationNs, Long.MAX_VALUE, gapNs);
    }

    /**
     * Runs every producer, all starting at the same instant, until each has made {@code calls}
     * calls (a multiple of {@value #CALLS_PER_CHECK}: rounded up to one).
     */
    Phase runCalls(long calls) {
        return phase(Long.MAX_VALUE / 2, roundedCalls(calls), 0);
    }

    /** {@code calls} rounded up to the producers' step: what {@link #runCalls} makes each producer call. */
    static long roundedCalls(long calls) {
        return Math.max(1, (calls + CALLS_PER_CHECK - 1) / CALLS_PER_CHECK) * CALLS_PER_CHECK;
    }

    private Phase phase(long durationNs, long callsEach, long gapNs) {
        int step = gapNs > 0 ? 1 : CALLS_PER_CHECK;
        long[] calls = new long[count];
        long[] elapsed = new long[count];
        long[] cpuTime = new long[count];
        int[] pinned = new int[count];
        Throwable[] failure = new Throwable[1];
        Thread[] threads = new Thread[count];
        long startAt = System.nanoTime() + START_DELAY_NS + TimeUnit.MILLISECONDS.toNanos(count);
        long endAt = startAt + durationNs;
        for (int p = 0; p < count; p++) {
            int producer = p;
            int cpu = p % cpus;
            pinned[p] = cpu;
            threads[p] = Thread.ofPlatform().name("ringbuf-producer-" + p).unstarted(() -> {
                try {
                    Syscalls.pinTo(cpu);
                    if (realtime) Syscalls.setRealtime(REALTIME_PRIORITY);
                    long wait = startAt - System.nanoTime() - TimeUnit.MICROSECONDS.toNanos(200);
                    if (wait > 0) LockSupport.parkNanos(wait);
                    while (System.nanoTime() < startAt) Thread.onSpinWait();
                    long first = next[producer];
                    long n = first;
                    long now;
                    long cpu0 = THREADS.getCurrentThreadCpuTime();
                    long start = System.nanoTime();
                    do {
                        if (gapNs > 0) waitUntil(start + (n - first) * gapNs);
                        for (int i = 0; i < step; i++) Syscalls.getpgid(value(producer, n + i));
                        n += step;
                        now = System.nanoTime();
                    } while (now < endAt && n - first < callsEach);
                    cpuTime[producer] = THREADS.getCurrentThreadCpuTime() - cpu0;
                    next[producer] = n;
                    calls[producer] = n - first;
                    elapsed[producer] = now - start;
                } catch (Throwable t) {
                    synchronized (failure) {
                        if (failure[0] == null) failure[0] = t;
                    }
                }
            });
        }
        for (Thread t : threads) t.start();
        try {
            for (Thread t : threads) t.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while producers ran", e);
        }
        if (failure[0] != null) throw new IllegalStateException("a producer failed: " + failure[0], failure[0]);
        return new Phase(calls, elapsed, cpuTime, pinned);
    }
}
