package io.gamerlab.experiment;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Loadable kernel modules for the guest, with their dependencies, in the order they must be
 * inserted. Debian ships modules compressed ({@code .ko.xz} or {@code .ko.zst}); busybox's insmod
 * cannot read those, so they are decompressed here, on the host, once per image. Dependencies
 * come from {@code modules.dep} when the tree has one, and otherwise from each module's own
 * {@code .modinfo} "depends=" entry (Debian's package ships no modules.dep: depmod makes it on
 * installation). A module built into the kernel needs no loading and is left out.
 */
public final class KernelModules {

    /** Where the modules go in the guest, and the file that lists them in load order. */
    static final String DIR_IN_GUEST = "lib/modules/gamerlab";
    static final String LOAD_LIST = "load.list";

    /** What a virtio input device needs to reach user space as /dev/input/eventN. */
    public static final List<String> VIRTIO_INPUT = List.of("virtio_input", "evdev");

    /** One module: its name as the kernel spells it, and its file in the tree. */
    record Module(String name, Path file) { }

    private final Path tree;
    private final List<Module> loadOrder;

    private KernelModules(Path tree, List<Module> loadOrder) {
        this.tree = tree;
        this.loadOrder = List.copyOf(loadOrder);
    }

    /** The named modules of the tree {@code /lib/modules/<release>} and what they depend on, dependencies first. */
    public static KernelModules resolve(Path tree, List<String> names) throws IOException {
        if (!Files.isDirectory(tree.resolve("kernel")))
            throw new IllegalStateException("no kernel module tree at " + tree + " (expected " + tree.resolve("kernel")
                    + "): run scripts/setup.sh, which unpacks the guest kernel's modules");
        Map<String, Path> files = index(tree);
        Set<String> builtin = builtin(tree);
        Map<String, List<String>> dep = modulesDep(tree);
        LinkedHashMap<String, Module> order = new LinkedHashMap<>();
        for (String name : names) visit(normalise(name), tree, files, builtin, dep, order, new LinkedHashSet<>());
        return new KernelModules(tree, new ArrayList<>(order.values()));
    }

    /** The modules' names in load order: dependencies before the modules that need them. */
    public List<String> names() {
        return loadOrder.stream().map(Module::name).toList();
    }

    List<Module> modules() {
        return loadOrder;
    }

    /** Writes the decompressed modules and their load list into a root file system being staged. */
    void stage(Path root) throws IOException {
        Path dir = root.resolve(DIR_IN_GUEST);
        Files.createDirectories(dir);
        StringBuilder list = new StringBuilder();
        for (Module m : loadOrder) {
            Files.write(dir.resolve(m.name() + ".ko"), decompressed(m.file()));
            list.append(m.name()).append('\n');
        }
        Files.writeString(dir.resolve(LOAD_LIST), list.toString());
    }

    /** Changes whenever the set of modules, their order or any module's bytes change. */
    void fingerprint(MessageDigest sha) throws IOException {
        sha.update(("modules of " + tree.getFileName() + "\n").getBytes(StandardCharsets.UTF_8));
        for (Module m : loadOrder) {
            sha.update((m.name() + "\n").getBytes(StandardCharsets.UTF_8));
            sha.update(Files.readAllBytes(m.file()));
        }
    }

