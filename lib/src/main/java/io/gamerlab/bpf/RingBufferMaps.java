package io.gamerlab.bpf;

import static java.lang.foreign.ValueLayout.JAVA_INT;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * Ring buffers that user space creates for a BPF program: the inner rings of a
 * {@code BPF_MAP_TYPE_ARRAY_OF_MAPS}, one per slot (e.g. one per CPU). The outer map keeps each
 * ring alive once inserted, so the creating fd is closed at once; a consumer opens its own fds
 * by id ({@link #openInnerRings}).
 */
public final class RingBufferMaps {
    static final int BPF_MAP_TYPE_ARRAY_OF_MAPS = 12;
    static final int BPF_MAP_TYPE_RINGBUF = 27;
    private static final int ENOENT = 2;
    private static final int PAGE_SIZE = 4096;

    private RingBufferMaps() {
    }

    /**
     * Puts a new ring buffer of {@code ringBytes} in every slot 0..slots-1 of {@code outer} that is
     * empty; slots already holding a map are kept. Returns how many rings were created.
     * {@code ringBytes} must be a power of two and a multiple of the page size (the kernel's rule).
     */
    public static int fillArrayOfMaps(BpfMap outer, int slots, int ringBytes, String namePrefix) {
        requireArrayOfMaps(outer);
        if (slots > outer.maxEntries()) {
            throw new IllegalArgumentException("map " + outer.name() + " has " + outer.maxEntries() + " slots, fewer than the "
                    + slots + " asked for; raise it with setMaxEntries before load");
        }
        if (Integer.bitCount(ringBytes) != 1 || ringBytes % PAGE_SIZE != 0) {
            throw new IllegalArgumentException("a ring buffer's size must be a power of two and a multiple of "
                    + PAGE_SIZE + " bytes, not " + ringBytes);
        }
        RingBufferLibbpf native_ = RingBufferLibbpf.get();
        int created = 0;
        try (Arena call = Arena.ofConfined()) {
            for (int slot = 0; slot < slots; slot++) {
                if (occupied(outer, slot)) {
                    continue;
                }
                String name = (namePrefix + slot);
                name = name.substring(0, Math.min(name.length(), 15)); // BPF_OBJ_NAME_LEN - 1
                int fd = native_.bpf_map_create(BPF_MAP_TYPE_RINGBUF, call.allocateFrom(name), 0, 0, ringBytes, MemorySegment.NULL);
                if (fd < 0) {
                    throw native_.libbpf().failure("bpf_map_create(RINGBUF " + name + ", " + ringBytes + " bytes)", -fd);
                }
                try {
                    outer.update(slot, call.allocateFrom(JAVA_INT, fd));
                } finally {
                    native_.close(fd);
                }
                created++;
            }
        }
        return created;
    }

    /** Takes an inner ring's fd, which it owns from then on, named {@code outer[slot]} for messages. */
    @FunctionalInterface
    interface InnerRingSink {
        void add(int fd, String description);
    }

    /**
     * Opens the ring in every occupied slot of an array of maps, in slot order, and hands each fd
     * to {@code sink}; empty slots are skipped. A user-space lookup of a slot gives the inner map's
     * id, not an fd, so each ring is opened by its id. If {@code sink} throws, the fd it was given
     * is closed here. Returns the number of rings opened.
     */
    static int openInnerRings(BpfMap outer, InnerRingSink sink) {
        requireArrayOfMaps(outer);
        RingBufferLibbpf native_ = RingBufferLibbpf.get();
        int opened = 0;
        for (int slot = 0; slot < outer.maxEntries(); slot++) {
            int id = innerMapId(outer, slot);
            if (id == 0) {
                continue;
            }
            int fd = native_.bpf_map_get_fd_by_id(id);
            if (fd < 0) {
                throw native_.libbpf().failure("bpf_map_get_fd_by_id(" + id + ", slot " + slot + " of " + outer.name() + ")", -fd);
            }
            try {
                sink.add(fd, outer.name() + "[" + slot + "]");
            } catch (RuntimeException e) {
                native_.close(fd);
                throw e;
            }
            opened++;
        }
        return opened;
    }

    private static void requireArrayOfMaps(BpfMap outer) {
        if (outer.type() != BPF_MAP_TYPE_ARRAY_OF_MAPS) {
            throw new IllegalArgumentException("map " + outer.name() + " has type " + outer.type()
                    + ", not BPF_MAP_TYPE_ARRAY_OF_MAPS (" + BPF_MAP_TYPE_ARRAY_OF_MAPS + ")");
        }
    }

    private static final int BTF_KIND_PTR = 2;
    private static final int BTF_KIND_ARRAY = 3;
    private static final int BTF_KIND_STRUCT = 4;
    private static final int BTF_KIND_VAR = 14;
    private static final long BTF_TYPE_BYTES = 12;

    /**
     * The max_entries of a map-of-maps' inner template, from the map's definition in BTF:
     * {@code struct { ...; __array(values, struct { __uint(max_entries, N); ... }); } name SEC(".maps")}
     * is a VAR whose struct has a member {@code values} of type {@code T *[]}, and T has a member
     * {@code max_entries} of type {@code int (*)[N]}.
     */
    static int declaredInnerMaxEntries(Libbpf libbpf, MemorySegment btf, String mapName) {
        String what = "the inner map template of map " + mapName;
        if (btf.equals(MemorySegment.NULL)) {
            throw new IllegalArgumentException(what + " cannot be read: the object has no BTF (compile it with clang -g)");
        }
        int varId;
        try (Arena call = Arena.ofConfined()) {
            varId = libbpf.btf__find_by_name_kind(btf, call.allocateFrom(mapName), BTF_KIND_VAR);
        }
        if (varId < 0) {
            throw new IllegalArgumentException(what + " cannot be read: no BTF variable " + mapName);
        }
        int definition = resolve(libbpf, btf, type(libbpf, btf, varId).get(JAVA_INT, 8), BTF_KIND_STRUCT, what);
        int values = resolve(libbpf, btf, memberType(libbpf, btf, definition, "values", what), BTF_KIND_ARRAY, what);
        int pointer = resolve(libbpf, btf, arrayInfo(libbpf, btf, values).get(JAVA_INT, 0), BTF_KIND_PTR, what);
        int template = resolve(libbpf, btf, type(libbpf, btf, pointer).get(JAVA_INT, 8), BTF_KIND_STRUCT, what);
        int maxEntriesPointer = resolve(libbpf, btf, memberType(libbpf, btf, template, "max_entries", what), BTF_KIND_PTR, what);
        int maxEntries = resolve(libbpf, btf, type(libbpf, btf, maxEntriesPointer).get(JAVA_INT, 8), BTF_KIND_ARRAY, what);
        return arrayInfo(libbpf, btf, maxEntries).get(JAVA_INT, 8);
    }

    private static MemorySegment type(Libbpf libbpf, MemorySegment btf, int id) {
        return libbpf.btf__type_by_id(btf, id).reinterpret(BTF_TYPE_BYTES);
    }

    private static int kind(MemorySegment type) {
        return (type.get(JAVA_INT, 4) >>> 24) & 0x1f;
    }

    /** Follows typedefs and qualifiers to a type of the expected kind. */
    private static int resolve(Libbpf libbpf, MemorySegment btf, int id, int expectedKind, String what) {
        int resolved = libbpf.btf__resolve_type(btf, id);
        if (resolved < 0 || kind(type(libbpf, btf, resolved)) != expectedKind) {
            throw new IllegalArgumentException(what + " is not declared with __array(values, struct { __uint(max_entries, N); ... })");
        }
        return resolved;
    }

    /** {@code struct btf_array { u32 type; u32 index_type; u32 nelems; }} after the type header. */
    private static MemorySegment arrayInfo(Libbpf libbpf, MemorySegment btf, int arrayId) {
        return libbpf.btf__type_by_id(btf, arrayId).reinterpret(BTF_TYPE_BYTES + 12).asSlice(BTF_TYPE_BYTES);
    }

    /** The type of a struct's member, from {@code struct btf_member { u32 name_off; u32 type; u32 offset; }} entries. */
    private static int memberType(Libbpf libbpf, MemorySegment btf, int structId, String member, String what) {
        int count = type(libbpf, btf, structId).get(JAVA_INT, 4) & 0xffff;
        MemorySegment members = libbpf.btf__type_by_id(btf, structId).reinterpret(BTF_TYPE_BYTES + count * 12L).asSlice(BTF_TYPE_BYTES);
        for (long at = 0; at < members.byteSize(); at += 12) {
            if (member.equals(Libbpf.string(libbpf.btf__name_by_offset(btf, members.get(JAVA_INT, at))))) {
                return members.get(JAVA_INT, at + 4);
            }
        }
        throw new IllegalArgumentException(what + " has no member " + member + " in its BTF definition");
    }

    /** Whether a map-of-maps slot holds a map (user-space lookup gives its id, or ENOENT). */
    private static boolean occupied(BpfMap outer, int slot) {
        return innerMapId(outer, slot) != 0;
    }

    /** The id of the map in a map-of-maps slot, or 0 when the slot is empty. */
    private static int innerMapId(BpfMap outer, int slot) {
        try (Arena call = Arena.ofConfined()) {
            return outer.lookup(slot, call).get(JAVA_INT, 0);
        } catch (BpfException e) {
            if (e.errno() == ENOENT) {
                return 0;
            }
            throw e;
        }
    }
}
