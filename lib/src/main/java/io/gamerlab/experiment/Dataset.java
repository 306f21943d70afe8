package io.gamerlab.experiment;

import io.gamerlab.measure.Column;
import io.gamerlab.measure.RunTable;
import io.gamerlab.util.AtomicFiles;
import io.gamerlab.util.InvalidInputException;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import tech.tablesaw.api.Table;

/**
 * A directory of finished cells, one CSV file each ({@code <cell-id>.csv}, the {@link Column}
 * schema), and of failed ones under {@code failed/} ({@code <cell-id>.<attempt>.csv}, rows with
 * status {@code failed} and the reason, never read as results). Every file is written once,
 * atomically ({@link AtomicFiles}): a crash or kill leaves each cell absent or complete, and an
 * existing cell is never replaced. A process that writes holds the directory's {@link Lock}.
 * pandas and R read it as it is: {@code pd.concat(map(pd.read_csv, glob("datasets/x/*.csv")))}.
 */
public final class Dataset {

    public static final String FAILED = "failed";
    private static final String LOCK = ".lock";

    private final Path dir;

    public Dataset(Path dir) {
        this.dir = dir;
    }

    public Path dir() {
        return dir;
    }

    /**
     * Stores a finished cell (every row of {@code rows} has its cell id) as {@code <cell-id>.csv}
     * and returns the file. Fails, touching nothing, if the cell is stored already.
     */
    public Path add(Table rows) throws IOException {
        String id = cellId(rows);
        Files.createDirectories(dir);
        try {
            return AtomicFiles.createNew(dir.resolve(id + ".csv"), DatasetFile.encode(rows));
        } catch (FileAlreadyExistsException e) {
            throw new FileAlreadyExistsException(e.getFile(), null, "cell " + id + " is stored already in " + dir
                    + "; a cell is written once and never replaced (remove its file by hand to run it again)");
        }
    }

    /** Records a failed attempt at a cell under {@code failed/}, beside any earlier ones; returns the file. */
    public Path addFailure(Table rows) throws IOException {
        String id = cellId(rows);
        Path failed = dir.resolve(FAILED);
        Files.createDirectories(failed);
        for (int attempt = 1; ; attempt++) {
            try {
                return AtomicFiles.createNew(failed.resolve(id + "." + attempt + ".csv"), DatasetFile.encode(rows));
            } catch (FileAlreadyExistsException earlierAttempt) {
                // try the next number
            }
        }
    }

    private static String cellId(Table rows) {
        if (rows.rowCount() == 0) throw new IllegalArgumentException("a cell has at least one row");
        Set<String> ids = rows.stringColumn(Column.CELL_ID.label()).asSet();
        if (ids.size() != 1) throw new IllegalArgumentException("the rows of one cell carry one cell id, not " + ids);
        String id = ids.iterator().next();
        Column.CELL_ID.check(id);
        return id;
    }

    /** The ids of the cells stored as finished. */
    public Set<String> cells() throws IOException {
        Set<String> ids = new TreeSet<>();
        for (Path f : files(dir)) ids.add(f.getFileName().toString().replaceFirst("\\.csv$", ""));
        return ids;
    }

    /** The failed attempts: cell id to the reason of its latest failure. */
    public Map<String, String> failures() throws IOException {
        Map<String, String> reasons = new LinkedHashMap<>();
        Table t = failuresTable();
        for (int i = 0; i < t.rowCount(); i++)
            if (t.stringColumn(Column.STATUS.label()).get(i).equals(Column.Status.FAILED))
                reasons.put(t.stringColumn(Column.CELL_ID.label()).get(i), t.stringColumn(Column.NOTE.label()).get(i));
        return reasons;
    }

    /** Every finished cell's rows, as one table; each file's header and cells are checked. */
    public Table table() throws IOException {
        List<Path> files = files(dir);
        if (files.isEmpty())
            throw new IOException("dataset " + dir + " holds no cells yet" + (Files.isDirectory(dir) ? "" : " (no such directory)"));
        return concatenate(files).setName(dir.getFileName().toString());
    }

    /** Every failed attempt's rows (empty if none failed). */
    public Table failuresTable() throws IOException {
        List<Path> files = files(dir.resolve(FAILED));
        return files.isEmpty() ? RunTable.emptyTable(FAILED) : concatenate(files).setName(FAILED);
    }

    private static Table concatenate(List<Path> files) throws IOException {
        Table all = DatasetFile.read(files.getFirst());
        for (Path f : files.subList(1, files.size())) all.append(DatasetFile.read(f));
        return all;
    }

    /** The CSV files directly in {@code d}, by name; temporary and hidden files are not cells. */
    private static List<Path> files(Path d) throws IOException {
        if (!Files.isDirectory(d)) return List.of();
        try (Stream<Path> list = Files.list(d)) {
            return list.filter(p -> p.getFileName().toString().endsWith(".csv") && !p.getFileName().toString().startsWith("."))
                    .filter(Files::isRegularFile).sorted().toList();
        }
    }

    /**
     * Takes the directory for writing: one process at a time (a second gets an error saying
     * another holds it), and removes the temporary files a killed writer may have left.
     */
    public Lock lock() throws IOException {
        Lock lock = take(false);
        for (Path d : List.of(dir, dir.resolve(FAILED))) {
            if (!Files.isDirectory(d)) continue;
            try (Stream<Path> list = Files.list(d)) {
                for (Path p : list.filter(AtomicFiles::isTemporary).toList()) Files.deleteIfExists(p);
            }
        }
        return lock;
    }

    /**
     * Takes the directory for writing beside other processes that hold it shared, as the tasks of
     * a job array do, each storing its own cells (a cell stored twice is refused, never replaced).
     * Temporary files are left alone: they may be another writer's file in the making.
     */
    public Lock sharedLock() throws IOException {
        return take(true);
    }

    private Lock take(boolean shared) throws IOException {
        Files.createDirectories(dir);
        FileChannel channel = FileChannel.open(dir.resolve(LOCK), StandardOpenOption.CREATE, StandardOpenOption.READ,
                StandardOpenOption.WRITE);
        FileLock lock;
        try {
            lock = channel.tryLock(0, Long.MAX_VALUE, shared);
        } catch (OverlappingFileLockException held) {
            lock = null;
        }
        if (lock == null) {
            channel.close();
            throw new InvalidInputException("dataset", dir.toString(), "is being written by another gamerlab process (it holds "
                    + dir.resolve(LOCK) + (shared ? "" : "; the tasks of a Slurm job array hold it together") + ")",
                    "one writer per dataset: wait for it to finish");
        }
        return new Lock(channel, lock);
    }

    /** The writer's hold on a dataset directory, released on close (or when its process dies). */
    public static final class Lock implements AutoCloseable {
        private final FileChannel channel;
        private final FileLock lock;

        private Lock(FileChannel channel, FileLock lock) {
            this.channel = channel;
            this.lock = lock;
        }

        @Override
        public void close() throws IOException {
            lock.release();
            channel.close();
        }
    }
}
