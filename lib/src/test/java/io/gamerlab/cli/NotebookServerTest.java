package io.gamerlab.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.gamerlab.sched.SchedulerBuild;
import io.gamerlab.util.Executables;
import io.gamerlab.util.OwnedProcess;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@code scripts/notebook.sh}, what {@code ./gamerlab notebook} runs: Jupyter with the project's
 * Java kernel, listening on 127.0.0.1 only and answering only requests with its token.
 */
@Timeout(180)
class NotebookServerTest {

    private static final Path ROOT = SchedulerBuild.ofCheckout().root();
    private static final HttpClient HTTP = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER)
            .connectTimeout(Duration.ofSeconds(5)).build();
    private static Process jupyter;
    private static int port;
    private static String token;

    @BeforeAll
    static void start() throws Exception {
        assumeTrue(Executables.find("jupyter").isPresent(), "Jupyter is not installed (scripts/setup.sh installs it)");
        assumeTrue(Files.isRegularFile(ROOT.resolve("build/jupyter/kernels/gamerlab-java/kernel.json")),
                "no gamerlab-java kernel spec: scripts/setup.sh writes it");
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = probe.getLocalPort();
        }
        byte[] secret = new byte[24];
        new SecureRandom().nextBytes(secret);
        token = HexFormat.of().formatHex(secret);
        ProcessBuilder pb = new ProcessBuilder("bash", ROOT.resolve("scripts/notebook.sh").toString(), Integer.toString(port))
                .redirectErrorStream(true).redirectOutput(Files.createTempFile("gamerlab-notebook", ".log").toFile());
        pb.environment().put("GAMERLAB_NOTEBOOK_TOKEN", token);
        jupyter = OwnedProcess.start(pb);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (true) {
            try {
                if (get("/api/status?token=" + token).statusCode() == 200) break;
            } catch (ConnectException notYet) {
                // still starting
            }
            if (!jupyter.isAlive()) throw new AssertionError("Jupyter exited with " + jupyter.exitValue());
            if (System.nanoTime() > deadline) throw new AssertionError("Jupyter did not answer on 127.0.0.1:" + port);
            Thread.sleep(250);
        }
    }

    @AfterAll
    static void stop() throws InterruptedException {
        if (jupyter == null) return;
        jupyter.destroy();
        if (!jupyter.waitFor(20, TimeUnit.SECONDS)) jupyter.destroyForcibly().waitFor();
    }

    private static HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void withTheTokenItServesTheProjectsJavaKernel() throws Exception {
        HttpResponse<String> specs = get("/api/kernelspecs?token=" + token);
        assertEquals(200, specs.statusCode());
        assertTrue(specs.body().contains("\"default\": \"gamerlab-java\"") || specs.body().contains("\"default\":\"gamerlab-java\""),
                specs.body());
        assertTrue(specs.body().contains("Java 25 (gamerlab)"), specs.body());
    }

    @Test
    void withoutTheTokenItRefuses() throws Exception {
        assertEquals(403, get("/api/status").statusCode(), "the API without a token");
        assertEquals(403, get("/api/status?token=" + token + "x").statusCode(), "the API with a wrong token");
        HttpResponse<String> tree = get("/tree");
        assertEquals(302, tree.statusCode(), "the file browser sends a request without the token to log in");
        assertTrue(tree.headers().firstValue("location").orElse("").startsWith("/login"), tree.headers().toString());
    }

    @Test
    void itListensOnTheLoopbackAddressAlone() throws IOException {
        List<String> listening = listeningAddresses(port);
        assertEquals(List.of("127.0.0.1"), listening, "every socket listening on port " + port);
        for (InetAddress address : otherAddresses()) {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress(address, port), 2000);
                throw new AssertionError("Jupyter answered on " + address.getHostAddress() + ":" + port);
            } catch (ConnectException refused) {
                // as it must
            }
        }
    }

    /** This machine's addresses other than loopback, from its network interfaces. */
    private static List<InetAddress> otherAddresses() throws IOException {
        List<InetAddress> addresses = new ArrayList<>();
        for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces()))
            for (InetAddress a : Collections.list(nic.getInetAddresses()))
                if (!a.isLoopbackAddress() && !a.isLinkLocalAddress()) addresses.add(a);
        return addresses;
    }

    /** The local addresses of the sockets listening on {@code port}, from /proc/net/tcp and tcp6. */
    private static List<String> listeningAddresses(int port) throws IOException {
        String hexPort = String.format(Locale.ROOT, "%04X", port);
        List<String> found = new ArrayList<>();
        for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
            List<String> lines = Files.readAllLines(Path.of(table));
            for (String line : lines.subList(1, lines.size())) {
                String[] f = line.trim().split("\\s+");
                String[] local = f[1].split(":");
                if (local[1].equals(hexPort) && f[3].equals("0A" /* LISTEN */)) found.add(address(local[0]));
            }
        }
        return found;
    }

    /** /proc/net's hex address: IPv4 in host (little-endian) byte order; IPv6 as four such words. */
    private static String address(String hex) throws IOException {
        byte[] raw = HexFormat.of().parseHex(hex);
        byte[] bytes = new byte[raw.length];
        for (int word = 0; word < raw.length; word += 4)
            for (int i = 0; i < 4; i++) bytes[word + i] = raw[word + 3 - i];
        return InetAddress.getByAddress(bytes).getHostAddress();
    }

    @Test
    void theTokenIsNotOnItsCommandLine() throws IOException {
        String commandLine = Files.readString(Path.of("/proc/" + jupyter.pid() + "/cmdline")).replace('\0', ' ');
        assertFalse(commandLine.contains(token), "any user can read a command line: " + commandLine);
    }
}
