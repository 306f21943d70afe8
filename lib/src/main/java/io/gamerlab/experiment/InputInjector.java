package io.gamerlab.experiment;

import io.gamerlab.workload.InputEndMarker;
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
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;

/**
 * Drives the guest's virtio mouse, keyboard and tablet from the host: connects to QEMU's QMP socket
 * (retrying until QEMU has created it), negotiates capabilities, waits until the guest is ready
 * for input (the caller decides: {@link GuestBackend} waits for the workload's input-reader to say
 * it reads), then sends {@code input-send-event} commands until its window has passed, the guest
 * says it is done reading, {@link #stop()}, or QEMU goes away: relative x motion (+1, -1, ...) at a
 * fixed rate, a key press and release on the guest's keyboard a few times a second, and, if asked,
 * absolute moves of the tablet between two points. The events travel the real path:
 * virtio-input in QEMU, the guest's virtio_input driver, the kernel's input core
 * ({@code input_event}), evdev, and a read() on /dev/input/eventN (nobody reads the keyboard's).
 *
 * <p>Once its window has passed, if asked, it sends the {@link InputEndMarker} ten times a second
 * until the guest says it is done reading or a bound passes: a guest reader reads until it has read
 * a marker, which follows every event sent before it on the same device, so what the guest reads
 * does not depend on when the host learns, through a lagging console, that the guest stopped.
 *
 * <p>Motion, key presses and tablet moves are {@link PacedCommands} of their own: each paces itself against
 * absolute deadlines with its own budget of commands awaiting QEMU's reply, so when the emulated
 * guest lags and motion fills its budget, key presses still go out at the rate asked. What was
 * asked, sent and acknowledged is counted per kind. Everything runs on daemon threads and
 * {@link #stop()} returns within a bounded time, whatever QEMU does, so it never holds up the
 * caller's own timeout and error handling.
 */
public final class InputInjector {

    /**
     * @param eventsPerSecond     target rate of motion events
     * @param eventsPerCommand    motion events per input-send-event; each command is one report (one SYN) in the guest
     * @param inFlight            motion commands sent but not yet answered, at most
     * @param keyPressesPerSecond key presses (down and up, one command each) per second; 0 for none
     * @param tabletMovesPerSecond tablet moves (one report of ABS_X and ABS_Y, one command each) per second; 0 for none
     */
    public record Settings(int eventsPerSecond, int eventsPerCommand, int inFlight, int keyPressesPerSecond,
                           int tabletMovesPerSecond) {
        public Settings {
            if (tabletMovesPerSecond < 0)
                throw new IllegalArgumentException("tablet moves per second must be >= 0, was " + tabletMovesPerSecond);
            if (eventsPerSecond < 1 || eventsPerCommand < 1 || inFlight < 1)
                throw new IllegalArgumentException("rate, batch and in-flight must be >= 1: " + eventsPerSecond + ", "
                        + eventsPerCommand + ", " + inFlight);
            if (keyPressesPerSecond < 0 || keyPressesPerSecond > MAX_KEY_PRESSES_PER_SECOND)
                throw new IllegalArgumentException("key presses per second must be between 0 and " + MAX_KEY_PRESSES_PER_SECOND
                        + ", was " + keyPressesPerSecond);
        }

        /** Motion only. */
        public Settings(int eventsPerSecond, int eventsPerCommand, int inFlight) {
            this(eventsPerSecond, eventsPerCommand, inFlight, 0);
        }

        /** Motion and key presses, no tablet. */
        public Settings(int eventsPerSecond, int eventsPerCommand, int inFlight, int keyPressesPerSecond) {
            this(eventsPerSecond, eventsPerCommand, inFlight, keyPressesPerSecond, 0);
        }

        /** 1000 motion events a second, one per report, as a 1 kHz gaming mouse reports; 10 key presses a second. */
        public static Settings standard() {
            return new Settings(1000, 1, 8, 10);
        }

        double motionCommandsPerSecond() {
            return (double) eventsPerSecond / eventsPerCommand;
        }
    }

    /**
     * What the injector did. Motion counts are in events, key counts in presses, tablet counts in
     * moves (two events each). {@code acknowledged} means QEMU answered {@code return}: it handed the
     * report to the virtio device (the guest may still lose it, if it has not refilled the device's
     * queue in time).
     *
     * @param sending   from the first motion command to its last reply
     * @param perSecond acknowledged motion events in each whole second of sending
     */
    public record Stats(PacedCommands.Account motion, PacedCommands.Account keys, PacedCommands.Account tablet,
                        PacedCommands.Account endMarkers, int eventsPerCommand, Duration sending, List<Long> perSecond, String lastError) {

        public long eventsAsked() {
            return motion.asked() * eventsPerCommand;
        }

        public long eventsSent() {
            return motion.sent() * eventsPerCommand;
        }

        /** Motion events not sent because QEMU had not answered the commands in flight: it lagged. */
        public long eventsHeldBack() {
            return motion.heldBack() * eventsPerCommand;
        }

        /** Motion events not sent because the injector's thread woke too late: the host was busy. */
        public long eventsLate() {
            return motion.late() * eventsPerCommand;
        }

        public long eventsAcknowledged() {
            return motion.acknowledged() * eventsPerCommand;
        }

        public long commandsFailed() {
            return motion.failed() + keys.failed() + endMarkers.failed();
        }

        public long keyPressesAsked() {
            return keys.asked();
        }

        public long keyPressesSent() {
            return keys.sent();
        }

        public long keyPressesAcknowledged() {
            return keys.acknowledged();
        }

        public double eventsPerSecond() {
            return sending.isZero() ? 0 : eventsAcknowledged() / (sending.toNanos() / 1e9);
        }

    }

