package io.gamerlab.bpf;

import java.lang.foreign.Arena;
import java.lang.foreign.SymbolLookup;
import java.nio.file.Files;
import java.nio.file.Path;

/** Where libbpf.so.1 is found: the first of an explicit setting, gamerlab's cache, the system. */
record LibbpfLocation(SymbolLookup symbols, String origin) {
    static final String PROPERTY = "gamerlab.libbpf";
    static final String ENVIRONMENT = "GAMERLAB_LIBBPF";
    private static final String SYSTEM_NAME = "libbpf.so.1";

    static LibbpfLocation find() {
        String property = System.getProperty(PROPERTY);
        if (property != null) {
            return explicit(Path.of(property), "system property " + PROPERTY);
        }
        String environment = System.getenv(ENVIRONMENT);
        if (environment != null) {
            return explicit(Path.of(environment), "environment variable " + ENVIRONMENT);
        }
        Path cached = cacheRoot().resolve("tools/usr/lib/x86_64-linux-gnu").resolve(SYSTEM_NAME);
        if (Files.isRegularFile(cached)) {
            return new LibbpfLocation(SymbolLookup.libraryLookup(cached, Arena.global()), cached.toString());
        }
        try {
            return new LibbpfLocation(SymbolLookup.libraryLookup(SYSTEM_NAME, Arena.global()),
                    "the system's " + SYSTEM_NAME);
        } catch (IllegalArgumentException notFound) {
            throw new IllegalStateException("libbpf not found: not at " + cached + " nor on the system's library path."
                    + " Run scripts/setup.sh, or point -D" + PROPERTY + " or " + ENVIRONMENT + " at libbpf.so.1 >= 1.4",
                    notFound);
        }
    }

    /** The same rule as scripts/env.sh, so Java and the scripts agree on one cache. */
    static Path cacheRoot() {
        String cache = System.getenv("GAMERLAB_CACHE");
        if (cache != null && !cache.isEmpty()) {
            return Path.of(cache);
        }
        String xdg = System.getenv("XDG_CACHE_HOME");
        Path base = xdg != null && !xdg.isEmpty() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".cache");
        return base.resolve("gamerlab");
    }

    private static LibbpfLocation explicit(Path library, String setBy) {
        if (!Files.isRegularFile(library)) {
            throw new IllegalStateException(setBy + " names " + library + ", which is not a file."
                    + " Point it at libbpf.so.1 >= 1.4, or unset it to use gamerlab's cache (scripts/setup.sh)");
        }
        return new LibbpfLocation(SymbolLookup.libraryLookup(library, Arena.global()), library + " (" + setBy + ")");
    }
}
