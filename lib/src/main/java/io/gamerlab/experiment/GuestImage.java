package io.gamerlab.experiment;

import io.gamerlab.util.Command;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * The guest's root file system: busybox, the host's JDK, libbpf and the C libraries they load,
 * and an init script. Built once into an ext4 image (mke2fs -d, no root or loop mount needed)
 * and cached under a name derived from its inputs; QEMU opens it read-only with snapshot=on.
 */
public final class GuestImage {

    static final String LIBBPF_IN_GUEST = "/usr/lib/gamerlab/libbpf.so.1";
    private static final List<String> JDK_PARTS = List.of("bin", "conf", "lib", "release");

    private final Path jdk;
    private final Path libbpf;
    private final Path busybox;
    private final Path cacheDir;

    public GuestImage(Path jdk, Path libbpf, Path busybox, Path cacheDir) {
        requireFile(jdk.resolve("bin/java"), "a JDK >= 22 (set JAVA_HOME)");
        requireFile(libbpf, "libbpf >= 1.4 (scripts/setup.sh unpacks it)");
        requireFile(busybox, "a static busybox (Debian package busybox-static)");
        this.jdk = jdk;
        this.libbpf = libbpf;
        this.busybox = busybox;
        this.cacheDir = cacheDir;
    }

    /** The image for this JDK and libbpf, built now if the cache lacks it. */
    public Path image() throws IOException {
        String init = initScript();
        Path image = cacheDir.resolve("rootfs-" + key(init) + ".ext4");
        if (Files.isRegularFile(image)) return image;
        Files.createDirectories(cacheDir);
        Path staging = Files.createTempDirectory(cacheDir, "staging-");
        try {
            stage(staging, init);
            long megabytes = sizeOf(staging) / (1 << 20) * 5 / 4 + 64;
            Path partial = cacheDir.resolve(image.getFileName() + ".partial");
            Command.run("building the guest root file system", List.of("mke2fs", "-q", "-t", "ext4", "-d",
                    staging.toString(), "-F", partial.toString(), megabytes + "M"));
            Files.move(partial, image, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            return image;
        } finally {
            deleteTree(staging);
        }
    }

    private void stage(Path root, String init) throws IOException {
        for (String dir : List.of("bin", "proc", "sys", "dev", "tmp", "job", "etc", "root", "usr/lib/gamerlab"))
            Files.createDirectories(root.resolve(dir));
        Files.copy(busybox, root.resolve("bin/busybox"));
        Files.writeString(root.resolve("init"), init);
        root.resolve("init").toFile().setExecutable(true, false);
        root.resolve("bin/busybox").toFile().setExecutable(true, false);
        // The root file system is read-only in the guest, so busybox's applet links are made here.
        for (String applet : Command.run("listing busybox applets", List.of(busybox.toString(), "--list")).split("\n"))
            if (!applet.isBlank() && !applet.equals("busybox"))
                Files.createSymbolicLink(root.resolve("bin").resolve(applet.trim()), Path.of("busybox"));
        Files.writeString(root.resolve("etc/passwd"), "root:x:0:0:root:/root:/bin/sh\n");
        List<String> cp = new ArrayList<>(List.of("cp", "-a"));
        JDK_PARTS.forEach(part -> cp.add(jdk.resolve(part).toString()));
        Files.createDirectories(root.resolve("jdk"));
        cp.add(root.resolve("jdk").toString());
        Command.run("copying the JDK into the guest image", cp);
        Files.copy(libbpf.toRealPath(), root.resolve(LIBBPF_IN_GUEST.substring(1)));
        for (String lib : sharedLibraries()) {
            Path target = root.resolve(lib.substring(1));
            Files.createDirectories(target.getParent());
            if (!Files.exists(target)) Files.copy(Path.of(lib).toRealPath(), target);
        }
    }

    /** The C libraries (and loader) the JDK's binaries and libbpf load, by the paths ldd prints. */
    private Set<String> sharedLibraries() throws IOException {
        Set<String> libs = new TreeSet<>();
        List<Path> binaries = new ArrayList<>(List.of(jdk.resolve("bin/java"), libbpf));
        try (Stream<Path> files = Files.walk(jdk.resolve("lib"))) {
            files.filter(p -> p.toString().endsWith(".so")).forEach(binaries::add);
        }
        for (Path binary : binaries) {
            for (String line : Command.run("listing libraries of " + binary, List.of("ldd", binary.toString())).split("\n")) {
                String path = line.contains("=>") ? line.split("=>")[1].trim().split(" ")[0] : line.trim().split(" ")[0];
                // JDK-internal libraries travel with the JDK; X11 and sound libraries are "not found" and unneeded headless.
                if (path.startsWith("/") && !path.startsWith(jdk.toString())) libs.add(path);
            }
        }
        return libs;
    }

    private String key(String init) throws IOException {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(init.getBytes());
            sha.update(Files.readAllBytes(jdk.resolve("release")));
            sha.update(jdk.toRealPath().toString().getBytes());
            sha.update(Files.readAllBytes(libbpf.toRealPath()));
            sha.update(Long.toString(Files.size(busybox)).getBytes());
            return HexFormat.of().formatHex(sha.digest()).substring(0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String initScript() throws IOException {
        try (InputStream in = GuestImage.class.getResourceAsStream("guest-init.sh")) {
            return new String(in.readAllBytes());
        }
    }

    private static long sizeOf(Path dir) throws IOException {
        try (Stream<Path> files = Files.walk(dir)) {
            // Links count as nothing: busybox's hundreds of applet links would each count its size.
            return files.filter(p -> Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)).mapToLong(p -> p.toFile().length()).sum();
        }
    }

    static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) return;
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted((a, b) -> b.getNameCount() - a.getNameCount()).forEach(p -> {
                try {
                    Files.delete(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
    }

    private static void requireFile(Path file, String what) {
        if (!Files.isRegularFile(file))
            throw new IllegalStateException("the guest image needs " + what + ", but " + file + " does not exist");
    }
}
