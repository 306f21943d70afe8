package io.gamerlab.bench;

import io.gamerlab.sched.SchedulerBuild;
import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Properties;

/**
 * Where a JMH run's numbers come from. The runner writes it beside the JSON
 * ({@code <run>.provenance.properties}) when the run starts, so a file loaded later, after new
 * commits or on another machine, still says where it was measured.
 *
 * @param backend always {@code host-jvm}: these benches run in a JVM on the host, never in a guest
 * @param clock   always {@code host}: real time on this machine (not an emulated guest clock)
 */
public record HostProvenance(String cpuModel, String kernel, String jdk, String gitCommit, String backend, String clock) {

    public static final String BACKEND = "host-jvm";
    public static final String CLOCK = "host";

    /** This machine, this JVM, the repository at {@code root}, now. */
    public static HostProvenance here(Path root) {
        return new HostProvenance(readCpuModel(), readKernel(), System.getProperty("java.version"), new SchedulerBuild(root).gitCommit(), BACKEND, CLOCK);
    }

    /** The repository root: system property {@code gamerlab.root}, else the current directory. */
    public static Path repositoryRoot() {
        return Path.of(System.getProperty("gamerlab.root", ".")).toAbsolutePath().normalize();
    }

    /** What a host bench names a run starting now: UTC to the second, then the host, e.g. {@code 20261126T163032Z-vm}. */
    public static String runName() {
        return ZonedDateTime.now(ZoneOffset.UTC).format(DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'")) + "-" + hostName();
    }

    /** This machine's host name, made safe for a file name (datasets are named by it); "host" if it has none. */
    public static String hostName() {
        String h;
        try {
            h = Files.readString(Path.of("/proc/sys/kernel/hostname")).trim();
        } catch (IOException e) {
            try {
                h = InetAddress.getLocalHost().getHostName();
            } catch (IOException e2) {
                h = "host";
            }
        }
        h = h.replaceAll("[^A-Za-z0-9._-]", "_");
        return h.isEmpty() ? "host" : h;
    }

    /** The provenance file that belongs to a JMH JSON result file. */
    public static Path sidecarOf(Path json) {
        String name = json.getFileName().toString();
        String stem = name.endsWith(".json") ? name.substring(0, name.length() - 5) : name;
        return json.resolveSibling(stem + ".provenance.properties");
    }

    public void write(Path file) throws IOException {
        Properties p = new Properties();
        p.setProperty("cpu_model", cpuModel);
        p.setProperty("kernel", kernel);
        p.setProperty("jdk", jdk);
        p.setProperty("git_commit", gitCommit);
        p.setProperty("backend", backend);
        p.setProperty("clock", clock);
        try (Writer w = Files.newBufferedWriter(file)) {
            p.store(w, "provenance of the JMH run beside this file");
        }
    }

    public static HostProvenance read(Path file) throws IOException {
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(file)) {
            p.load(r);
        }
        return new HostProvenance(p.getProperty("cpu_model", "unknown"), p.getProperty("kernel", "unknown"),
                p.getProperty("jdk", "unknown"), p.getProperty("git_commit", "unknown"),
                p.getProperty("backend", BACKEND), p.getProperty("clock", CLOCK));
    }

    static String readCpuModel() {
        try (var lines = Files.lines(Path.of("/proc/cpuinfo"))) {
            return lines.filter(l -> l.startsWith("model name")).findFirst()
                    .map(l -> l.substring(l.indexOf(':') + 1).trim()).orElse("unknown");
        } catch (IOException | RuntimeException e) {
            return "unknown";
        }
    }

    static String readKernel() {
        try {
            return Files.readString(Path.of("/proc/sys/kernel/osrelease")).trim();
        } catch (IOException e) {
            return System.getProperty("os.version", "unknown");
        }
    }
}
