package io.gamerlab.sched;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The functions the running kernel and its loaded modules have, from {@code /proc/kallsyms}: what
 * decides whether a hook such as {@code fentry/evdev_read} can attach here (evdev may be a module
 * that is not loaded, and a cloud kernel has no DRM or sound at all).
 */
public final class KernelFunctions {

    private final Set<String> names;

    private KernelFunctions(Set<String> names) {
        this.names = names;
    }

    private static final Path MODULES = Path.of("/proc/modules");
    private static String cachedModules;
    private static KernelFunctions cached;

    /**
     * The running kernel's functions. Parsing kallsyms takes seconds in an emulated guest, so the
     * answer is kept until the set of loaded modules changes.
     */
    public static synchronized KernelFunctions running() {
        // The modules' names only: a line also holds the module's use count, which a loaded BPF
        // program hooking a module's function raises, and the functions do not change with it.
        String modules;
        try (Stream<String> lines = Files.lines(MODULES)) {
            modules = lines.map(line -> line.split(" ", 2)[0]).collect(Collectors.joining(" "));
        } catch (IOException e) {
            modules = "";  // no /proc/modules: a kernel without modules
        }
        if (cached == null || !modules.equals(cachedModules)) {
            cached = parse(Path.of("/proc/kallsyms"));
            cachedModules = modules;
        }
        return cached;
    }

    /** Reads a kallsyms-format file: "address type name [module]" per line, text symbols only. */
    static KernelFunctions parse(Path kallsyms) {
        Set<String> names = new HashSet<>();
        try (Stream<String> lines = Files.lines(kallsyms)) {
            lines.forEach(line -> {
                String[] f = line.split("\\s+");
                if (f.length >= 3 && (f[1].equals("T") || f[1].equals("t"))) names.add(f[2]);
            });
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the kernel's symbols from " + kallsyms, e);
        }
        return new KernelFunctions(names);
    }

    public boolean has(String function) {
        return names.contains(function);
    }
}
