package io.gamerlab.util;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Starts a child process that the kernel kills when this JVM dies, however it dies (SIGKILL and
 * the OOM killer included, which run no shutdown hook): the child is started through util-linux's
 * {@code setpriv --pdeathsig KILL}, which sets {@code PR_SET_PDEATHSIG} and then execs it, so it
 * keeps its pid and its output. Java cannot run code between fork and exec, so it cannot set the
 * signal itself.
 *
 * <p>The kernel sends the signal when the <em>thread</em> that forked the child exits, not the
 * process; so every child is forked from one platform thread that lives as long as the JVM, never
 * from the caller's thread, which may be a pooled or virtual thread that ends first.
 */
public final class OwnedProcess {

    private static final ExecutorService SPAWNER = Executors.newSingleThreadExecutor(
            task -> Thread.ofPlatform().daemon().name("gamerlab-spawner").unstarted(task));

    private OwnedProcess() { }

    /** Starts {@code builder}'s command as a child that dies with this JVM. */
    public static Process start(ProcessBuilder builder) throws IOException {
        String setpriv;
        try {
            setpriv = Executables.require("setpriv", "ties a child process's life to this JVM's (--pdeathsig)",
                    "install util-linux >= 2.33 (on Debian it is always installed)").toString();
        } catch (IllegalStateException missing) {
            throw new IOException(missing.getMessage());
        }
        List<String> argv = new ArrayList<>(List.of(setpriv, "--pdeathsig", "KILL", "--"));
        argv.addAll(builder.command());
        ProcessBuilder owned = new ProcessBuilder(argv).directory(builder.directory())
                .redirectInput(builder.redirectInput()).redirectOutput(builder.redirectOutput())
                .redirectError(builder.redirectError()).redirectErrorStream(builder.redirectErrorStream());
        owned.environment().clear();
        owned.environment().putAll(builder.environment());
        Future<Process> started = SPAWNER.submit(owned::start);
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    return started.get();  // a fork takes milliseconds: an interrupt waits for it, so no child is lost
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        } catch (ExecutionException e) {
            if (e.getCause() instanceof IOException io) throw io;
            throw new IllegalStateException("starting " + builder.command().getFirst(), e.getCause());
        } finally {
            if (interrupted) Thread.currentThread().interrupt();
        }
    }
}
