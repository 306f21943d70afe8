package io.gamerlab.util;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A second JVM running one of our classes with the tests' class path, to be killed as a user's
 * would be (SIGKILL: no shutdown hook, no finally): what it leaves behind is what the test checks.
 * Its output is read line by line; the processes it started are found through {@code /proc}.
 */
public final class ChildJvm implements AutoCloseable {

    private final Process process;
    private final LinkedBlockingQueue<String> lines = new LinkedBlockingQueue<>();
    private final StringBuilder output = new StringBuilder();

    private ChildJvm(Process process) {
        this.process = process;
        Thread.ofPlatform().daemon().name("child-jvm-output").start(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = in.readLine()) != null; ) {
                    synchronized (output) {
                        output.append(line).append('\n');
                    }
                    lines.add(line);
                }
            } catch (IOException closed) {
                // the child died
            }
        });
    }

    /**
     * Starts {@code main} with {@code args}, this JVM's class path, native access and gamerlab
     * settings, and {@code env} added to our environment. C1 only and a small serial heap: it
     * starts fast, also in an emulated guest.
     */
    public static ChildJvm start(Class<?> main, Map<String, String> env, String... args) throws IOException {
        return start(List.of(), main, env, args);
    }

    /** As {@link #start(Class, Map, String...)}, through {@code launcher} (e.g. setpriv and its options). */
    public static ChildJvm start(List<String> launcher, Class<?> main, Map<String, String> env, String... args) throws IOException {
        List<String> argv = new ArrayList<>(launcher);
        argv.addAll(List.of(ProcessHandle.current().info().command().orElseThrow(),
                "--enable-native-access=ALL-UNNAMED", "--sun-misc-unsafe-memory-access=allow", "-Djava.awt.headless=true",
                "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xmx256m", "-cp", System.getProperty("java.class.path")));
        for (String property : List.of("gamerlab.root", "gamerlab.libbpf")) {
            String value = System.getProperty(property);
            if (value != null) argv.add("-D" + property + "=" + value);
        }
        argv.add(main.getName());
        argv.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(argv).redirectErrorStream(true);
        builder.environment().putAll(env);
        return new ChildJvm(builder.start());
    }

    public long pid() {
        return process.pid();
    }

    /** Waits for a line of output that starts with {@code prefix} and returns it; fails with all the output if none comes in time. */
    public String awaitLine(String prefix, Duration within) throws InterruptedException {
        long deadline = System.nanoTime() + within.toNanos();
        for (long left; (left = deadline - System.nanoTime()) > 0; ) {
            String line = lines.poll(Math.min(left, TimeUnit.MILLISECONDS.toNanos(200)), TimeUnit.NANOSECONDS);
            if (line != null && line.startsWith(prefix)) return line;
            if (line == null && !process.isAlive() && lines.isEmpty())
                throw new AssertionError("the child JVM exited (" + process.exitValue() + ") before printing '" + prefix + "':\n" + output());
        }
        throw new AssertionError("no line '" + prefix + "...' from the child JVM within " + within.toSeconds() + " s:\n" + output());
    }

    /** Waits for the child to exit; returns its exit status. */
    public int awaitExit(Duration within) throws InterruptedException {
        if (!process.waitFor(within.toMillis(), TimeUnit.MILLISECONDS))
            throw new AssertionError("the child JVM did not exit within " + within.toSeconds() + " s:\n" + output());
        return process.exitValue();
    }

    /** Everything it printed so far (stdout and stderr). */
    public String output() {
        synchronized (output) {
            return output.toString();
        }
    }

    /** SIGKILL, as the OOM killer or {@code kill -9} would: no shutdown hook runs. */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor();
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) kill();
    }

    /** A process identified by pid and start time, so a reused pid is never taken for it. */
    public record Pid(long pid, long startTicks, String command) {
        /** Gone: no such process any more, or a zombie (it has exited; only its exit status waits to be collected). */
        public boolean gone() {
            String stat = stat(pid);
            return stat == null || state(stat) == 'Z' || ChildJvm.startTicks(stat) != startTicks;
        }
    }

    /** Every process descended from {@code pid} now, children first. */
    public static List<Pid> descendants(long pid) {
        List<Pid> found = new ArrayList<>();
        ProcessHandle.of(pid).ifPresent(root -> root.descendants().forEach(p -> {
            String stat = stat(p.pid());
            if (stat != null) found.add(new Pid(p.pid(), startTicks(stat), p.info().command().orElse("?")));
        }));
        return found;
    }

    /** Waits until every process in {@code processes} is gone; returns those still there when {@code within} ran out. */
    public static List<Pid> awaitGone(List<Pid> processes, Duration within) throws InterruptedException {
        long deadline = System.nanoTime() + within.toNanos();
        List<Pid> left = processes;
        while (true) {
            left = left.stream().filter(p -> !p.gone()).toList();
            if (left.isEmpty() || System.nanoTime() > deadline) return left;
            Thread.sleep(50);
        }
    }

    private static String stat(long pid) {
        try {
            return Files.readString(Path.of("/proc/" + pid + "/stat"));
        } catch (IOException gone) {
            return null;
        }
    }

    /** Fields after the command, which is in parentheses and may hold spaces: state is the first, start time the 20th. */
    private static String[] fieldsAfterCommand(String stat) {
        return stat.substring(stat.lastIndexOf(')') + 2).split(" ");
    }

    private static char state(String stat) {
        return fieldsAfterCommand(stat)[0].charAt(0);
    }

    private static long startTicks(String stat) {
        return Long.parseLong(fieldsAfterCommand(stat)[19]);
    }
}
