package io.gamerlab.util;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/** Finds the programs gamerlab runs on this process's PATH, so a missing one is named before anything starts. */
public final class Executables {

    private Executables() { }

    /** {@code name} in the first PATH directory that has it as an executable file. */
    public static Optional<Path> find(String name) {
        for (String dir : path().split(":")) {
            if (dir.isEmpty()) continue;
            Path candidate = Path.of(dir, name);
            if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) return Optional.of(candidate);
        }
        return Optional.empty();
    }

    /** {@code name}'s path, or an error naming it, the PATH searched, why it is needed and where it comes from. */
    public static Path require(String name, String neededFor, String install) {
        return find(name).orElseThrow(() -> new IllegalStateException("no " + name + " on PATH (" + path() + "), which "
                + neededFor + ": " + install));
    }

    private static String path() {
        return System.getenv().getOrDefault("PATH", "");
    }
}
