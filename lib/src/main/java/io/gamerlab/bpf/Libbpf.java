package io.gamerlab.bpf;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BOOLEAN;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import io.gamerlab.util.Capabilities;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout.PathElement;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;
import java.util.Optional;

/**
 * The libbpf functions gamerlab calls, one downcall each, named as in libbpf's headers so the
 * list can be checked against them. One instance per JVM: libbpf is loaded once and never unloaded.
 *
 * <p>libbpf 1.x reports errors as a negative errno from int functions, and as NULL plus errno from
 * pointer functions; the latter are linked with {@code captureCallState("errno")} because the JVM
 * may overwrite errno before Java code could read it.
 */
final class Libbpf {
    static final int MINIMUM_MAJOR = 1;
    static final int MINIMUM_MINOR = 4;

    private static final Linker LINKER = Linker.nativeLinker();
    private static final StructLayout CALL_STATE = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO = CALL_STATE.varHandle(PathElement.groupElement("errno"));
    private static final Linker.Option CAPTURE_ERRNO = Linker.Option.captureCallState("errno");
    private static final int ERROR_TEXT_BYTES = 256;

    private final LibbpfLocation location;
    private final MethodHandle libbpfStrerror;
    private final MethodHandle libbpfNumPossibleCpus;
    private final MethodHandle objectOpenFile;
    private final MethodHandle objectLoad;
    private final MethodHandle objectClose;
    private final MethodHandle objectBtf;
    private final MethodHandle objectFindMapByName;
    private final MethodHandle objectNextMap;
    private final MethodHandle objectFindProgramByName;
    private final MethodHandle objectNextProgram;
    private final MethodHandle programName;
    private final MethodHandle programAttach;
    private final MethodHandle programAutoload;
    private final MethodHandle programSetAutoload;
    private final MethodHandle programSectionName;
    private final MethodHandle programFd;
    private final MethodHandle progGetInfoByFd;
    private final MethodHandle mapName;
    private final MethodHandle mapFd;
    private final MethodHandle mapType;
    private final MethodHandle mapKeySize;
    private final MethodHandle mapValueSize;
    private final MethodHandle mapInitialValue;
    private final MethodHandle mapBtfValueTypeId;
    private final MethodHandle mapAttachStructOps;
    private final MethodHandle mapLookupElem;
    private final MethodHandle mapUpdateElem;
    private final MethodHandle mapDeleteElem;
    private final MethodHandle mapGetNextKey;
    private final MethodHandle mapMapFlags;
    private final MethodHandle linkDestroy;
    private final MethodHandle enableStats;
    private final MethodHandle btfFindByNameKind;
    private final MethodHandle btfTypeById;
    private final MethodHandle btfNameByOffset;
    private final MethodHandle btfResolveType;
    private final MethodHandle btfResolveSize;
    /** From glibc (>= 2.32), for the errno's name, e.g. "EPERM". */
    private final MethodHandle strerrornameNp;
    /** "major.minor", as the library reports it. */
    private String version;

