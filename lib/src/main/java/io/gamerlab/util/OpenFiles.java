package io.gamerlab.util;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;

/** Which files processes have open, from {@code /proc/<pid>/fd}: a file some process uses is not to be removed. */
public final class OpenFiles {

    private static final Path PROC = Path.of("/proc");

    private OpenFiles() { }

    /**
     * The real paths of the files open in every process this one may inspect (all of them for
     * root; otherwise this user's, which are the ones that use this user's cache).
     */
    public static Set<Path> openByAnyProcess() throws IOException {
        Set<Path> open = new HashSet<>();
        try (DirectoryStream<Path> processes = Files.newDirectoryStream(PROC, p -> p.getFileName().toString().matches("\\d+"))) {
            for (Path process : processes) {
                try (DirectoryStream<Path> fds = Files.newDirectoryStream(process.resolve("fd"))) {
                    for (Path fd : fds) {
                        try {
                            Path target = Files.readSymbolicLink(fd);
                            if (target.isAbsolute()) open.add(target);
                        } catch (IOException closedMeanwhile) {
                            // the descriptor was closed while we listed it
                        }
                    }
                } catch (IOException exitedOrNotOurs) {
                    // the process exited, or its descriptors are not ours to see
                }
            }
        }
        return open;
    }
}
