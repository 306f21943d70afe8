package io.gamerlab.util;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Publishes a file so that a reader, a crash or a kill at any moment sees it either absent or
 * complete, and never replaces one that exists: the bytes go to a temporary file in the same
 * directory, which is flushed to disk (fsync), then hard-linked under its final name (link(2)
 * fails if the name exists, where rename(2) would replace it), then removed; finally the
 * directory is flushed, so the new name survives a power cut too.
 *
 * <p>Temporary files are named {@code .<name>.<pid>.<n>.tmp}: {@link #isTemporary} tells readers to
 * skip them, and a writer that owns the directory removes those a killed writer left.
 */
public final class AtomicFiles {

    private static final AtomicLong SEQUENCE = new AtomicLong();

    private AtomicFiles() { }

    /**
     * Writes {@code target} with {@code content}. Fails with {@link FileAlreadyExistsException} if
     * it exists (leaving it untouched), and with {@link NoSpaceException} on a full disk (leaving
     * nothing behind).
     */
    public static Path createNew(Path target, byte[] content) throws IOException {
        Path dir = target.toAbsolutePath().getParent();
        if (Files.exists(target, java.nio.file.LinkOption.NOFOLLOW_LINKS)) throw new FileAlreadyExistsException(target.toString());
        Path temporary = dir.resolve("." + target.getFileName() + "." + ProcessHandle.current().pid() + "."
                + SEQUENCE.incrementAndGet() + ".tmp");
        try {
            try (FileChannel out = FileChannel.open(temporary, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                ByteBuffer bytes = ByteBuffer.wrap(content);
                while (bytes.hasRemaining()) out.write(bytes);
                out.force(true);
            }
            Files.setPosixFilePermissions(temporary, PosixFilePermissions.fromString("rw-r--r--"));
            Files.createLink(target, temporary);
        } catch (IOException e) {
            Files.deleteIfExists(temporary);
            if (isNoSpace(e)) throw new NoSpaceException(target, e);
            throw e;
        }
        Files.delete(temporary);
        syncDirectory(dir);
        return target;
    }

    /** Flushes a directory's entries (names created, renamed or removed in it) to disk. */
    public static void syncDirectory(Path dir) throws IOException {
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true);
        }
    }

    /** Whether {@code file} is one of this class's temporary files (a reader skips it). */
    public static boolean isTemporary(Path file) {
        String name = file.getFileName().toString();
        return name.startsWith(".") && name.endsWith(".tmp");
    }

    static boolean isNoSpace(IOException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            String m = t.getMessage();
            if (m != null && (m.contains("No space left on device") || m.contains("Disk quota exceeded"))) return true;
        }
        return e instanceof FileSystemException fs && fs.getReason() != null && fs.getReason().contains("No space");
    }

    /** The disk (or quota) is full: nothing was written, and nothing written before was touched. */
    public static final class NoSpaceException extends IOException {
        NoSpaceException(Path target, IOException cause) {
            super("no space left on the disk holding " + target.toAbsolutePath().getParent() + " while writing "
                    + target.getFileName() + ": it was not written (no partial file is left) and every file written before it is intact;"
                    + " free some space and run again", cause);
        }
    }
}
