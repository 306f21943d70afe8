package io.gamerlab.experiment;

import java.io.IOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
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
    private final Map<Long, Long> sentAt = new ConcurrentHashMap<>();
    private final Histogram replyNanos = new Histogram(3_600_000_000_000L, 2);  // guarded by itself

    private final AtomicLong sent = new AtomicLong();
    private final AtomicLong late = new AtomicLong();
    private final AtomicLong heldBack = new AtomicLong();
    private final AtomicLong acknowledged = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();

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
     * normally when interrupted (that is how the injector stops it). Each tick that comes due is
     * exactly one of: sent; held back (its budget was spent on commands QEMU has not answered);
     * late (this thread woke a whole period or more after it: the host was busy). Neither of the
     * last two is ever made up by a burst.
     */
    void run(Sender out) throws IOException {
        long id = firstId;
        long deadline = System.nanoTime();
        while (!Thread.currentThread().isInterrupted()) {
            long now = System.nanoTime();
            if (deadline - now > 0) {
                LockSupport.parkNanos(deadline - now);
                continue;
            }
            long missed = (now - deadline) / periodNanos;
            late.addAndGet(missed);
            deadline += (missed + 1) * periodNanos;
            if (!budget.tryAcquire()) {
                heldBack.incrementAndGet();
                continue;
            }
            sentAt.put(id, System.nanoTime());
            out.send(command.apply(id));
            id++;
            sent.incrementAndGet();
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
        synchronized (replyNanos) {
            boolean none = replyNanos.getTotalCount() == 0;
            return new Account(name, sent.get(), heldBack.get(), late.get(), acknowledged.get(), failed.get(),
                    none ? Double.NaN : replyNanos.getValueAtPercentile(50), none ? Double.NaN : replyNanos.getValueAtPercentile(99));
        }
    }

    /**
     * Every tick that came due while sending was sent, held back or late.
     *
     * @param sent          commands written to QEMU
     * @param heldBack      ticks not sent because QEMU had not yet answered the budget's worth of commands
     * @param late          ticks not sent because this side woke a period or more after them: the host's own
     *                      business, not QEMU's
     * @param acknowledged  commands QEMU answered with {@code return}
     * @param replyP50Nanos median time from sending a command to its reply; NaN without replies
     */
    record Account(String name, long sent, long heldBack, long late, long acknowledged, long failed, double replyP50Nanos,
                   double replyP99Nanos) {

        /** Ticks that came due while sending: the rate asked times the time. */
        long asked() {
            return sent + heldBack + late;
        }

        static Account none(String name) {
            return new Account(name, 0, 0, 0, 0, 0, Double.NaN, Double.NaN);
        }
    }
}
