package io.gamerlab.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gamerlab.util.ChildJvm;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * What guest runs leave behind is pruned, and nothing in use is: job directories keep only the
 * newest failures (for their console logs) and successes, never one a live job holds, in this
 * JVM or another; cached root images unused for a while go, never the current one or one a
 * process has open.
 */
@Timeout(120)
class GuestLeftoversTest {

    @TempDir
    Path root;

    /** A finished job's directory: its logs, its disk, and whether it succeeded; modified {@code ageMinutes} ago. */
    private Path finished(String id, boolean succeeded, int ageMinutes) throws IOException {
        Path dir = Files.createDirectories(root.resolve(id));
        Files.writeString(dir.resolve("console.log"), "console of " + id);
        Files.writeString(dir.resolve("job.ext4"), "disk");
        if (succeeded) Files.writeString(dir.resolve(GuestWorkDirs.SUCCEEDED), "");
        Files.setLastModifiedTime(dir, FileTime.from(Instant.now().minus(Duration.ofMinutes(ageMinutes))));
        return dir;
    }

    private Set<String> left() throws IOException {
        try (var dirs = Files.list(root)) {
            return new TreeSet<>(dirs.map(p -> p.getFileName().toString()).toList());
        }
    }

    @Test
    void theNewestFailuresAndSuccessesAreKeptWithoutTheirDisks() throws IOException {
        List<String> kept = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            finished("failed-" + i, false, 100 - i);
            if (i >= 8 - GuestWorkDirs.FAILURES_KEPT) kept.add("failed-" + i);
        }
        for (int i = 0; i < 4; i++) {
            finished("ok-" + i, true, 50 - i);
            if (i >= 4 - GuestWorkDirs.SUCCESSES_KEPT) kept.add("ok-" + i);
        }
        List<Path> removed = new GuestWorkDirs(root).prune();
        assertEquals(3 + 2, removed.size(), removed.toString());
        assertEquals(new TreeSet<>(kept), left());
        for (String id : kept) {
            assertTrue(Files.isRegularFile(root.resolve(id).resolve("console.log")), id);
            assertFalse(Files.exists(root.resolve(id).resolve("job.ext4")), id + "'s disk was pruned");
        }
    }

    @Test
    void aJobThatSucceedsKeepsItsLogsAndLosesItsDisk() throws IOException {
        GuestWorkDirs dirs = new GuestWorkDirs(root);
        Path dir;
        try (GuestWorkDirs.Claim claim = dirs.claim("run")) {
            dir = claim.dir();
            Files.writeString(dir.resolve("job.ext4"), "disk");
            Files.writeString(dir.resolve("console.log"), "console");
            claim.succeeded();
        }
        assertEquals(Set.of(".lock", "console.log", GuestWorkDirs.SUCCEEDED), new TreeSet<>(names(dir)));
    }

    /** Holds a job directory, as a run in another JVM does, until killed. */
    public static final class Holder {
        public static void main(String[] args) throws Exception {
            try (GuestWorkDirs.Claim claim = new GuestWorkDirs(Path.of(args[0])).claim(args[1])) {
                Files.writeString(claim.dir().resolve("job.ext4"), "disk");
                System.out.println("held " + claim.dir());
                Thread.sleep(Duration.ofMinutes(10));
            }
        }
    }

    /** Prints whether a directory is held, as another JVM sees it. */
    public static final class Prober {
        public static void main(String[] args) throws Exception {
            System.out.println("in use " + GuestWorkDirs.inUse(Path.of(args[0])));
        }
    }

    @Test
    void aDirectoryAnotherJvmHoldsIsLeftAloneUntilThatJvmDies() throws Exception {
        for (int i = 0; i < GuestWorkDirs.FAILURES_KEPT + 2; i++) finished("newer-" + i, false, 1);
        try (ChildJvm holder = ChildJvm.start(Holder.class, Map.of(), root.toString(), "held")) {
            holder.awaitLine("held ", Duration.ofSeconds(60));
            Path held = root.resolve("held");
            Files.setLastModifiedTime(held, FileTime.from(Instant.now().minus(Duration.ofDays(1))));  // the oldest of all
            assertTrue(GuestWorkDirs.inUse(held));
            new GuestWorkDirs(root).prune();
            assertTrue(Files.isRegularFile(held.resolve("job.ext4")), "a live job's directory is untouched");
            assertTrue(GuestWorkDirs.inUse(held), "probing did not take the lock away");
            holder.kill();
            assertFalse(GuestWorkDirs.inUse(held), "the kernel dropped the lock with the process");
            List<Path> removed = new GuestWorkDirs(root).prune();
            assertTrue(removed.contains(held), "now the oldest failure, it goes: " + removed);
        }
    }

    @Test
    void aJobThisJvmHoldsStaysHeldWhileThisJvmPrunes() throws Exception {
        GuestWorkDirs dirs = new GuestWorkDirs(root);
        try (GuestWorkDirs.Claim claim = dirs.claim("mine")) {
            Files.setLastModifiedTime(claim.dir(), FileTime.from(Instant.now().minus(Duration.ofDays(1))));
            for (int i = 0; i < GuestWorkDirs.FAILURES_KEPT + 1; i++) finished("newer-" + i, false, 1);
            dirs.prune();
            assertTrue(Files.isDirectory(claim.dir()));
            try (ChildJvm prober = ChildJvm.start(Prober.class, Map.of(), claim.dir().toString())) {
                assertEquals("in use true", prober.awaitLine("in use ", Duration.ofSeconds(60)),
                        "this JVM's prune must not have released its own lock (POSIX drops it on any close)");
            }
        }
    }

    @Test
    void staleImagesGoButNeverTheCurrentOneOrOneQemuHasOpen(@TempDir Path cache) throws Exception {
        Instant old = Instant.now().minus(GuestImage.STALE_AFTER).minus(Duration.ofHours(1));
        Path current = image(cache, "rootfs-current.ext4", old);
        Path stale = image(cache, "rootfs-stale.ext4", old);
        Path recent = image(cache, "rootfs-recent.ext4", Instant.now().minus(Duration.ofHours(1)));
        Path booting = image(cache, "rootfs-booting.ext4", old);
        Path partial = image(cache, "rootfs-x.ext4.12345.partial", old);
        Path staging = Files.createDirectories(cache.resolve("staging-1"));
        Files.writeString(staging.resolve("init"), "x");
        Files.setLastModifiedTime(staging, FileTime.from(old));
        Path other = image(cache, "something-else", old);
        Process qemu = new ProcessBuilder("qemu-system-x86_64", "-S", "-nodefaults", "-display", "none", "-accel", "tcg",
                "-drive", "file=" + booting + ",if=none,id=d,format=raw,snapshot=on")
                .redirectErrorStream(true).redirectOutput(cache.resolve("qemu.log").toFile()).start();
        try {
            awaitOpen(qemu, booting);
            List<Path> removed = GuestImage.pruneStale(cache, current, GuestImage.STALE_AFTER);
            assertEquals(new TreeSet<>(List.of(stale, partial, staging)), new TreeSet<>(removed));
            for (Path p : List.of(current, recent, booting, other)) assertTrue(Files.exists(p), p + " is kept");
        } finally {
            qemu.destroyForcibly();
            qemu.waitFor(10, TimeUnit.SECONDS);
        }
        assertEquals(List.of(booting), GuestImage.pruneStale(cache, current, GuestImage.STALE_AFTER), "once QEMU is gone, so is it");
    }

    private static Path image(Path cache, String name, Instant modified) throws IOException {
        Path p = Files.writeString(cache.resolve(name), "image");
        Files.setLastModifiedTime(p, FileTime.from(modified));
        return p;
    }

    private static void awaitOpen(Process qemu, Path image) throws Exception {
        Path real = image.toRealPath();
        for (int i = 0; i < 200; i++) {
            try (var fds = Files.list(Path.of("/proc/" + qemu.pid() + "/fd"))) {
                if (fds.anyMatch(fd -> {
                    try {
                        return Files.readSymbolicLink(fd).equals(real);
                    } catch (IOException e) {
                        return false;
                    }
                })) return;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("QEMU did not open " + image);
    }

    private static List<String> names(Path dir) throws IOException {
        try (var files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).toList();
        }
    }
}