    /** The QEMU device id of the guest's virtio keyboard. */
    public static final String KEYBOARD = "gamerlab-keyboard";
    static final int MAX_KEY_PRESSES_PER_SECOND = 100;
    /**
     * Key presses awaiting a reply, at most: at ten a second, ten cover QEMU taking a second to
     * answer (seen: half a second, with the host's two CPUs ten times oversubscribed); beyond
     * that presses are held back and counted so.
     */
    static final int KEY_PRESSES_IN_FLIGHT = 10;
    private static final long MOTION_IDS = 1;
    /** Key presses' command ids start here, so their replies are told from the motion commands'. */
    private static final long KEY_PRESS_IDS = 1L << 40;
    /** Tablet moves' command ids start here. */
    private static final long TABLET_IDS = 2L << 40;
    /** Tablet moves awaiting a reply, at most. */
    private static final int TABLET_MOVES_IN_FLIGHT = 8;
    /** End markers' command ids start here. */
    private static final long END_MARKER_IDS = 3L << 40;
    /** End markers a second: one arrives within about this period of the reader's wait, unless QEMU lags. */
    static final int END_MARKERS_PER_SECOND = 10;
    /** End markers awaiting a reply, at most: QEMU taking a second to answer, as for key presses. */
    private static final int END_MARKERS_IN_FLIGHT = 10;
    private static final Duration CONNECT_RETRY = Duration.ofMillis(20);
    /** How often the begin and end conditions are asked: they may read a file. */
    private static final Duration GATE_POLL = Duration.ofMillis(20);
    private static final Duration STOP_WAIT = Duration.ofSeconds(2);

    private final Path socket;
    private final Settings settings;
    private final Duration window;
    private final Duration endMarkerTime;
    private final BooleanSupplier guestReady;
    private final BooleanSupplier guestDone;
    private final BooleanSupplier qemuAlive;
    private final Thread thread;
    private final PacedCommands motion;
    private final PacedCommands keys;
    private final PacedCommands tablet;
    private final PacedCommands endMarkers;  // null: none asked
    private volatile boolean stopping;
    private volatile SocketChannel channel;

    private final AtomicReference<String> lastError = new AtomicReference<>("");
    private volatile long firstSendNanos;
    private volatile long lastReplyNanos;
    private final List<Long> perSecond = new ArrayList<>();  // guarded by itself

    private InputInjector(Path socket, Settings settings, Duration window, Duration endMarkerTime, BooleanSupplier guestReady,
                          BooleanSupplier guestDone, BooleanSupplier qemuAlive) {
        if (!window.isPositive()) throw new IllegalArgumentException("the injection window must be > 0, was " + window);
        if (endMarkerTime.isNegative()) throw new IllegalArgumentException("the time for end markers must be >= 0, was " + endMarkerTime);
        this.socket = socket;
        this.settings = settings;
        this.window = window;
        this.endMarkerTime = endMarkerTime;
        this.guestReady = guestReady;
        this.guestDone = guestDone;
        this.qemuAlive = qemuAlive;
        this.thread = Thread.ofPlatform().daemon().name("qmp-input-injector").unstarted(this::runSafely);
        int perCommand = settings.eventsPerCommand();
        this.motion = new PacedCommands("motion", settings.motionCommandsPerSecond(), perCommand, settings.inFlight(),
                MOTION_IDS, id -> Qmp.relativeMotion(id, perCommand, id % 2 == 1 || perCommand % 2 == 0));
        this.keys = settings.keyPressesPerSecond() == 0 ? null
                : new PacedCommands("keys", settings.keyPressesPerSecond(), 1, KEY_PRESSES_IN_FLIGHT, KEY_PRESS_IDS, Qmp::keyPress);
        this.tablet = settings.tabletMovesPerSecond() == 0 ? null
                : new PacedCommands("tablet", settings.tabletMovesPerSecond(), 2, TABLET_MOVES_IN_FLIGHT, TABLET_IDS, Qmp::absoluteMotion);
        this.endMarkers = endMarkerTime.isZero() ? null
                : new PacedCommands("end_markers", END_MARKERS_PER_SECOND, 1, END_MARKERS_IN_FLIGHT, END_MARKER_IDS, Qmp::endMarker);
    }

