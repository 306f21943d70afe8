package io.gamerlab.experiment;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gamerlab.util.AtomicFiles;
import io.gamerlab.util.Command;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A dataset on a disk that fills up: a small tmpfs (mounting it needs root, as the guest tests do).
 * The cell that does not fit gets a clear error and leaves nothing behind; every cell stored
 * before it stays complete; once space is freed, storing goes on.
 */
class DatasetFullDiskTest {

    private static tech.tablesaw.api.Table cell(String id) {
        return SampleRuns.result(id, "host").table();
    }

    @Test
    void aFullDiskYieldsAClearErrorAndLosesNothingWritten(@TempDir Path tmp) throws IOException {
        Path mount = Files.createDirectories(tmp.resolve("small"));
        Command.run("mounting a 256 KiB tmpfs (this test needs root)", List.of("mount", "-t", "tmpfs", "-o", "size=256k", "tmpfs", mount.toString()));
        try {
            Dataset dataset = new Dataset(mount.resolve("experiment"));
            Path filler = mount.resolve("filler");
            Files.write(filler, new byte[64 * 1024]);
            List<Path> stored = new ArrayList<>();
            AtomicFiles.NoSpaceException full = null;
            for (int i = 1; i < 1000 && full == null; i++) {
                try {
                    stored.add(dataset.add(cell(String.format("k%04d", i))));
                } catch (AtomicFiles.NoSpaceException e) {
                    full = e;
                }
            }
            assertTrue(full != null, "the disk never filled");
            assertTrue(stored.size() >= 2, "too few cells fitted to show anything: " + stored.size());
            String m = full.getMessage();
            assertTrue(m.contains("no space left") && m.contains("not written") && m.contains("intact"), m);
            try (Stream<Path> files = Files.list(dataset.dir())) {
                assertEquals(List.of(), files.filter(AtomicFiles::isTemporary).toList(), "a temporary file was left behind");
            }
            for (Path p : stored) {
                String id = p.getFileName().toString().replace(".csv", "");
                assertArrayEquals(DatasetFile.encode(cell(id)), Files.readAllBytes(p), id);
            }
            String next = String.format("k%04d", stored.size() + 1);
            assertEquals(stored.size(), dataset.cells().size());
            assertThrows(AtomicFiles.NoSpaceException.class, () -> dataset.add(cell(next)));
            Files.delete(filler);
            dataset.add(cell(next));
            assertEquals(stored.size() + 1, dataset.table().stringColumn("cell_id").asSet().size());
            System.out.printf("DatasetFullDiskTest: %d cells stored, the next refused on a full disk, stored once space was freed%n",
                    stored.size());
        } finally {
            Command.run("unmounting the test tmpfs", List.of("umount", mount.toString()));
        }
    }
}
