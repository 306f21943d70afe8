package io.gamerlab.experiment;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/**
 * Drives the guest's virtio mouse from the host: connects to QEMU's QMP socket (retrying until
 * QEMU has created it), negotiates capabilities, waits until the guest is ready for input (the
 * caller decides: {@link GuestBackend} waits for the workload's input-reader to say it reads),
 * then sends {@code input-send-event} commands carrying relative x motion (+1, -1, ...) at
 * a fixed rate until the guest says it is done reading, {@link #stop()}, or QEMU goes away. The events travel the real path:
 * virtio-input in QEMU, the guest's virtio_input driver, the kernel's input core
 * ({@code input_event}), evdev, and a read() on /dev/input/eventN. Beside the motion it can press
 * and release a key on the guest's keyboard (the virtio one, {@link #KEYBOARD}) a few times a second, so
 * that keyboard events reach the input core too (nobody reads them in the guest).
 *
 * <p>Pacing uses absolute deadlines. Up to {@link Settings#inFlight} commands may await their
 * reply, so a slow round trip does not lower the rate; when the injector falls further behind than
 * that, it drops the missed ticks rather than bursting. Everything runs on a daemon thread and
 * {@link #stop()} returns within a bounded time, whatever QEMU does, so it never holds up the
 * caller's own timeout and error handling.
 */
public final class InputInjector {

    /**
     * @param eventsPerSecond  target rate of motion events
     * @param eventsPerCommand events per input-send-event; each command is one report (one SYN) in the guest
     * @param inFlight         commands sent but not yet answered, at most
     */
    public record Settings(int eventsPerSecond, int eventsPerCommand, int inFlight, int keyPressesPerSecond) {
        public Settings {
            if (eventsPerSecond < 1 || eventsPerCommand < 1 || inFlight < 1)
                throw new IllegalArgumentException("rate, batch and in-flight must be >= 1: " + eventsPerSecond + ", "
                        + eventsPerCommand + ", " + inFlight);
            if (keyPressesPerSecond < 0 || keyPressesPerSecond > eventsPerSecond / eventsPerCommand)
                throw new IllegalArgumentException("key presses per second must be between 0 and the motion commands per second ("
                        + eventsPerSecond / eventsPerCommand + "), was " + keyPressesPerSecond);
        }

        /** Motion only. */
        public Settings(int eventsPerSecond, int eventsPerCommand, int inFlight) {
            this(eventsPerSecond, eventsPerCommand, inFlight, 0);
        }

        /** 1000 motion events a second, one per report, as a 1 kHz gaming mouse reports; 10 key presses a second. */
        public static Settings standard() {
            return new Settings(1000, 1, 8, 10);
        }

        /** Motion commands between two key presses; 0 without key presses. */
        long commandsPerKeyPress() {
            return keyPressesPerSecond == 0 ? 0 : eventsPerSecond / eventsPerCommand / keyPressesPerSecond;
        }

        long commandPeriodNanos() {
            return 1_000_000_000L * eventsPerCommand / eventsPerSecond;
        }
    }

    /**
     * What the injector did. {@code acknowledged} events are those QEMU answered {@code return}
     * for: QEMU queued them to the virtio device (the guest may still drop them if its queue or
     * its reader falls behind).
     *
     * @param sending      from the first command to the last reply
     * @param perSecond    acknowledged events in each whole second of sending
     */
    public record Stats(long eventsSent, long eventsAcknowledged, long commandsFailed, Duration sending,
                        List<Long> perSecond, String lastError, long keyPressesSent, long keyPressesAcknowledged) {

        public double eventsPerSecond() {
            return sending.isZero() ? 0 : eventsAcknowledged / (sending.toNanos() / 1e9);
        }

        static Stats none(String why) {
            return new Stats(0, 0, 0, Duration.ZERO, List.of(), why, 0, 0);
        }
    }

