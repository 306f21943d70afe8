package io.gamerlab.experiment;

import io.gamerlab.util.Command;
import io.gamerlab.util.OpenFiles;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * The guest's root file system: busybox, the host's JDK, libbpf and the C libraries they load,
 * an init script, and optionally kernel modules that init loads before the job and other programs
 * (stress-ng, the kernel's scx_simple) in /usr/bin with the libraries they load. Built once into
 * an ext4 image (mke2fs -d, no root or loop mount needed) and cached under a name derived from
 * its inputs, the modules' bytes included; QEMU opens it read-only with snapshot=on. Each use
 * touches its modification time, so {@link #pruneStale} can tell images nobody has used for a while
 * from those in use, here or by another checkout sharing the cache.
 */
public final class GuestImage {

    static final String LIBBPF_IN_GUEST = "/usr/lib/gamerlab/libbpf.so.1";
    /**
     * The image holds one MBR partition with this disk signature, so the kernel finds the root as
     * {@code root=PARTUUID=67616d65-01} whatever name it gives the disk: NVMe namespaces are
     * scanned asynchronously and nvme0n1 and nvme0n2 swap when the host is busy (seen in 3 of 6
     * boots with one host CPU spinning: 'Requested init /init failed (error -2)').
     */
    static final int DISK_SIGNATURE = 0x67616d65;  // "game"
    static final String ROOT_PARTUUID = String.format("%08x-01", DISK_SIGNATURE);
    private static final long PARTITION_OFFSET = 1 << 20;
    private static final String LAYOUT = "mbr-partition-1MiB";
    private static final List<String> JDK_PARTS = List.of("bin", "conf", "lib", "release");
    /** A cached image unused this long is pruned: other checkouts (other init scripts or JDKs) share the cache. */
    static final Duration STALE_AFTER = Duration.ofDays(2);

    private final Path jdk;
    private final Path libbpf;
    private final Path busybox;
    private final Path cacheDir;
    private final KernelModules modules;  // null: none
    private final List<Path> programs;

    public GuestImage(Path jdk, Path libbpf, Path busybox, Path cacheDir) {
        this(jdk, libbpf, busybox, cacheDir, null, List.of());
    }

    private GuestImage(Path jdk, Path libbpf, Path busybox, Path cacheDir, KernelModules modules, List<Path> programs) {
        requireFile(jdk.resolve("bin/java"), "a JDK >= 22 (set JAVA_HOME)");
        requireFile(libbpf, "libbpf >= 1.4 (scripts/setup.sh unpacks it)");
        requireFile(busybox, "a static busybox (Debian package busybox-static)");
        this.jdk = jdk;
        this.libbpf = libbpf;
        this.busybox = busybox;
        this.cacheDir = cacheDir;
        this.modules = modules;
        this.programs = List.copyOf(programs);
    }

    /** This image with {@code modules} in /lib/modules/gamerlab, which init inserts in their order. */
    public GuestImage withModules(KernelModules modules) {
        return new GuestImage(jdk, libbpf, busybox, cacheDir, modules, programs);
    }

    /** This image with each program (a dynamically linked executable) in /usr/bin under its own name, with the libraries it loads. */
    public GuestImage withPrograms(List<Path> executables) {
        for (Path p : executables) requireFile(p, "the program " + p.getFileName() + " (scripts/setup.sh installs it)");
        List<Path> all = new ArrayList<>(programs);
        all.addAll(executables);
        return new GuestImage(jdk, libbpf, busybox, cacheDir, modules, all);
    }

    /** The modules init loads, in order; empty when the image carries none. */
    public List<String> moduleNames() {
        return modules == null ? List.of() : modules.names();
    }

    /** The image for this JDK and libbpf, built now if the cache lacks it. */
    public Path image() throws IOException {
        String init = initScript();
        Path image = cacheDir.resolve("rootfs-" + key(init) + ".ext4");
        if (Files.isRegularFile(image)) {
            markUsed(image);
            return image;
        }
        Files.createDirectories(cacheDir);
        Path staging = Files.createTempDirectory(cacheDir, "staging-");
        try {
            stage(staging, init);
            long megabytes = sizeOf(staging) / (1 << 20) * 5 / 4 + 64;
            // Per process, so two JVMs building the same image at once do not write one file.
            Path partial = cacheDir.resolve(image.getFileName() + "." + ProcessHandle.current().pid() + ".partial");
            Command.run("building the guest root file system", List.of("mke2fs", "-q", "-t", "ext4",
                    "-E", "offset=" + PARTITION_OFFSET, "-d", staging.toString(), "-F", partial.toString(), megabytes + "M"));
            writeMasterBootRecord(partial, megabytes << 20);
            Files.move(partial, image, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            return image;
        } finally {
            deleteTree(staging);
        }
    }

    /**
     * Removes what the cache holds besides {@code current} that nobody has used for
     * {@code unusedFor}: other root images, and the partial files and staging directories of
     * builds that were killed; never a file some process has open (a QEMU booting it). Returns
     * what it removed.
     */
    static List<Path> pruneStale(Path cacheDir, Path current, Duration unusedFor) throws IOException {
        if (!Files.isDirectory(cacheDir)) return List.of();
        Instant before = Instant.now().minus(unusedFor);
        List<Path> stale = new ArrayList<>();
        try (Stream<Path> entries = Files.list(cacheDir)) {
            for (Path p : (Iterable<Path>) entries::iterator) {
                String name = p.getFileName().toString();
                boolean ours = name.startsWith("rootfs-") || name.startsWith("staging-");
                if (ours && !p.equals(current) && Files.getLastModifiedTime(p, LinkOption.NOFOLLOW_LINKS).toInstant().isBefore(before))
                    stale.add(p);
            }
        }
        if (stale.isEmpty()) return List.of();
        Set<Path> open = OpenFiles.openByAnyProcess();
        List<Path> removed = new ArrayList<>();
        for (Path p : stale) {
            if (open.contains(p.toRealPath())) continue;
            deleteTree(p);
            removed.add(p);
        }
        return removed;
    }

    /** Marks the image as used now; a cache this process may not write is left as it is. */
    private static void markUsed(Path image) {
        try {
            Files.setLastModifiedTime(image, FileTime.from(Instant.now()));
        } catch (IOException readOnlyCache) {
            // pruning is then up to whoever owns the cache
        }
    }

    Path cacheDir() {
        return cacheDir;
    }

    private void stage(Path root, String init) throws IOException {
        for (String dir : List.of("bin", "proc", "sys", "dev", "tmp", "job", "etc", "root", "usr/lib/gamerlab", "usr/bin"))
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
        for (Path program : programs) {
            Path target = root.resolve("usr/bin").resolve(program.getFileName());
            Files.copy(program.toRealPath(), target);
            target.toFile().setExecutable(true, false);
        }
        for (String lib : sharedLibraries()) {
            Path target = root.resolve(lib.substring(1));
            Files.createDirectories(target.getParent());
            if (!Files.exists(target)) Files.copy(Path.of(lib).toRealPath(), target);
        }
        if (modules != null) modules.stage(root);
    }

    /** The C libraries (and loader) the JDK's binaries, libbpf and the programs load, by the paths ldd prints. */
    private Set<String> sharedLibraries() throws IOException {
        Set<String> libs = new TreeSet<>();
        List<Path> binaries = new ArrayList<>(List.of(jdk.resolve("bin/java"), libbpf));
        binaries.addAll(programs);
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
            sha.update(LAYOUT.getBytes());
            sha.update(Files.readAllBytes(jdk.resolve("release")));
            sha.update(jdk.toRealPath().toString().getBytes());
            sha.update(Files.readAllBytes(libbpf.toRealPath()));
            sha.update(Long.toString(Files.size(busybox)).getBytes());
            if (modules != null) modules.fingerprint(sha);
            for (Path program : programs) {
                sha.update(program.getFileName().toString().getBytes());
                sha.update(Files.readAllBytes(program.toRealPath()));
            }
            return HexFormat.of().formatHex(sha.digest()).substring(0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A DOS partition table with one Linux partition: the ext4 file system that mke2fs put at {@link #PARTITION_OFFSET}. */
    static void writeMasterBootRecord(Path image, long fileSystemBytes) throws IOException {
        ByteBuffer mbr = ByteBuffer.allocate(512).order(ByteOrder.LITTLE_ENDIAN);
        mbr.putInt(440, DISK_SIGNATURE);
        int entry = 446;
        mbr.put(entry, (byte) 0x00);                                          // not bootable
        mbr.put(entry + 1, (byte) 0xfe).put(entry + 2, (byte) 0xff).put(entry + 3, (byte) 0xff);  // CHS: use LBA
        mbr.put(entry + 4, (byte) 0x83);                                      // Linux
        mbr.put(entry + 5, (byte) 0xfe).put(entry + 6, (byte) 0xff).put(entry + 7, (byte) 0xff);
        mbr.putInt(entry + 8, (int) (PARTITION_OFFSET / 512));
        mbr.putInt(entry + 12, (int) (fileSystemBytes / 512));
        mbr.put(510, (byte) 0x55).put(511, (byte) 0xaa);
        try (FileChannel ch = FileChannel.open(image, StandardOpenOption.WRITE)) {
            ch.write(mbr, 0);
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
