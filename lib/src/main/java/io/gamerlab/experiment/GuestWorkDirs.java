package io.gamerlab.experiment;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * The guest jobs' working directories, {@code build/guest/<id>}: a job's directory is locked
 * while the job runs (an fcntl lock on {@code .lock}, which the kernel drops when the process
 * dies, however it dies). When its job ends the directory loses its disk images and keeps its
 * logs; before each job, directories no live job holds are pruned to the newest
 * {@link #FAILURES_KEPT} of failed (or killed) jobs, kept for their console logs, and the newest
 * {@link #SUCCESSES_KEPT} of successful ones, so neither pile up.
 */
final class GuestWorkDirs {

    static final int FAILURES_KEPT = 5;
    static final int SUCCESSES_KEPT = 2;
    static final String LOCK = ".lock";
    /** Written when a job succeeded; a directory without it and without a live holder failed or was killed. */
    static final String SUCCEEDED = "succeeded";
    /** What a directory keeps after its job: the logs, never the disk images. */
    private static final List<String> DISKS = List.of("job.ext4", "job");

    /**
     * The directories this JVM's jobs hold. POSIX drops every lock a process holds on a file when
     * it closes any descriptor of that file, so this JVM never opens its own jobs' lock files to
     * probe them.
     */
    private static final Set<Path> HELD_HERE = ConcurrentHashMap.newKeySet();

    private final Path root;

    GuestWorkDirs(Path root) {
        this.root = root;
    }

    /** Prunes what earlier jobs left, then creates (empty) and locks the directory for job {@code id}. */
    Claim claim(String id) throws IOException {
        Files.createDirectories(root);
        prune();
        Path dir = root.resolve(id).toAbsolutePath().normalize();
        if (!HELD_HERE.add(dir)) throw new IllegalStateException("guest job " + id + " is already running in this JVM");
        try {
            GuestImage.deleteTree(dir);
            Files.createDirectories(dir);
            FileChannel channel = FileChannel.open(dir.resolve(LOCK), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            return new Claim(dir, channel, channel.lock());
        } catch (IOException | RuntimeException e) {
            HELD_HERE.remove(dir);
            throw e;
        }
    }

    /**
     * Removes the disks of every directory no job holds, and all such directories but the newest
     * {@link #FAILURES_KEPT} failed and {@link #SUCCESSES_KEPT} successful ones; returns those removed.
     */
    List<Path> prune() throws IOException {
        if (!Files.isDirectory(root)) return List.of();
        List<Idle> failed = new ArrayList<>();
        List<Idle> succeeded = new ArrayList<>();
        try (Stream<Path> dirs = Files.list(root)) {
            for (Path dir : (Iterable<Path>) dirs.filter(Files::isDirectory)::iterator) {
                if (inUse(dir)) continue;
                // when the job ended, read before its disks go (which changes the time)
                Idle idle = new Idle(dir, Files.getLastModifiedTime(dir));
                (Files.exists(dir.resolve(SUCCEEDED)) ? succeeded : failed).add(idle);
            }
        }
        List<Path> removed = new ArrayList<>(removeAllButNewest(failed, FAILURES_KEPT));
        removed.addAll(removeAllButNewest(succeeded, SUCCESSES_KEPT));
        return removed;
    }

    private record Idle(Path dir, FileTime ended) { }

    /** Keeps the newest {@code kept} directories, without their disks, and removes the rest; returns those removed. */
    private static List<Path> removeAllButNewest(List<Idle> dirs, int kept) throws IOException {
        dirs.sort(Comparator.comparing(Idle::ended).reversed());
        List<Path> removed = new ArrayList<>();
        for (int i = 0; i < dirs.size(); i++) {
            Path dir = dirs.get(i).dir();
            if (i < kept) {
                removeDisks(dir);
            } else {
                GuestImage.deleteTree(dir);
                removed.add(dir);
            }
        }
        return removed;
    }

    /** Whether a live job holds {@code dir}: this JVM's, or another process's (its lock is taken). */
    static boolean inUse(Path dir) throws IOException {
        Path absolute = dir.toAbsolutePath().normalize();
        if (HELD_HERE.contains(absolute)) return true;
        Path lock = absolute.resolve(LOCK);
        if (!Files.isRegularFile(lock)) return false;
        try (FileChannel channel = FileChannel.open(lock, StandardOpenOption.WRITE)) {
            FileLock probe = channel.tryLock();
            if (probe == null) return true;
            probe.release();
            return false;
        } catch (OverlappingFileLockException heldByThisJvm) {
            return true;
        }
    }

    private static void removeDisks(Path dir) throws IOException {
        for (String disk : DISKS) GuestImage.deleteTree(dir.resolve(disk));
    }

    /** A job's directory, held until closed, when its disks go; {@link #succeeded()} marks it as a success. */
    static final class Claim implements AutoCloseable {
        private final Path dir;
        private final FileChannel channel;
        private final FileLock lock;
        private boolean succeeded;

        private Claim(Path dir, FileChannel channel, FileLock lock) {
            this.dir = dir;
            this.channel = channel;
            this.lock = lock;
        }

        Path dir() {
            return dir;
        }

        void succeeded() {
            succeeded = true;
        }

        @Override
        public void close() throws IOException {
            try {
                removeDisks(dir);
                if (succeeded) Files.writeString(dir.resolve(SUCCEEDED), "");
            } finally {
                try {
                    lock.release();
                    channel.close();
                } finally {
                    HELD_HERE.remove(dir);
                }
            }
        }
    }
}