    /** The QEMU device id of the guest's virtio keyboard. */
    public static final String KEYBOARD = "gamerlab-keyboard";
    /** Key presses' command ids start here, so their replies are told from the motion commands'. */
    private static final long KEY_PRESS_IDS = 1L << 40;
    private static final Duration CONNECT_RETRY = Duration.ofMillis(20);
    /** How often the begin and end conditions are asked: they may read a file. */
    private static final long GATE_POLL_NANOS = 20_000_000L;
    private static final Duration STOP_WAIT = Duration.ofSeconds(2);

    private final Path socket;
    private final Settings settings;
    private final BooleanSupplier guestReady;
    private final BooleanSupplier guestDone;
    private final BooleanSupplier qemuAlive;
    private final Thread thread;
    private volatile boolean stopping;
    private volatile SocketChannel channel;

    private final AtomicLong sent = new AtomicLong();
    private final AtomicLong acknowledged = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final AtomicLong keysSent = new AtomicLong();
    private final AtomicLong keysAcknowledged = new AtomicLong();
    private final AtomicReference<String> lastError = new AtomicReference<>("");
    private volatile long firstSendNanos;
    private volatile long lastReplyNanos;
    private final List<Long> perSecond = new ArrayList<>();  // guarded by itself

    private InputInjector(Path socket, Settings settings, BooleanSupplier guestReady, BooleanSupplier guestDone,
                          BooleanSupplier qemuAlive) {
        this.socket = socket;
        this.settings = settings;
        this.guestReady = guestReady;
        this.guestDone = guestDone;
        this.qemuAlive = qemuAlive;
        this.thread = Thread.ofPlatform().daemon().name("qmp-input-injector").unstarted(this::runSafely);
    }

    /**
     * Starts injecting into the QEMU whose QMP socket is {@code socket}, from when
     * {@code guestReady} holds until {@code guestDone} does (both are asked every 20 ms);
     * returns at once.
     */
    public static InputInjector start(Path socket, Settings settings, BooleanSupplier guestReady,
                                      BooleanSupplier guestDone, BooleanSupplier qemuAlive) {
        InputInjector injector = new InputInjector(socket, settings, guestReady, guestDone, qemuAlive);
        injector.thread.start();
        return injector;
    }

    /** Stops sending, closes the socket and returns what was done; waits at most a couple of seconds. */
    public Stats stop() throws InterruptedException {
        stopping = true;
        closeChannel();
        thread.interrupt();
        thread.join(STOP_WAIT.toMillis());
        long start = firstSendNanos;
        long end = lastReplyNanos;
        Duration sending = start == 0 || end <= start ? Duration.ZERO : Duration.ofNanos(end - start);
        List<Long> seconds;
        synchronized (perSecond) {
            seconds = List.copyOf(perSecond);
        }
        return new Stats(sent.get(), acknowledged.get(), failed.get(), sending, seconds, lastError.get(), keysSent.get(),
                keysAcknowledged.get());
    }

    private boolean running() {
        return !stopping && qemuAlive.getAsBoolean();
    }

