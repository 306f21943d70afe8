package io.gamerlab.experiment;

import java.io.IOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.function.LongFunction;
import org.HdrHistogram.Histogram;

/**
 * One kind of QMP command sent at a fixed rate, with its own reply budget: at most
 * {@code inFlight} of its commands await QEMU's reply. Each kind paces itself on its own thread
 * against absolute deadlines, so a slow reply to one kind (motion at 1 kHz filling its budget)
 * never delays another (a key press ten times a second): the rate asked is the rate sent whenever
 * QEMU answers at all. When it falls further behind than its budget, it drops the missed ticks
 * rather than bursting, and counts them as asked but not sent.
 */
final class PacedCommands {

    /** Sends one command line; thread-safe. */
    interface Sender {
        void send(String command) throws IOException;
    }

    private final String name;
    private final long periodNanos;
    private final int eventsPerCommand;
    private final long firstId;
    private final LongFunction<String> command;
    private final Semaphore budget;
    private final int inFlight;
    private final Map<Long, Long> sentAt = new ConcurrentHashMap<>();
    private final Histogram replyNanos = new Histogram(3_600_000_000_000L, 2);  // guarded by itself

    private final AtomicLong sent = new AtomicLong();
    private final AtomicLong acknowledged = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private volatile long startNanos;
    private volatile long endNanos;

    /**
     * @param firstId   ids of this kind's commands count up from here; replies are matched by id
     * @param command   the command line for an id
     */
    PacedCommands(String name, double commandsPerSecond, int eventsPerCommand, int inFlight, long firstId,
                  LongFunction<String> command) {
        if (!(commandsPerSecond > 0)) throw new IllegalArgumentException(name + ": commands per second must be > 0, was " + commandsPerSecond);
        this.name = name;
        this.periodNanos = Math.max(1, Math.round(1e9 / commandsPerSecond));
        this.eventsPerCommand = eventsPerCommand;
        this.inFlight = inFlight;
        this.firstId = firstId;
        this.command = command;
        this.budget = new Semaphore(inFlight);
    }

    String name() {
        return name;
    }

    /** Whether a reply's id belongs to this kind's commands. */
    boolean owns(long id) {
        return id >= firstId && id < firstId + (1L << 40);
    }

    /**
     * Sends on the calling thread at the fixed rate until interrupted or a send fails; returns
     * normally when interrupted (that is how the injector stops it).
     */
    void run(Sender out) throws IOException {
        long id = firstId;
        long deadline = System.nanoTime();
        startNanos = deadline;
        long maxLag = periodNanos * inFlight;
        try {
            while (!Thread.currentThread().isInterrupted()) {
                long now = System.nanoTime();
                if (deadline - now > 0) {
                    LockSupport.parkNanos(deadline - now);
                    continue;
                }
                // Fell behind: skip whole ticks, keeping the phase; never burst to catch up.
                if (now - deadline > maxLag) deadline += (now - deadline) / periodNanos * periodNanos;
                if (!budget.tryAcquire(periodNanos, TimeUnit.NANOSECONDS)) continue;
                sentAt.put(id, System.nanoTime());
                out.send(command.apply(id));
                id++;
                sent.incrementAndGet();
                deadline += periodNanos;
            }
        } catch (InterruptedException stop) {
            Thread.currentThread().interrupt();
        } finally {
            endNanos = System.nanoTime();
        }
    }

    /** QEMU answered {@code id}: {@code ok} for a return, false for an error. */
    void replied(long id, boolean ok, long nowNanos) {
        Long at = sentAt.remove(id);
        if (at == null) return;  // not ours, or answered twice
        if (ok) acknowledged.incrementAndGet();
        else failed.incrementAndGet();
        synchronized (replyNanos) {
            replyNanos.recordValue(Math.max(0, nowNanos - at));
        }
        budget.release();
    }

    int eventsPerCommand() {
        return eventsPerCommand;
    }

    /** What this kind did: counts in commands, and the reply times QEMU took. */
    Account account() {
        long start = startNanos;
        long end = endNanos == 0 ? System.nanoTime() : endNanos;
        // Ticks that came due while sending: one at the start, then one per period.
        long asked = start == 0 ? 0 : (end - start) / periodNanos + 1;
        synchronized (replyNanos) {
            boolean none = replyNanos.getTotalCount() == 0;
            return new Account(name, asked, sent.get(), acknowledged.get(), failed.get(),
                    none ? Double.NaN : replyNanos.getMean(), none ? Double.NaN : replyNanos.getValueAtPercentile(50),
                    none ? Double.NaN : replyNanos.getValueAtPercentile(99), inFlight);
        }
    }

    /**
     * @param asked         commands whose time came while sending (the rate asked times the time)
     * @param sent          commands written to QEMU
     * @param acknowledged   commands QEMU answered with {@code return}
     * @param replyMeanNanos mean time from sending a command to its reply; NaN without replies
     */
    record Account(String name, long asked, long sent, long acknowledged, long failed, double replyMeanNanos,
                   double replyP50Nanos, double replyP99Nanos, int inFlight) {

        /**
         * The most commands per second QEMU's replies allowed: the budget over the mean reply
         * time (Little's law, for a budget kept full). A rate near it means QEMU, not the
         * injector, set the pace.
         */
        double possiblePerSecond() {
            return Double.isNaN(replyMeanNanos) || replyMeanNanos <= 0 ? Double.NaN : inFlight * 1e9 / replyMeanNanos;
        }

        static Account none(String name) {
            return new Account(name, 0, 0, 0, 0, Double.NaN, Double.NaN, Double.NaN, 0);
        }
    }
}
