package io.gamerlab.experiment;

import io.gamerlab.util.Command;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real QEMU for the injector to talk to: no guest to boot (the firmware finds nothing and
 * idles), the same virtio mouse, keyboard and tablet as the guest backend's, QMP on a unix socket. It
 * answers input-send-event as it would for a guest; stopped with SIGSTOP it answers nothing, and
 * stopped part of every few milliseconds it answers late, as when the emulated guest lags.
 */
final class QmpPeer implements AutoCloseable {

    private final Process qemu;
    private Thread lag;

    private QmpPeer(Process qemu) {
        this.qemu = qemu;
    }

    /** Starts QEMU with its QMP socket at {@code socket}; {@code paused} keeps the VM stopped (-S). */
    static QmpPeer start(Path socket, boolean paused) throws IOException {
        List<String> argv = new ArrayList<>(List.of("qemu-system-x86_64", "-nodefaults", "-display", "none",
                "-accel", "tcg", "-m", "64", "-device", "virtio-mouse-pci",
                "-device", "virtio-keyboard-pci,id=" + InputInjector.KEYBOARD, "-device", "virtio-tablet-pci",
                "-qmp", "unix:" + socket + ",server=on,wait=off"));
        if (paused) argv.add("-S");
        Process qemu = new ProcessBuilder(argv).redirectErrorStream(true)
                .redirectOutput(socket.resolveSibling("qemu.log").toFile()).start();
        return new QmpPeer(qemu);
    }

    /**
     * Waits until QEMU answers on its socket (it sends its greeting; the connection is then
     * closed and QEMU takes the next one), so a test's clock starts when QEMU can answer.
     */
    QmpPeer awaitSocket(Path socket) throws InterruptedException {
        long until = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < until && qemu.isAlive()) {
            try (SocketChannel ch = SocketChannel.open(UnixDomainSocketAddress.of(socket));
                 BufferedReader in = new BufferedReader(new InputStreamReader(Channels.newInputStream(ch), StandardCharsets.UTF_8))) {
                if (in.readLine() != null) return this;
            } catch (IOException notYet) {
                Thread.sleep(10);
            }
        }
        throw new IllegalStateException("QEMU did not answer on " + socket + " within 30 s");
    }

    boolean alive() {
        return qemu.isAlive();
    }

    void freeze() {
        signal("-STOP");
    }

    void thaw() {
        signal("-CONT");
    }

    /** Stops QEMU for {@code stopped} of every {@code period}, until closed: it answers, but late. */
    void lagBehind(Duration stopped, Duration period) {
        lag = Thread.ofPlatform().daemon().name("qemu-lag").start(() -> {
            try {
                while (!Thread.currentThread().isInterrupted()) {
                    freeze();
                    Thread.sleep(stopped);
                    thaw();
                    Thread.sleep(period.minus(stopped));
                }
            } catch (InterruptedException done) {
                thaw();
            }
        });
    }

    private void signal(String which) {
        Command.run("signalling QEMU", List.of("kill", which, Long.toString(qemu.pid())));
    }

    @Override
    public void close() throws InterruptedException {
        if (lag != null) {
            lag.interrupt();
            lag.join();
        }
        qemu.destroyForcibly();
        qemu.waitFor(10, TimeUnit.SECONDS);
    }
}
