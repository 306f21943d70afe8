package io.gamerlab.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The injector against a stand-in QMP server on a unix socket: protocol, pacing, gates and stopping. */
@Timeout(30)
class InputInjectorTest {

    @TempDir
    Path dir;

    private final List<String> received = new CopyOnWriteArrayList<>();
    private Thread server;
    private ServerSocketChannel listening;

    /** Answers like QEMU: greeting, capabilities, then a reply per command (or none, when {@code mute}). */
    private Path serve(boolean mute, String errorFor) throws IOException {
        Path socket = dir.resolve("qmp.sock");
        listening = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        listening.bind(UnixDomainSocketAddress.of(socket));
        server = Thread.ofPlatform().daemon().start(() -> {
            try (SocketChannel ch = listening.accept()) {
                BufferedReader in = new BufferedReader(new InputStreamReader(Channels.newInputStream(ch), StandardCharsets.UTF_8));
                send(ch, "{\"QMP\": {\"version\": {}, \"capabilities\": [\"oob\"]}}");
                String line;
                while ((line = in.readLine()) != null) {
                    received.add(line);
                    if (line.contains("qmp_capabilities")) send(ch, "{\"return\": {}}");
                    else if (mute) continue;
                    else if (errorFor != null) send(ch, "{\"id\": " + Qmp.topLevel(line).get("id")
                            + ", \"error\": {\"class\": \"GenericError\", \"desc\": \"" + errorFor + "\"}}");
                    else {
                        send(ch, "{\"timestamp\": {\"seconds\": 1}, \"event\": \"SOMETHING\"}");
                        send(ch, "{\"return\": {}, \"id\": " + Qmp.topLevel(line).get("id") + "}");
                    }
                }
            } catch (IOException closed) {
                // the test is over
            }
        });
        return socket;
    }

    private static void send(SocketChannel ch, String line) throws IOException {
        ByteBuffer b = ByteBuffer.wrap((line + "\r\n").getBytes(StandardCharsets.UTF_8));
        while (b.hasRemaining()) ch.write(b);
    }

    @AfterEach
    void closeServer() throws IOException {
        if (listening != null) listening.close();
    }

    @Test
    void sendsMotionAtTheRateAskedAndCountsWhatQemuAcknowledged() throws Exception {
        Path socket = serve(false, null);
        InputInjector injector = InputInjector.start(socket, new InputInjector.Settings(500, 1, 8), () -> true, () -> false, () -> true);
        Thread.sleep(1_000);
        InputInjector.Stats s = injector.stop();
        assertTrue(s.eventsAcknowledged() > 350 && s.eventsSent() <= 520, s.toString());
        assertTrue(s.eventsSent() - s.eventsAcknowledged() <= 8, "no more than the in-flight window unanswered: " + s);
        assertTrue(Math.abs(s.eventsPerSecond() - 500) < 100, s.toString());
        assertEquals(0, s.commandsFailed());
        assertEquals("", s.lastError());
        assertTrue(received.getFirst().contains("qmp_capabilities"), "capabilities negotiated first");
        // x alternates +1, -1: the pointer never drifts
        assertTrue(received.get(1).contains("\"value\":1}") && received.get(2).contains("\"value\":-1}"), received.subList(0, 3).toString());
    }

    @Test
    void pressesAKeyBesideTheMotionAndCountsItApart() throws Exception {
        Path socket = serve(false, null);
        InputInjector injector = InputInjector.start(socket, new InputInjector.Settings(500, 1, 8, 10), () -> true, () -> false, () -> true);
        Thread.sleep(1_000);
        InputInjector.Stats s = injector.stop();
        List<String> presses = received.stream().filter(l -> l.contains("\"type\":\"key\"")).toList();
        assertEquals(s.keyPressesSent(), presses.size(), s.toString());
        assertTrue(s.keyPressesSent() >= 7 && s.keyPressesSent() <= 11, "about 10 a second: " + s);
        assertTrue(s.keyPressesSent() - s.keyPressesAcknowledged() <= 1, s.toString());
        long motion = received.stream().filter(l -> l.contains("\"type\":\"rel\"")).count();
        assertEquals(s.eventsSent(), motion, "motion counts leave the key presses out");
        assertTrue(s.eventsAcknowledged() <= s.eventsSent(), s.toString());
    }

