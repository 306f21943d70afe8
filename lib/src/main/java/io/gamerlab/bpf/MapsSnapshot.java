package io.gamerlab.bpf;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The entries of a loaded object's maps that its programs may change, copied so they can be put
 * back: how one loaded object starts over from the state it had when the copy was taken, without
 * a new load (and verification). Arrays and hashes, plain, per-CPU or LRU, are copied, the
 * object's .data and .bss among them. Not copied: maps the programs only read (.rodata, frozen,
 * flagged BPF_F_RDONLY_PROG), and ring buffers, maps of maps, task storage and struct_ops maps,
 * whose contents a consumer or the kernel manages. Putting an array entry back also cancels any
 * bpf_timer in it (the kernel frees a written entry's timer), so the programs arm it afresh.
 */
public final class MapsSnapshot {
    private static final int BPF_F_RDONLY_PROG = 1 << 7;
    private static final Set<Integer> ARRAYS = Set.of(2, 6);          // ARRAY, PERCPU_ARRAY
    private static final Set<Integer> HASHES = Set.of(1, 5, 9, 10);  // HASH, PERCPU_HASH, LRU_HASH, LRU_PERCPU_HASH

    /** One map's entries: keys and values as the kernel's bytes. */
    private record Entries(BpfMap map, List<byte[]> keys, List<byte[]> values) { }

    private final List<Entries> maps;

    private MapsSnapshot(List<Entries> maps) {
        this.maps = maps;
    }

    /** Copies the writable arrays and hashes of {@code loaded} as they are now. */
    public static MapsSnapshot of(BpfObject loaded) {
        loaded.requireLoaded("copy its maps");
        List<Entries> copied = new ArrayList<>();
        try (Arena arena = Arena.ofConfined()) {
            for (String name : loaded.mapNames()) {
                BpfMap map = loaded.map(name);
                boolean array = ARRAYS.contains(map.type());
                if ((!array && !HASHES.contains(map.type())) || (map.flags() & BPF_F_RDONLY_PROG) != 0) continue;
                List<MemorySegment> keys = array ? arrayKeys(map, arena) : map.keys(arena);
                List<byte[]> keyBytes = new ArrayList<>(), values = new ArrayList<>();
                for (MemorySegment key : keys) {
                    keyBytes.add(key.toArray(ValueLayout.JAVA_BYTE));
                    values.add(map.lookup(key, arena).toArray(ValueLayout.JAVA_BYTE));
                }
                copied.add(new Entries(map, keyBytes, values));
            }
        }
        return new MapsSnapshot(List.copyOf(copied));
    }

    private static List<MemorySegment> arrayKeys(BpfMap map, Arena arena) {
        List<MemorySegment> keys = new ArrayList<>();
        for (int i = 0; i < map.maxEntries(); i++) keys.add(arena.allocateFrom(ValueLayout.JAVA_INT, i));
        return keys;
    }

    /**
     * Puts every copied map back as it was: each array entry rewritten, each hash emptied and
     * refilled. Only while no program runs (nothing attached) is the result the copy exactly.
     */
    public void restore() {
        try (Arena arena = Arena.ofConfined()) {
            for (Entries e : maps) {
                if (HASHES.contains(e.map().type())) for (MemorySegment key : e.map().keys(arena)) e.map().delete(key);
                for (int i = 0; i < e.keys().size(); i++)
                    e.map().update(segment(arena, e.keys().get(i)), segment(arena, e.values().get(i)));
            }
        }
    }

    private static MemorySegment segment(Arena arena, byte[] bytes) {
        return arena.allocate(bytes.length, Long.BYTES).copyFrom(MemorySegment.ofArray(bytes));
    }

    /** The names of the maps copied, for reports and tests. */
    public List<String> mapNames() {
        return maps.stream().map(e -> e.map().name()).toList();
    }
}