    /**
     * Starts injecting into the QEMU whose QMP socket is {@code socket}, from when
     * {@code guestReady} holds, for {@code window} or until {@code guestDone} holds, whichever
     * comes first (both conditions are asked every 20 ms); then, if the window passed first, sends
     * end markers for at most {@code endMarkerTime} (zero: none) or until {@code guestDone}.
     * Returns at once.
     */
    public static InputInjector start(Path socket, Settings settings, Duration window, Duration endMarkerTime,
                                      BooleanSupplier guestReady, BooleanSupplier guestDone, BooleanSupplier qemuAlive) {
        InputInjector injector = new InputInjector(socket, settings, window, endMarkerTime, guestReady, guestDone, qemuAlive);
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
        return new Stats(motion.account(), keys == null ? PacedCommands.Account.none("keys") : keys.account(),
                tablet == null ? PacedCommands.Account.none("tablet") : tablet.account(),
                endMarkers == null ? PacedCommands.Account.none("end_markers") : endMarkers.account(), settings.eventsPerCommand(), sending, seconds, lastError.get());
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
        while (running() && !guestReady.getAsBoolean()) Thread.sleep(GATE_POLL);
        if (!running()) return;

        Thread replies = Thread.ofPlatform().daemon().name("qmp-input-replies").start(() -> readReplies(in));
        firstSendNanos = System.nanoTime();
        List<Thread> senders = new ArrayList<>();
        List<PacedCommands> kinds = new ArrayList<>(List.of(motion));
        if (keys != null) kinds.add(keys);
        if (tablet != null) kinds.add(tablet);
        for (PacedCommands kind : kinds)
            senders.add(Thread.ofPlatform().daemon().name("qmp-input-" + kind.name()).start(() -> sendAll(kind, ch)));
        try {
            long until = firstSendNanos + window.toNanos();
            while (running() && System.nanoTime() - until < 0 && !guestDone.getAsBoolean() && senders.stream().allMatch(Thread::isAlive))
                Thread.sleep(GATE_POLL);
            // The markers follow every input command on the socket, so QEMU handles them last.
            stopSenders(senders);
            if (endMarkers != null && running() && !guestDone.getAsBoolean()) sendEndMarkers(ch);
        } finally {
            stopSenders(senders);
            closeChannel();
            replies.join(STOP_WAIT.toMillis());
        }
    }

    private static void stopSenders(List<Thread> senders) throws InterruptedException {
        senders.forEach(Thread::interrupt);
        for (Thread t : senders) t.join(STOP_WAIT.toMillis());
    }

    /** End markers, paced, until the guest is done reading, the time for them has passed, or we stop. */
    private void sendEndMarkers(SocketChannel ch) throws InterruptedException {
        Thread sender = Thread.ofPlatform().daemon().name("qmp-input-end-markers").start(() -> sendAll(endMarkers, ch));
        try {
            long until = System.nanoTime() + endMarkerTime.toNanos();
            while (running() && System.nanoTime() - until < 0 && !guestDone.getAsBoolean() && sender.isAlive()) Thread.sleep(GATE_POLL);
        } finally {
            stopSenders(List.of(sender));
        }
    }

    private void sendAll(PacedCommands kind, SocketChannel ch) {
        try {
            kind.run(command -> write(ch, command));
        } catch (IOException closed) {
            // QEMU went away or stop() closed the socket: the gate loop sees it and ends the run
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
                Thread.sleep(CONNECT_RETRY);
            }
        }
        return null;
    }

    private void readReplies(BufferedReader in) {
        try {
            String line;
            while ((line = in.readLine()) != null) {
                Qmp.Reply reply = Qmp.parse(line);
                if (reply.kind() != Qmp.Kind.RETURN && reply.kind() != Qmp.Kind.ERROR) continue;  // events: RESET, ...
                long now = System.nanoTime();
                long id = reply.id().orElse(0);
                boolean ok = reply.kind() == Qmp.Kind.RETURN;
                if (!ok) lastError.set(reply.errorDescription());
                if (motion.owns(id)) {
                    motion.replied(id, ok, now);
                    lastReplyNanos = now;
                    if (ok) countInSecond(now);
                } else if (keys != null && keys.owns(id)) {
                    keys.replied(id, ok, now);
                } else if (tablet != null && tablet.owns(id)) {
                    tablet.replied(id, ok, now);
                } else if (endMarkers != null && endMarkers.owns(id)) {
                    endMarkers.replied(id, ok, now);
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

    /** Whole commands only: the senders of every kind share the socket. */
    private static void write(SocketChannel ch, String message) throws IOException {
        ByteBuffer bytes = ByteBuffer.wrap(message.getBytes(StandardCharsets.UTF_8));
        synchronized (ch) {
            while (bytes.hasRemaining()) ch.write(bytes);
        }
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