    private void runSafely() {
        try {
            run();
        } catch (IOException e) {
            // Once sending, a broken connection is QEMU powering off: how every run ends.
            if (running() && firstSendNanos == 0) lastError.compareAndSet("", "QMP connection failed: " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            lastError.set("input injector failed: " + e);
        } finally {
            closeChannel();
        }
    }

    private void run() throws IOException, InterruptedException {
        SocketChannel ch = connect();
        if (ch == null) return;
        BufferedReader in = new BufferedReader(new InputStreamReader(Channels.newInputStream(ch), StandardCharsets.UTF_8));
        expect(in, Qmp.Kind.GREETING, "greeting");
        write(ch, Qmp.capabilities());
        expect(in, Qmp.Kind.RETURN, "qmp_capabilities");
        while (running() && !guestReady.getAsBoolean()) Thread.sleep(GATE_POLL_NANOS / 1_000_000);
        if (!running()) return;

        Semaphore window = new Semaphore(settings.inFlight());
        Thread replies = Thread.ofPlatform().daemon().name("qmp-input-replies").start(() -> readReplies(in, window));
        try {
            send(ch, window);
        } finally {
            closeChannel();
            replies.join(STOP_WAIT.toMillis());
        }
    }

    private SocketChannel connect() throws InterruptedException {
        UnixDomainSocketAddress address = UnixDomainSocketAddress.of(socket);
        while (running()) {
            try {
                SocketChannel ch = SocketChannel.open(address);
                channel = ch;
                if (stopping) closeChannel();  // stop() ran while we connected
                return ch;
            } catch (IOException notYet) {
                Thread.sleep(CONNECT_RETRY.toMillis());
            }
        }
        return null;
    }

    private void send(SocketChannel ch, Semaphore window) throws IOException, InterruptedException {
        long period = settings.commandPeriodNanos();
        long maxLag = period * settings.inFlight();
        long id = 0;
        long keyId = KEY_PRESS_IDS;
        long commandsPerKey = settings.commandsPerKeyPress();
        boolean positive = true;
        long deadline = System.nanoTime();
        firstSendNanos = deadline;
        long gateAsked = deadline;
        while (running()) {
            long now = System.nanoTime();
            if (now - gateAsked >= GATE_POLL_NANOS) {
                if (guestDone.getAsBoolean()) break;
                gateAsked = now;
            }
            if (deadline - now > 0) {
                LockSupport.parkNanos(deadline - now);
                continue;
            }
            if (now - deadline > maxLag) deadline = now;  // fell behind: skip ticks, never burst
            if (!window.tryAcquire(Math.max(period, 1_000_000L), TimeUnit.NANOSECONDS)) continue;
            write(ch, Qmp.relativeMotion(++id, settings.eventsPerCommand(), positive));
            if (settings.eventsPerCommand() % 2 == 1) positive = !positive;
            sent.addAndGet(settings.eventsPerCommand());
            deadline += period;
            // A press beside every n-th motion command, when a reply slot is free (never waits for one).
            if (commandsPerKey > 0 && id % commandsPerKey == 0 && window.tryAcquire()) {
                write(ch, Qmp.keyPress(++keyId));
                keysSent.incrementAndGet();
            }
        }
    }

    private void readReplies(BufferedReader in, Semaphore window) {
        try {
            String line;
            while ((line = in.readLine()) != null) {
                Qmp.Reply reply = Qmp.parse(line);
                long now = System.nanoTime();
                switch (reply.kind()) {
                    case RETURN -> {
                        if (reply.id().orElse(0) > KEY_PRESS_IDS) {
                            keysAcknowledged.incrementAndGet();
                        } else {
                            acknowledged.addAndGet(settings.eventsPerCommand());
                            lastReplyNanos = now;
                            countInSecond(now);
                        }
                        window.release();
                    }
                    case ERROR -> {
                        failed.incrementAndGet();
                        lastError.set(reply.errorDescription());
                        lastReplyNanos = now;
                        window.release();
                    }
                    default -> { }  // asynchronous events (RESET, SHUTDOWN, ...)
                }
            }
        } catch (IOException closed) {
            // the socket was closed by stop() or by QEMU exiting
        }
    }

    private void countInSecond(long now) {
        int second = (int) ((now - firstSendNanos) / 1_000_000_000L);
        synchronized (perSecond) {
            while (perSecond.size() <= second) perSecond.add(0L);
            perSecond.set(second, perSecond.get(second) + settings.eventsPerCommand());
        }
    }

    private static void expect(BufferedReader in, Qmp.Kind kind, String what) throws IOException {
        while (true) {
            String line = in.readLine();
            if (line == null) throw new IOException("QMP closed before its " + what);
            Qmp.Reply reply = Qmp.parse(line);
            if (reply.kind() == kind) return;
            if (reply.kind() == Qmp.Kind.ERROR) throw new IOException("QMP refused " + what + ": " + reply.errorDescription());
        }
    }

    private static void write(SocketChannel ch, String message) throws IOException {
        ByteBuffer bytes = ByteBuffer.wrap(message.getBytes(StandardCharsets.UTF_8));
        while (bytes.hasRemaining()) ch.write(bytes);
    }

    private void closeChannel() {
        SocketChannel ch = channel;
        if (ch == null) return;
        try {
            ch.close();
        } catch (IOException ignored) {
            // closing is best effort: the thread ends either way
        }
    }
}