    @Test
    void batchesSeveralEventsPerCommand() throws Exception {
        Path socket = serve(false, null);
        InputInjector injector = InputInjector.start(socket, new InputInjector.Settings(1000, 4, 8), () -> true, () -> false, () -> true);
        Thread.sleep(500);
        InputInjector.Stats s = injector.stop();
        assertEquals(0, s.eventsSent() % 4, s.toString());
        long commands = received.stream().filter(l -> l.contains("input-send-event")).count();
        assertTrue(commands > 60 && commands <= 130, "about 250 commands a second: " + commands);
    }

    @Test
    void retriesUntilTheSocketExists() throws Exception {
        Path socket = dir.resolve("qmp.sock");
        InputInjector injector = InputInjector.start(socket, new InputInjector.Settings(200, 1, 4), () -> true, () -> false, () -> true);
        Thread.sleep(300);  // QEMU has not created its socket yet
        serve(false, null);
        Thread.sleep(700);
        InputInjector.Stats s = injector.stop();
        assertTrue(s.eventsAcknowledged() > 50, s.toString());
    }

    @Test
    void sendsNothingBeforeTheGuestIsReadyAndStopsWhenItIsDone() throws Exception {
        Path socket = serve(false, null);
        AtomicBoolean ready = new AtomicBoolean();
        AtomicBoolean done = new AtomicBoolean();
        InputInjector injector = InputInjector.start(socket, new InputInjector.Settings(1000, 1, 8), ready::get, done::get, () -> true);
        Thread.sleep(300);
        assertEquals(List.of(), received.stream().filter(l -> l.contains("input-send-event")).toList());
        ready.set(true);
        Thread.sleep(300);
        done.set(true);
        Thread.sleep(200);
        long sentWhenDone = received.size();
        Thread.sleep(300);
        assertEquals(sentWhenDone, received.size(), "nothing sent after the guest said it was done");
        InputInjector.Stats s = injector.stop();
        assertTrue(s.eventsSent() > 150 && s.eventsSent() < 600, s.toString());
    }

    @Test
    void errorsAreCountedWithQemusWords() throws Exception {
        Path socket = serve(false, "No input device");
        InputInjector injector = InputInjector.start(socket, new InputInjector.Settings(200, 1, 4), () -> true, () -> false, () -> true);
        Thread.sleep(300);
        InputInjector.Stats s = injector.stop();
        assertTrue(s.commandsFailed() > 10, s.toString());
        assertEquals(0, s.eventsAcknowledged());
        assertEquals("No input device", s.lastError());
    }

    @Test
    void stopReturnsPromptlyWhenQemuNeverAnswers() throws Exception {
        Path socket = serve(true, null);
        InputInjector injector = InputInjector.start(socket, InputInjector.Settings.standard(), () -> true, () -> false, () -> true);
        Thread.sleep(300);
        long start = System.nanoTime();
        InputInjector.Stats s = injector.stop();
        assertTrue(System.nanoTime() - start < Duration.ofSeconds(3).toNanos());
        assertEquals(8, s.eventsSent(), "the in-flight window filled, then it waited");
        assertEquals(0, s.eventsAcknowledged());
    }

    @Test
    void givesUpWhenQemuIsGoneWithoutEverConnecting() throws Exception {
        InputInjector injector = InputInjector.start(dir.resolve("never.sock"), InputInjector.Settings.standard(),
                () -> true, () -> false, () -> false);
        InputInjector.Stats s = injector.stop();
        assertEquals(0, s.eventsSent());
        assertEquals(Duration.ZERO, s.sending());
    }

    @Test
    void settingsMustBePositive() {
        assertThrows(IllegalArgumentException.class, () -> new InputInjector.Settings(0, 1, 1));
        assertThrows(IllegalArgumentException.class, () -> new InputInjector.Settings(1000, 0, 1));
        assertThrows(IllegalArgumentException.class, () -> new InputInjector.Settings(1000, 1, 0));
        IllegalArgumentException keys = assertThrows(IllegalArgumentException.class, () -> new InputInjector.Settings(100, 4, 8, 26));
        assertTrue(keys.getMessage().contains("(25)"), keys.getMessage());
        assertEquals(100, InputInjector.Settings.standard().commandsPerKeyPress());
        assertEquals(0, new InputInjector.Settings(1000, 1, 8).commandsPerKeyPress());
        assertEquals(1_000_000L, InputInjector.Settings.standard().commandPeriodNanos());
        assertEquals(4_000_000L, new InputInjector.Settings(1000, 4, 8).commandPeriodNanos());
    }
}