    /** A short digest of the module set, for logs. */
    String digest() throws IOException {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            fingerprint(sha);
            return HexFormat.of().formatHex(sha.digest()).substring(0, 12);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void visit(String name, Path tree, Map<String, Path> files, Set<String> builtin,
                              Map<String, List<String>> dep, LinkedHashMap<String, Module> order,
                              LinkedHashSet<String> path) throws IOException {
        if (order.containsKey(name) || builtin.contains(name)) return;
        if (!path.add(name)) throw new IllegalStateException("kernel modules depend on each other in a cycle: " + path + " -> " + name);
        Path file = files.get(name);
        if (file == null)
            throw new IllegalStateException("kernel module " + name + " is neither in " + tree + " nor built in (modules.builtin)");
        List<String> needs = dep.containsKey(name) ? dep.get(name) : dependsOf(decompressed(file));
        for (String needed : needs) visit(needed, tree, files, builtin, dep, order, path);
        path.remove(name);
        order.put(name, new Module(name, file));
    }

    /** Module name to file, for every module file under {@code kernel/}. */
    private static Map<String, Path> index(Path tree) throws IOException {
        Map<String, Path> files = new HashMap<>();
        try (Stream<Path> walk = Files.walk(tree.resolve("kernel"))) {
            walk.filter(Files::isRegularFile).forEach(p -> {
                String name = moduleName(p.getFileName().toString());
                if (name != null) files.putIfAbsent(name, p);
            });
        }
        return files;
    }

    private static Set<String> builtin(Path tree) throws IOException {
        Set<String> names = new LinkedHashSet<>();
        Path file = tree.resolve("modules.builtin");
        if (Files.isRegularFile(file))
            for (String line : Files.readAllLines(file))
                if (!line.isBlank()) names.add(moduleName(Path.of(line.trim()).getFileName().toString()));
        return names;
    }

    /** modules.dep, "kernel/a/b.ko.xz: kernel/c.ko.xz ...", as name to dependency names; empty without one. */
    private static Map<String, List<String>> modulesDep(Path tree) throws IOException {
        Map<String, List<String>> dep = new HashMap<>();
        Path file = tree.resolve("modules.dep");
        if (!Files.isRegularFile(file)) return dep;
        for (String line : Files.readAllLines(file)) {
            int colon = line.indexOf(':');
            if (colon < 0) continue;
            List<String> needs = new ArrayList<>();
            for (String d : line.substring(colon + 1).trim().split("\\s+"))
                if (!d.isEmpty()) needs.add(moduleName(Path.of(d).getFileName().toString()));
            dep.put(moduleName(Path.of(line.substring(0, colon).trim()).getFileName().toString()), needs);
        }
        return dep;
    }

    /** "virtio-input.ko.xz" to "virtio_input" (the kernel treats - and _ alike); null for other files. */
    static String moduleName(String fileName) {
        for (String suffix : List.of(".ko", ".ko.xz", ".ko.zst", ".ko.gz"))
            if (fileName.endsWith(suffix)) return normalise(fileName.substring(0, fileName.length() - suffix.length()));
        return null;
    }

    static String normalise(String name) {
        return name.replace('-', '_');
    }

    /** The "depends=" entry of an ELF module's .modinfo section: the modules it needs, possibly none. */
    static List<String> dependsOf(byte[] elf) {
        ByteBuffer b = ByteBuffer.wrap(elf).order(ByteOrder.LITTLE_ENDIAN);
        if (elf.length < 64 || b.getInt(0) != 0x464c457f || elf[4] != 2)
            throw new IllegalArgumentException("not a 64-bit ELF kernel module");
        long shoff = b.getLong(0x28);
        int shentsize = Short.toUnsignedInt(b.getShort(0x3a));
        int shnum = Short.toUnsignedInt(b.getShort(0x3c));
        int shstrndx = Short.toUnsignedInt(b.getShort(0x3e));
        int names = (int) b.getLong((int) (shoff + (long) shstrndx * shentsize + 24));
        for (int i = 0; i < shnum; i++) {
            int header = (int) (shoff + (long) i * shentsize);
            String section = cString(elf, names + b.getInt(header));
            if (!section.equals(".modinfo")) continue;
            int offset = (int) b.getLong(header + 24);
            int end = offset + (int) b.getLong(header + 32);
            for (int at = offset; at < end; ) {
                String entry = cString(elf, at);
                at += entry.length() + 1;
                if (entry.startsWith("depends=")) {
                    List<String> needs = new ArrayList<>();
                    for (String d : entry.substring("depends=".length()).split(","))
                        if (!d.isBlank()) needs.add(normalise(d.trim()));
                    return needs;
                }
            }
            return List.of();
        }
        throw new IllegalArgumentException("no .modinfo section: not a kernel module");
    }

    private static String cString(byte[] bytes, int at) {
        int end = at;
        while (end < bytes.length && bytes[end] != 0) end++;
        return new String(bytes, at, end - at, StandardCharsets.ISO_8859_1);
    }

    /** The module's ELF bytes, decompressed with xz, zstd or gzip as its name says. */
    static byte[] decompressed(Path file) throws IOException {
        String name = file.getFileName().toString();
        List<String> argv;
        String pkg;
        if (name.endsWith(".xz")) { argv = List.of("xz", "-dc", file.toString()); pkg = "xz-utils"; }
        else if (name.endsWith(".zst")) { argv = List.of("zstd", "-dcq", file.toString()); pkg = "zstd"; }
        else if (name.endsWith(".gz")) { argv = List.of("gzip", "-dc", file.toString()); pkg = "gzip"; }
        else return Files.readAllBytes(file);
        Process p;
        try {
            p = new ProcessBuilder(argv).redirectError(ProcessBuilder.Redirect.PIPE).start();
        } catch (IOException e) {
            throw new IllegalStateException("cannot run " + argv.getFirst() + " to decompress " + file
                    + ": install the Debian package " + pkg, e);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (InputStream in = p.getInputStream()) {
            in.transferTo(out);
        }
        String err = new String(p.getErrorStream().readAllBytes());
        try {
            if (p.waitFor() != 0)
                throw new IllegalStateException(argv.getFirst() + " could not decompress " + file + ": " + err);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while decompressing " + file, e);
        }
        return out.toByteArray();
    }
}