    private Libbpf(LibbpfLocation location) {
        this.location = location;
        requireVersion();
        libbpfStrerror = function("libbpf_strerror", FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_LONG));
        libbpfNumPossibleCpus = function("libbpf_num_possible_cpus", FunctionDescriptor.of(JAVA_INT));
        objectOpenFile = function("bpf_object__open_file", FunctionDescriptor.of(ADDRESS, ADDRESS, ADDRESS), CAPTURE_ERRNO);
        objectLoad = function("bpf_object__load", FunctionDescriptor.of(JAVA_INT, ADDRESS));
        objectClose = function("bpf_object__close", FunctionDescriptor.ofVoid(ADDRESS));
        objectBtf = function("bpf_object__btf", FunctionDescriptor.of(ADDRESS, ADDRESS));
        objectFindMapByName = function("bpf_object__find_map_by_name", FunctionDescriptor.of(ADDRESS, ADDRESS, ADDRESS));
        objectNextMap = function("bpf_object__next_map", FunctionDescriptor.of(ADDRESS, ADDRESS, ADDRESS));
        objectFindProgramByName = function("bpf_object__find_program_by_name", FunctionDescriptor.of(ADDRESS, ADDRESS, ADDRESS));
        objectNextProgram = function("bpf_object__next_program", FunctionDescriptor.of(ADDRESS, ADDRESS, ADDRESS));
        programName = function("bpf_program__name", FunctionDescriptor.of(ADDRESS, ADDRESS));
        programAttach = function("bpf_program__attach", FunctionDescriptor.of(ADDRESS, ADDRESS), CAPTURE_ERRNO);
        programAutoload = function("bpf_program__autoload", FunctionDescriptor.of(JAVA_BOOLEAN, ADDRESS));
        programSetAutoload = function("bpf_program__set_autoload", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_BOOLEAN));
        programSectionName = function("bpf_program__section_name", FunctionDescriptor.of(ADDRESS, ADDRESS));
        programFd = function("bpf_program__fd", FunctionDescriptor.of(JAVA_INT, ADDRESS));
        progGetInfoByFd = function("bpf_prog_get_info_by_fd", FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, ADDRESS));
        mapName = function("bpf_map__name", FunctionDescriptor.of(ADDRESS, ADDRESS));
        mapFd = function("bpf_map__fd", FunctionDescriptor.of(JAVA_INT, ADDRESS));
        mapType = function("bpf_map__type", FunctionDescriptor.of(JAVA_INT, ADDRESS));
        mapKeySize = function("bpf_map__key_size", FunctionDescriptor.of(JAVA_INT, ADDRESS));
        mapValueSize = function("bpf_map__value_size", FunctionDescriptor.of(JAVA_INT, ADDRESS));
        mapInitialValue = function("bpf_map__initial_value", FunctionDescriptor.of(ADDRESS, ADDRESS, ADDRESS));
        mapBtfValueTypeId = function("bpf_map__btf_value_type_id", FunctionDescriptor.of(JAVA_INT, ADDRESS));
        mapAttachStructOps = function("bpf_map__attach_struct_ops", FunctionDescriptor.of(ADDRESS, ADDRESS), CAPTURE_ERRNO);
        mapLookupElem = function("bpf_map_lookup_elem", FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, ADDRESS));
        mapUpdateElem = function("bpf_map_update_elem", FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, ADDRESS, JAVA_LONG));
        mapDeleteElem = function("bpf_map_delete_elem", FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS));
        mapGetNextKey = function("bpf_map_get_next_key", FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, ADDRESS));
        mapMapFlags = function("bpf_map__map_flags", FunctionDescriptor.of(JAVA_INT, ADDRESS));
        linkDestroy = function("bpf_link__destroy", FunctionDescriptor.of(JAVA_INT, ADDRESS));
        enableStats = function("bpf_enable_stats", FunctionDescriptor.of(JAVA_INT, JAVA_INT));
        btfFindByNameKind = function("btf__find_by_name_kind", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, JAVA_INT));
        btfTypeById = function("btf__type_by_id", FunctionDescriptor.of(ADDRESS, ADDRESS, JAVA_INT));
        btfNameByOffset = function("btf__name_by_offset", FunctionDescriptor.of(ADDRESS, ADDRESS, JAVA_INT));
        btfResolveType = function("btf__resolve_type", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT));
        btfResolveSize = function("btf__resolve_size", FunctionDescriptor.of(JAVA_LONG, ADDRESS, JAVA_INT));
        strerrornameNp = LINKER.downcallHandle(LINKER.defaultLookup().find("strerrorname_np").orElseThrow(
                () -> new IllegalStateException("libc has no strerrorname_np; gamerlab needs glibc >= 2.32")),
                FunctionDescriptor.of(ADDRESS, JAVA_INT));
        LibbpfLog.install(function("libbpf_set_print", FunctionDescriptor.of(ADDRESS, ADDRESS)));
    }

    /** The loaded library; the first call loads it, and a failure to load is reported on every call. */
    static Libbpf get() {
        if (Loaded.FAILURE != null) {
            throw new IllegalStateException(Loaded.FAILURE.getMessage(), Loaded.FAILURE);
        }
        return Loaded.INSTANCE;
    }

    private static final class Loaded {
        static final Libbpf INSTANCE;
        static final RuntimeException FAILURE;

        static {
            Libbpf instance = null;
            RuntimeException failure = null;
            try {
                instance = new Libbpf(LibbpfLocation.find());
            } catch (RuntimeException e) {
                failure = e;
            }
            INSTANCE = instance;
            FAILURE = failure;
        }
    }

    String origin() {
        return location.origin();
    }

    /** e.g. "1.4 (/root/.cache/gamerlab/tools/usr/lib/x86_64-linux-gnu/libbpf.so.1)": what provenance records. */
    String versionAndOrigin() {
        return version + " (" + origin() + ")";
    }

    private void requireVersion() {
        String tooOld = "gamerlab's schedulers use SEC(\".struct_ops.link\"), which needs libbpf >= "
                + MINIMUM_MAJOR + "." + MINIMUM_MINOR + ". Run scripts/setup.sh to put libbpf "
                + MINIMUM_MAJOR + "." + MINIMUM_MINOR + " in the cache, or point -D" + LibbpfLocation.PROPERTY
                + " or " + LibbpfLocation.ENVIRONMENT + " at a newer libbpf.so.1";
        Optional<MemorySegment> major = location.symbols().find("libbpf_major_version");
        Optional<MemorySegment> minor = location.symbols().find("libbpf_minor_version");
        if (major.isEmpty() || minor.isEmpty()) {
            throw new IllegalStateException("libbpf at " + origin() + " is older than 0.6 (it cannot report its version); " + tooOld);
        }
        int majorVersion;
        int minorVersion;
        try {
            majorVersion = (int) LINKER.downcallHandle(major.get(), FunctionDescriptor.of(JAVA_INT)).invokeExact();
            minorVersion = (int) LINKER.downcallHandle(minor.get(), FunctionDescriptor.of(JAVA_INT)).invokeExact();
        } catch (Throwable t) {
            throw rethrow(t);
        }
        if (majorVersion < MINIMUM_MAJOR || majorVersion == MINIMUM_MAJOR && minorVersion < MINIMUM_MINOR) {
            throw new IllegalStateException("libbpf at " + origin() + " is version " + majorVersion + "." + minorVersion + "; " + tooOld);
        }
        version = majorVersion + "." + minorVersion;
    }

    private MethodHandle function(String name, FunctionDescriptor descriptor, Linker.Option... options) {
        MemorySegment address = location.symbols().find(name).orElseThrow(() -> new IllegalStateException(
                "libbpf at " + origin() + " has no function " + name + ". Run scripts/setup.sh for libbpf >= "
                        + MINIMUM_MAJOR + "." + MINIMUM_MINOR));
        return LINKER.downcallHandle(address, descriptor, options);
    }

    /** A downcall to another function of this libbpf, for bindings kept beside this class (RingBufferLibbpf). */
    MethodHandle downcall(String name, FunctionDescriptor descriptor, Linker.Option... options) {
        return function(name, descriptor, options);
    }

    // ---- errors ----

    static MemorySegment allocateCallState(Arena arena) {
        return arena.allocate(CALL_STATE);
    }

    static int errno(MemorySegment callState) {
        return (int) ERRNO.get(callState, 0L);
    }

    /**
     * An exception for a failed call: names the operation and the error, adds what to do where
     * that is known, and the tail of what libbpf (and the verifier) logged on this thread.
     */
    BpfException failure(String operation, int errno) {
        return failure(operation, errno, null, null);
    }

    /** As {@link #failure(String, int)}, with what failed in the caller's words and the program the kernel refused (or nulls). */
    BpfException failure(String operation, int errno, String what, String program) {
        StringBuilder message = new StringBuilder(operation).append(" failed: ").append(describe(errno));
        if (what != null) message.append(": ").append(what);
        if ((errno == 1 /* EPERM */ || errno == 13 /* EACCES */) && !Capabilities.mayLoadBpf()) {
            message.append(". Loading and attaching BPF needs root (or CAP_BPF with CAP_PERFMON), which this process (uid ")
                    .append(Capabilities.effectiveUid()).append(") lacks: run it as root");
        }
        String log = LibbpfLog.tail();
        if (!log.isEmpty()) {
            message.append("\nlibbpf log (last ").append(LibbpfLog.TAIL_LINES).append(" lines at most):\n").append(log);
        }
        return new BpfException(operation, errno, message.toString(), program);
    }

    /** e.g. "EPERM (Operation not permitted)"; libbpf's own codes (4000+) have no errno name. */
    String describe(int errno) {
        String name;
        try {
            name = string((MemorySegment) strerrornameNp.invokeExact(errno));
        } catch (Throwable t) {
            throw rethrow(t);
        }
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment text = arena.allocate(ERROR_TEXT_BYTES);
            libbpf_strerror(errno, text, ERROR_TEXT_BYTES);
            return (name != null ? name : "error " + errno) + " (" + text.getString(0) + ")";
        }
    }

    /** A NUL-terminated string libbpf returned, or null for NULL. */
    static String string(MemorySegment cString) {
        return cString.equals(MemorySegment.NULL) ? null : cString.reinterpret(Long.MAX_VALUE).getString(0);
    }

    private static RuntimeException rethrow(Throwable t) {
        if (t instanceof RuntimeException runtime) {
            throw runtime;
        }
        if (t instanceof Error error) {
            throw error;
        }
        throw new IllegalStateException("a libbpf downcall threw a checked exception", t);
    }

    // ---- the downcalls ----

    int libbpf_strerror(int err, MemorySegment buf, long size) {
        try {
            return (int) libbpfStrerror.invokeExact(err, buf, size);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    int libbpf_num_possible_cpus() {
        try {
            return (int) libbpfNumPossibleCpus.invokeExact();
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    MemorySegment bpf_object__open_file(MemorySegment callState, MemorySegment path, MemorySegment opts) {
        try {
            return (MemorySegment) objectOpenFile.invokeExact(callState, path, opts);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    int bpf_object__load(MemorySegment object) {
        try {
            return (int) objectLoad.invokeExact(object);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    void bpf_object__close(MemorySegment object) {
        try {
            objectClose.invokeExact(object);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    MemorySegment bpf_object__btf(MemorySegment object) {
        try {
            return (MemorySegment) objectBtf.invokeExact(object);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    MemorySegment bpf_object__find_map_by_name(MemorySegment object, MemorySegment name) {
        try {
            return (MemorySegment) objectFindMapByName.invokeExact(object, name);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    MemorySegment bpf_object__next_map(MemorySegment object, MemorySegment previous) {
        try {
            return (MemorySegment) objectNextMap.invokeExact(object, previous);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    MemorySegment bpf_object__find_program_by_name(MemorySegment object, MemorySegment name) {
        try {
            return (MemorySegment) objectFindProgramByName.invokeExact(object, name);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    MemorySegment bpf_object__next_program(MemorySegment object, MemorySegment previous) {
        try {
            return (MemorySegment) objectNextProgram.invokeExact(object, previous);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    MemorySegment bpf_program__name(MemorySegment program) {
        try {
            return (MemorySegment) programName.invokeExact(program);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    MemorySegment bpf_program__attach(MemorySegment callState, MemorySegment program) {
        try {
            return (MemorySegment) programAttach.invokeExact(callState, program);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    int bpf_program__set_autoload(MemorySegment program, boolean autoload) {
        try {
            return (int) programSetAutoload.invokeExact(program, autoload);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    MemorySegment bpf_program__section_name(MemorySegment program) {
        try {
            return (MemorySegment) programSectionName.invokeExact(program);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    boolean bpf_program__autoload(MemorySegment program) {
        try {
            return (boolean) programAutoload.invokeExact(program);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    int bpf_program__fd(MemorySegment program) {
        try {
            return (int) programFd.invokeExact(program);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    int bpf_prog_get_info_by_fd(int fd, MemorySegment info, MemorySegment infoLength) {
        try {
            return (int) progGetInfoByFd.invokeExact(fd, info, infoLength);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    MemorySegment bpf_map__name(MemorySegment map) {
        try {
            return (MemorySegment) mapName.invokeExact(map);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    int bpf_map__fd(MemorySegment map) {
        try {
            return (int) mapFd.invokeExact(map);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    int bpf_map__type(MemorySegment map) {
        try {
            return (int) mapType.invokeExact(map);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    int bpf_map__key_size(MemorySegment map) {
        try {
            return (int) mapKeySize.invokeExact(map);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    int bpf_map__value_size(MemorySegment map) {
        try {
            return (int) mapValueSize.invokeExact(map);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    MemorySegment bpf_map__initial_value(MemorySegment map, MemorySegment sizeOut) {
        try {
            return (MemorySegment) mapInitialValue.invokeExact(map, sizeOut);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    int bpf_map__btf_value_type_id(MemorySegment map) {
        try {
            return (int) mapBtfValueTypeId.invokeExact(map);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    MemorySegment bpf_map__attach_struct_ops(MemorySegment callState, MemorySegment map) {
        try {
            return (MemorySegment) mapAttachStructOps.invokeExact(callState, map);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    int bpf_map_lookup_elem(int fd, MemorySegment key, MemorySegment value) {
        try {
            return (int) mapLookupElem.invokeExact(fd, key, value);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    int bpf_map_update_elem(int fd, MemorySegment key, MemorySegment value, long flags) {
        try {
            return (int) mapUpdateElem.invokeExact(fd, key, value, flags);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    int bpf_map_delete_elem(int fd, MemorySegment key) {
        try {
            return (int) mapDeleteElem.invokeExact(fd, key);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** {@code key} NULL: the first key. Returns -ENOENT after the last. */
    int bpf_map_get_next_key(int fd, MemorySegment key, MemorySegment nextKey) {
        try {
            return (int) mapGetNextKey.invokeExact(fd, key, nextKey);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    int bpf_map__map_flags(MemorySegment map) {
        try {
            return (int) mapMapFlags.invokeExact(map);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    int bpf_link__destroy(MemorySegment link) {
        try {
            return (int) linkDestroy.invokeExact(link);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** An fd that keeps the statistics of {@code type} on while open, or a negative errno. */
    int bpf_enable_stats(int type) {
        try {
            return (int) enableStats.invokeExact(type);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    int btf__find_by_name_kind(MemorySegment btf, MemorySegment name, int kind) {
        try {
            return (int) btfFindByNameKind.invokeExact(btf, name, kind);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    MemorySegment btf__type_by_id(MemorySegment btf, int id) {
        try {
            return (MemorySegment) btfTypeById.invokeExact(btf, id);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    MemorySegment btf__name_by_offset(MemorySegment btf, int offset) {
        try {
            return (MemorySegment) btfNameByOffset.invokeExact(btf, offset);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    int btf__resolve_type(MemorySegment btf, int typeId) {
        try {
            return (int) btfResolveType.invokeExact(btf, typeId);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    long btf__resolve_size(MemorySegment btf, int typeId) {
        try {
            return (long) btfResolveSize.invokeExact(btf, typeId);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }
}
