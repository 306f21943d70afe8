package io.gamerlab.bpf;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A BPF object file (.bpf.o) opened by libbpf: set its read-only globals, load it into the
 * kernel, then attach its programs or its struct_ops scheduler.
 *
 * <p>Every libbpf pointer is scoped to this object's arena, so using a map or the object after
 * {@link #close()} throws instead of touching freed native memory. Not thread-safe, except that
 * {@link BpfMap} lookups may run on other threads while the object is open.
 */
public final class BpfObject implements AutoCloseable {
    private static final String RODATA = ".rodata";
    private static final List<String> WRITABLE = List.of(".data", ".bss");
    private static final int BPF_MAP_TYPE_STRUCT_OPS = 26;

    private final Libbpf libbpf;
    private final Arena arena;
    private final MemorySegment object;
    private final Path file;
    private final Map<String, MemorySegment> sharedMappings = new LinkedHashMap<>();
    private volatile boolean loaded;
    private volatile boolean closed;

    private BpfObject(Libbpf libbpf, Arena arena, MemorySegment object, Path file) {
        this.libbpf = libbpf;
        this.arena = arena;
        this.object = object;
        this.file = file;
    }

    /** Opens (parses) an object file; nothing reaches the kernel until {@link #load()}. */
    /** The libbpf this process uses, its version and file, e.g. for a result's provenance. */
    public static String libbpfVersion() {
        return Libbpf.get().versionAndOrigin();
    }

    public static BpfObject open(Path objectFile) {
        Path file = objectFile.toAbsolutePath();
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("BPF object file " + file + " does not exist."
                    + " Build the BPF programs first: make -C bpf");
        }
        Libbpf libbpf = Libbpf.get();
        Arena arena = Arena.ofShared();
        try (Arena call = Arena.ofConfined()) {
            MemorySegment callState = Libbpf.allocateCallState(call);
            LibbpfLog.clear();
            MemorySegment object = libbpf.bpf_object__open_file(callState, call.allocateFrom(file.toString()), MemorySegment.NULL);
            if (object.equals(MemorySegment.NULL)) {
                throw libbpf.failure("bpf_object__open_file(" + file + ")", Libbpf.errno(callState));
            }
            return new BpfObject(libbpf, arena, object.reinterpret(arena, null), file);
        } catch (RuntimeException e) {
            arena.close();
            throw e;
        }
    }

    public Path file() {
        return file;
    }

    /** Sets a {@code const volatile} 32-bit global before {@link #load()}; the value must fit in 32 unsigned bits. */
    public void setReadOnlyU32(String variable, long value) {
        if (value < 0 || value > 0xFFFF_FFFFL) {
            throw new IllegalArgumentException("read-only variable " + variable + " is 32 bits unsigned; " + value + " does not fit");
        }
        readOnlyVariable(variable, Integer.BYTES).set(JAVA_INT, 0, (int) value);
    }

    /** Sets a {@code const volatile} 64-bit global before {@link #load()}. */
    public void setReadOnlyU64(String variable, long value) {
        readOnlyVariable(variable, Long.BYTES).set(JAVA_LONG, 0, value);
    }

    /**
     * Sets a {@code const volatile} unsigned integer or bool global of any width (1, 2, 4 or 8
     * bytes, as its BTF says) before {@link #load()}; the value must fit that width.
     */
    public void setReadOnlyUnsigned(String variable, long value) {
        requireOpen();
        long size = sectionVariable(RODATA, variable).sizeBytes();
        if (value < 0 || (size < Long.BYTES && value >>> (8 * size) != 0)) {
            throw new IllegalArgumentException("read-only variable " + variable + " is " + 8 * size
                    + " bits unsigned; " + value + " does not fit");
        }
        MemorySegment bytes = readOnlyVariable(variable, size);
        switch ((int) size) {
            case 1 -> bytes.set(JAVA_BYTE, 0, (byte) value);
            case 2 -> bytes.set(JAVA_SHORT, 0, (short) value);
            case 4 -> bytes.set(JAVA_INT, 0, (int) value);
            case 8 -> bytes.set(JAVA_LONG, 0, value);
            default -> throw new IllegalArgumentException("read-only variable " + variable + " is " + size
                    + " bytes: not an integer; use setReadOnly");
        }
    }

    /**
     * The current value of a writable global of the loaded program (in .bss, zero-initialised, or
     * .data, initialised: {@code u64 game_tgid;}, {@code u64 slice_ns = 2000000;}), read from the
     * kernel now through the map's lookup: an unsigned integer of 1, 2, 4 or 8 bytes.
     */
    public long readGlobalUnsigned(String variable) {
        requireOpen();
        if (!loaded) throw new IllegalStateException("load " + file + " before reading its global " + variable);
        String section = writableSectionOf(variable);
        BtfMember placement = sectionVariable(section, variable);
        try (Arena call = Arena.ofConfined()) {
            MemorySegment data = map(section).lookup(0, call);
            long at = placement.offsetBytes();
            return switch ((int) placement.sizeBytes()) {
                case 1 -> Byte.toUnsignedLong(data.get(JAVA_BYTE, at));
                case 2 -> Short.toUnsignedLong(data.get(JAVA_SHORT, at));
                case 4 -> Integer.toUnsignedLong(data.get(JAVA_INT, at));
                case 8 -> data.get(JAVA_LONG, at);
                default -> throw new IllegalArgumentException(section + " variable " + variable + " of " + file + " is "
                        + placement.sizeBytes() + " bytes: not an integer");
            };
        }
    }

    /**
     * Sets a writable global (.data or .bss) of the loaded, running program: one store of the
     * variable's width into the section's memory, mapped shared with the kernel's map, so BPF
     * programs see the new value at their next read and never a torn one (an aligned store of up
     * to 8 bytes is single-copy atomic on the CPUs BPF runs on). The value must fit the width.
     */
    public void writeGlobalUnsigned(String variable, long value) {
        requireLoaded("write its global " + variable);
        String section = writableSectionOf(variable);
        BtfMember placement = sectionVariable(section, variable);
        long size = placement.sizeBytes();
        if (value < 0 || (size < Long.BYTES && value >>> (8 * size) != 0))
            throw new IllegalArgumentException(section + " variable " + variable + " is " + 8 * size + " bits unsigned; "
                    + value + " does not fit");
        if (placement.offsetBytes() % size != 0)
            throw new IllegalArgumentException(section + " variable " + variable + " is not aligned to its size, so a store"
                    + " could tear");
        MemorySegment mapped = sharedMapping(section).asSlice(placement.offsetBytes(), size);
        switch ((int) size) {
            case 1 -> JAVA_BYTE.varHandle().setVolatile(mapped, 0L, (byte) value);
            case 2 -> JAVA_SHORT.varHandle().setVolatile(mapped, 0L, (short) value);
            case 4 -> JAVA_INT.varHandle().setVolatile(mapped, 0L, (int) value);
            case 8 -> JAVA_LONG.varHandle().setVolatile(mapped, 0L, value);
            default -> throw new IllegalArgumentException(section + " variable " + variable + " of " + file + " is "
                    + size + " bytes: not an integer");
        }
    }

    /**
     * The section's memory shared with the kernel, mapped on first use and unmapped at close.
     * (libbpf 1.4 maps it so only for skeletons; its own copy after a plain load is private.)
     */
    private synchronized MemorySegment sharedMapping(String section) {
        MemorySegment mapping = sharedMappings.get(section);
        if (mapping != null) return mapping;
        BpfMap map = map(section);
        RingBufferMmapLibc libc = RingBufferMmapLibc.get();
        long page = libc.pageSize();
        long length = (map.valueSize() + page - 1) / page * page;
        mapping = libc.mmap(length, RingBufferMmapLibc.PROT_READ | RingBufferMmapLibc.PROT_WRITE, map.fd(), 0,
                section + " of " + file).reinterpret(length);
        sharedMappings.put(section, mapping);
        return mapping;
    }

    /** The writable section (.data or .bss) that holds {@code variable}; an error lists both sections' variables. */
    private String writableSectionOf(String variable) {
        ObjectBtf btf = btf();
        List<String> known = new ArrayList<>();
        for (String section : WRITABLE) {
            for (BtfMember candidate : btf.sectionVariables(section)) {
                if (candidate.name().equals(variable)) return section;
                known.add(candidate.name());
            }
        }
        throw new IllegalArgumentException("no writable global " + variable + " in " + file + " (.data or .bss); its writable globals are " + known);
    }

    /**
     * The kernel functions (kfuncs) the object calls, by name, from its file's BTF: what the
     * running kernel must export for the object to load.
     */
    public List<String> kernelFunctions() {
        requireOpen();
        return ObjectBtf.externFunctionsOf(libbpf, file);
    }

    /** Sets a {@code const volatile} global of any type (struct, array) to a copy of {@code value}, whose size must match. */
    public void setReadOnly(String variable, MemorySegment value) {
        readOnlyVariable(variable, value.byteSize()).copyFrom(value);
    }

    /** Where BTF places {@code variable} in a data section; an error lists the section's variables. */
    private BtfMember sectionVariable(String section, String variable) {
        List<BtfMember> variables = btf().sectionVariables(section);
        return variables.stream().filter(candidate -> candidate.name().equals(variable)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no " + (section.equals(RODATA) ? "read-only" : section)
                        + " variable " + variable + " in " + file + "; its " + section + " variables are "
                        + variables.stream().map(BtfMember::name).toList()));
    }

    /** The variable's bytes in libbpf's copy of .rodata, which {@link #load()} hands to the kernel. */
    private MemorySegment readOnlyVariable(String variable, long expectedSize) {
        requireOpen();
        if (loaded) {
            throw new IllegalStateException("cannot set read-only variable " + variable + " of " + file
                    + " after load(): the kernel froze .rodata at load. Set it between open() and load()");
        }
        MemorySegment rodataMap;
        try (Arena call = Arena.ofConfined()) {
            rodataMap = libbpf.bpf_object__find_map_by_name(object, call.allocateFrom(RODATA));
        }
        if (rodataMap.equals(MemorySegment.NULL)) {
            throw new IllegalArgumentException(file + " has no .rodata section, so no read-only variable " + variable
                    + ". Declare it in the BPF program as: const volatile <type> " + variable + ";");
        }
        BtfMember placement = sectionVariable(RODATA, variable);
        if (placement.sizeBytes() != expectedSize) {
            throw new IllegalArgumentException("read-only variable " + variable + " in " + file + " is "
                    + placement.sizeBytes() + " bytes, but the value given is " + expectedSize + " bytes");
        }
        MemorySegment rodata;
        try (Arena call = Arena.ofConfined()) {
            MemorySegment size = call.allocate(JAVA_LONG);
            MemorySegment initialValue = libbpf.bpf_map__initial_value(rodataMap, size);
            if (initialValue.equals(MemorySegment.NULL)) {
                throw new IllegalStateException("libbpf gave no initial value for .rodata of " + file);
            }
            rodata = initialValue.reinterpret(size.get(JAVA_LONG, 0), arena, null);
        }
        return rodata.asSlice(placement.offsetBytes(), placement.sizeBytes());
    }

    /**
     * Loads maps and programs into the kernel; on failure the exception names the program the
     * kernel refused, if one was ({@link BpfException#program()}), and carries the tail of libbpf's
     * log, where the verifier's reasons are.
     */
    public void load() {
        requireOpen();
        if (loaded) {
            throw new IllegalStateException(file + " is already loaded");
        }
        LibbpfLog.clear();
        int result = libbpf.bpf_object__load(object);
        if (result < 0) {
            String program = LibbpfLog.failedProgram();
            String reason = LibbpfLog.verifierReason();
            throw libbpf.failure("bpf_object__load(" + file + ")", -result, program == null ? null
                    : "the kernel refused program '" + program + "'" + (reason == null ? "" : ": the verifier says \"" + reason + "\"")
                    + " (its log ends below)", program);
        }
        loaded = true;
    }

    public boolean isLoaded() {
        return loaded;
    }

    /** The map with this name; libbpf also finds internal maps by section, e.g. ".rodata". */
    public BpfMap map(String name) {
        requireOpen();
        MemorySegment map;
        try (Arena call = Arena.ofConfined()) {
            map = libbpf.bpf_object__find_map_by_name(object, call.allocateFrom(name));
        }
        if (map.equals(MemorySegment.NULL)) {
            throw new IllegalArgumentException("no map '" + name + "' in " + file + "; its maps are " + mapNames());
        }
        return new BpfMap(libbpf, this, map.reinterpret(arena, null));
    }

    public List<String> mapNames() {
        requireOpen();
        List<String> names = new ArrayList<>();
        for (MemorySegment map = libbpf.bpf_object__next_map(object, MemorySegment.NULL);
                !map.equals(MemorySegment.NULL); map = libbpf.bpf_object__next_map(object, map)) {
            names.add(Libbpf.string(libbpf.bpf_map__name(map)));
        }
        return List.copyOf(names);
    }

    /** Each program's ELF section, e.g. {@code fentry/input_event}: what it attaches to. */
    public Map<String, String> programSections() {
        requireOpen();
        Map<String, String> sections = new LinkedHashMap<>();
        for (MemorySegment program = libbpf.bpf_object__next_program(object, MemorySegment.NULL);
             !program.equals(MemorySegment.NULL); program = libbpf.bpf_object__next_program(object, program)) {
            sections.put(Libbpf.string(libbpf.bpf_program__name(program)), Libbpf.string(libbpf.bpf_program__section_name(program)));
        }
        return sections;
    }

    /** Leaves a program out of {@link #load()} (e.g. a hook on a function this kernel lacks). */
    public void skipProgram(String programName) {
        requireOpen();
        if (loaded) throw new IllegalStateException("cannot skip program " + programName + " after load()");
        int err = libbpf.bpf_program__set_autoload(program(programName), false);
        if (err != 0) throw libbpf.failure("bpf_program__set_autoload(" + programName + ")", -err);
    }

    public List<String> programNames() {
        requireOpen();
        List<String> names = new ArrayList<>();
        for (MemorySegment program = libbpf.bpf_object__next_program(object, MemorySegment.NULL);
                !program.equals(MemorySegment.NULL); program = libbpf.bpf_object__next_program(object, program)) {
            names.add(Libbpf.string(libbpf.bpf_program__name(program)));
        }
        return List.copyOf(names);
    }

    /**
     * The kernel's size facts for each program this object loaded, in object order. Needs only
     * load(), not attach: a program keeps its fd from load on, e.g. the struct_ops programs of a
     * scheduler whose map was never attached. Programs with autoload off (libbpf turns it off for
     * struct_ops programs no map references) never reached the kernel, so they are left out.
     */
    public List<ProgramInfo> programInfo() {
        requireLoaded("read program info");
        List<ProgramInfo> infos = new ArrayList<>();
        for (MemorySegment program = libbpf.bpf_object__next_program(object, MemorySegment.NULL);
                !program.equals(MemorySegment.NULL); program = libbpf.bpf_object__next_program(object, program)) {
            if (!libbpf.bpf_program__autoload(program)) {
                continue;
            }
            String name = Libbpf.string(libbpf.bpf_program__name(program));
            String operation = "bpf_prog_get_info_by_fd(" + name + " in " + file + ")";
            int fd = libbpf.bpf_program__fd(program);
            if (fd < 0) {
                throw libbpf.failure(operation, -fd);
            }
            try (Arena call = Arena.ofConfined()) {
                // Zeroed because the kernel rejects non-zero bytes it does not know, and treats the
                // pointer fields (jited_prog_insns, ...) as buffers to fill unless they are 0.
                MemorySegment info = call.allocate(ProgramInfo.LAYOUT);
                MemorySegment infoLength = call.allocateFrom(JAVA_INT, (int) ProgramInfo.LAYOUT.byteSize());
                LibbpfLog.clear();
                int result = libbpf.bpf_prog_get_info_by_fd(fd, info, infoLength);
                if (result < 0) {
                    throw libbpf.failure(operation, -result);
                }
                infos.add(ProgramInfo.read(name, info));
            }
        }
        return List.copyOf(infos);
    }

    /**
     * The kernel's fd of a loaded program, which this object owns (valid until {@link #close()}):
     * e.g. to read the program's run-time statistics from {@code /proc/self/fdinfo/<fd>}.
     */
    public int programFd(String programName) {
        requireLoaded("get the fd of program " + programName);
        int fd = libbpf.bpf_program__fd(program(programName));
        if (fd < 0) throw libbpf.failure("bpf_program__fd(" + programName + " in " + file + ")", -fd);
        return fd;
    }

    /** libbpf's program of this name; an error lists the object's programs. */
    private MemorySegment program(String programName) {
        requireOpen();
        MemorySegment program;
        try (Arena call = Arena.ofConfined()) {
            program = libbpf.bpf_object__find_program_by_name(object, call.allocateFrom(programName));
        }
        if (program.equals(MemorySegment.NULL)) {
            throw new IllegalArgumentException("no program '" + programName + "' in " + file + "; its programs are " + programNames());
        }
        return program;
    }

    /** Attaches a program to the hook its SEC() names (tracepoint, tp_btf, kprobe, ...). */
    public BpfLink attachProgram(String programName) {
        requireLoaded("attach program " + programName);
        MemorySegment program = program(programName);
        String operation = "bpf_program__attach(" + programName + " in " + file + ")";
        try (Arena call = Arena.ofConfined()) {
            MemorySegment callState = Libbpf.allocateCallState(call);
            LibbpfLog.clear();
            MemorySegment link = libbpf.bpf_program__attach(callState, program);
            if (link.equals(MemorySegment.NULL)) {
                throw libbpf.failure(operation, Libbpf.errno(callState));
            }
            return new BpfLink(libbpf, link, programName + " in " + file.getFileName());
        }
    }

    /** Registers a struct_ops map (a sched_ext scheduler); closing the link unregisters it. */
    public BpfLink attachStructOps(String mapName) {
        requireLoaded("attach struct_ops " + mapName);
        BpfMap map = map(mapName);
        if (map.type() != BPF_MAP_TYPE_STRUCT_OPS) {
            throw new IllegalArgumentException("map '" + mapName + "' in " + file + " has type " + map.type()
                    + ", not struct_ops (" + BPF_MAP_TYPE_STRUCT_OPS + "); declare it with SEC(\".struct_ops.link\")");
        }
        String operation = "bpf_map__attach_struct_ops(" + mapName + " in " + file + ")";
        try (Arena call = Arena.ofConfined()) {
            MemorySegment callState = Libbpf.allocateCallState(call);
            LibbpfLog.clear();
            MemorySegment link = libbpf.bpf_map__attach_struct_ops(callState, map.pointer());
            if (link.equals(MemorySegment.NULL)) {
                throw libbpf.failure(operation, Libbpf.errno(callState));
            }
            return new BpfLink(libbpf, link, "struct_ops " + mapName + " in " + file.getFileName());
        }
    }

    /** Frees libbpf's object and unloads what no link or pinned fd still holds; idempotent. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        synchronized (this) {
            sharedMappings.values().forEach(m -> RingBufferMmapLibc.get().munmap(m, m.byteSize()));
            sharedMappings.clear();
        }
        libbpf.bpf_object__close(object);
        arena.close();
    }

    /** libbpf's {@code struct btf} of this object (NULL without BTF), for BTF walks beside ObjectBtf. */
    MemorySegment rawBtf() {
        requireOpen();
        return libbpf.bpf_object__btf(object);
    }

    ObjectBtf btf() {
        MemorySegment btf = libbpf.bpf_object__btf(object);
        if (btf.equals(MemorySegment.NULL)) {
            throw new IllegalArgumentException(file + " has no BTF, so nothing in it can be found by name. Compile it with clang -g");
        }
        return new ObjectBtf(libbpf, btf);
    }

    void requireOpen() {
        if (closed) {
            throw new IllegalStateException("BPF object " + file + " is closed");
        }
    }

    void requireLoaded(String action) {
        requireOpen();
        if (!loaded) {
            throw new IllegalStateException("cannot " + action + ": " + file + " is not loaded yet. Call load() first");
        }
    }

    @Override
    public String toString() {
        return "BpfObject[" + file + (closed ? ", closed" : loaded ? ", loaded" : ", opened") + "]";
    }
}
