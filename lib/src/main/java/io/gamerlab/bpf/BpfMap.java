package io.gamerlab.bpf;

import static java.lang.foreign.ValueLayout.JAVA_INT;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;

/**
 * A map of a {@link BpfObject}, read and written through libbpf's low-level
 * {@code bpf_map_lookup_elem}/{@code bpf_map_update_elem}. Valid while its object is open.
 *
 * <p>Values of per-CPU maps hold one slot per possible CPU, each slot {@link #valueSize()}
 * rounded up to 8 bytes (the kernel's layout); see {@link #valueSlotSize()}.
 */
public final class BpfMap {
    private static final int BPF_MAP_TYPE_PERCPU_HASH = 5;
    private static final int BPF_MAP_TYPE_PERCPU_ARRAY = 6;
    private static final int BPF_MAP_TYPE_LRU_PERCPU_HASH = 10;
    private static final int BPF_MAP_TYPE_PERCPU_CGROUP_STORAGE = 21;
    private static final long BPF_ANY = 0;
    private static final int ENOENT = 2;

    private final Libbpf libbpf;
    private final BpfObject owner;
    private final MemorySegment map;
    private final String name;

    BpfMap(Libbpf libbpf, BpfObject owner, MemorySegment map) {
        this.libbpf = libbpf;
        this.owner = owner;
        this.map = map;
        this.name = Libbpf.string(libbpf.bpf_map__name(map));
    }

    public String name() {
        return name;
    }

    /** The kernel's map fd; only meaningful after load (libbpf holds a placeholder fd before). */
    public int fd() {
        owner.requireLoaded("use the fd of map " + name);
        return libbpf.bpf_map__fd(map);
    }

    /** {@code enum bpf_map_type}, e.g. 6 for BPF_MAP_TYPE_PERCPU_ARRAY. */
    public int type() {
        owner.requireOpen();
        return libbpf.bpf_map__type(map);
    }

    public int keySize() {
        owner.requireOpen();
        return libbpf.bpf_map__key_size(map);
    }

    /** The value size one CPU sees, as declared in the BPF program. */
    public int valueSize() {
        owner.requireOpen();
        return libbpf.bpf_map__value_size(map);
    }

    public boolean isPerCpu() {
        int type = type();
        return type == BPF_MAP_TYPE_PERCPU_HASH || type == BPF_MAP_TYPE_PERCPU_ARRAY
                || type == BPF_MAP_TYPE_LRU_PERCPU_HASH || type == BPF_MAP_TYPE_PERCPU_CGROUP_STORAGE;
    }

    /** CPUs that could ever come online (not just those online now): the per-CPU slot count. */
    public int possibleCpus() {
        int cpus = libbpf.libbpf_num_possible_cpus();
        if (cpus < 0) {
            throw libbpf.failure("libbpf_num_possible_cpus()", -cpus);
        }
        return cpus;
    }

    /** Bytes between CPU i's value and CPU i+1's in a per-CPU value; the value size otherwise. */
    public long valueSlotSize() {
        return isPerCpu() ? (valueSize() + 7L) & ~7L : valueSize();
    }

    /** Bytes {@link #lookup} returns and {@link #update} takes: all CPUs' slots for per-CPU maps. */
    public long valueBufferSize() {
        return isPerCpu() ? valueSlotSize() * possibleCpus() : valueSize();
    }

    /** The value at an int key (the usual key of array maps); see {@link #lookup(MemorySegment, Arena)}. */
    public MemorySegment lookup(int key, Arena arena) {
        try (Arena call = Arena.ofConfined()) {
            return lookup(call.allocateFrom(JAVA_INT, key), arena);
        }
    }

    /**
     * A copy of the value at {@code key}, allocated in {@code arena}: {@link #valueBufferSize()}
     * bytes, every CPU's slot for per-CPU maps. Throws a BpfException with errno ENOENT if the key is absent.
     */
    public MemorySegment lookup(MemorySegment key, Arena arena) {
        int fd = fd();
        requireKeySize(key);
        MemorySegment value = arena.allocate(valueBufferSize(), Long.BYTES);
        int result = libbpf.bpf_map_lookup_elem(fd, key, value);
        if (result < 0) {
            throw libbpf.failure("bpf_map_lookup_elem(map " + name + ", key " + describe(key) + ")", -result);
        }
        return value;
    }

    /** Creates or replaces the value at an int key; see {@link #update(MemorySegment, MemorySegment)}. */
    public void update(int key, MemorySegment value) {
        try (Arena call = Arena.ofConfined()) {
            update(call.allocateFrom(JAVA_INT, key), value);
        }
    }

    /** Creates or replaces the value at {@code key}; both native memory, the value {@link #valueBufferSize()} bytes. */
    public void update(MemorySegment key, MemorySegment value) {
        int fd = fd();
        requireKeySize(key);
        if (value.byteSize() != valueBufferSize()) {
            throw new IllegalArgumentException("map " + name + " takes values of " + valueBufferSize() + " bytes"
                    + (isPerCpu() ? " (" + valueSlotSize() + " per possible CPU x " + possibleCpus() + ")" : "")
                    + ", not " + value.byteSize());
        }
        int result = libbpf.bpf_map_update_elem(fd, key, value, BPF_ANY);
        if (result < 0) {
            throw libbpf.failure("bpf_map_update_elem(map " + name + ", key " + describe(key) + ")", -result);
        }
    }

    /** Removes the entry at {@code key} (hash-like maps; array entries cannot be removed). */
    public void delete(MemorySegment key) {
        int fd = fd();
        requireKeySize(key);
        int result = libbpf.bpf_map_delete_elem(fd, key);
        if (result < 0) {
            throw libbpf.failure("bpf_map_delete_elem(map " + name + ", key " + describe(key) + ")", -result);
        }
    }

    /** Every key present now, each {@link #keySize()} bytes in {@code arena}, in the kernel's order. */
    public List<MemorySegment> keys(Arena arena) {
        int fd = fd();
        List<MemorySegment> keys = new ArrayList<>();
        MemorySegment previous = MemorySegment.NULL;
        while (true) {
            MemorySegment next = arena.allocate(keySize(), Long.BYTES);
            int result = libbpf.bpf_map_get_next_key(fd, previous, next);
            if (result == -ENOENT) {
                return keys;
            }
            if (result < 0) {
                throw libbpf.failure("bpf_map_get_next_key(map " + name + ")", -result);
            }
            keys.add(next);
            previous = next;
        }
    }

    /** The map's {@code map_flags} (BPF_F_*), as declared. */
    public int flags() {
        owner.requireOpen();
        return libbpf.bpf_map__map_flags(map);
    }

    /** The fields of the value struct, from BTF, with offsets within one CPU's slot. */
    public List<BtfMember> valueMembers() {
        owner.requireOpen();
        return owner.btf().structMembers(libbpf.bpf_map__btf_value_type_id(map), "the value type of map " + name);
    }

    /** The entry count (for a ring buffer: its size in bytes), as declared or as set before load. */
    public int maxEntries() {
        owner.requireOpen();
        return RingBufferLibbpf.get().bpf_map__max_entries(map);
    }

    /**
     * Sizes the map before {@link BpfObject#load()}, e.g. a per-CPU array of maps to the number
     * of possible CPUs, which is known only on the machine that loads it.
     */
    public void setMaxEntries(int maxEntries) {
        owner.requireOpen();
        if (owner.isLoaded()) {
            throw new IllegalStateException("cannot resize map " + name + " after load(): the kernel created it already");
        }
        if (maxEntries <= 0) {
            throw new IllegalArgumentException("map " + name + " needs at least one entry, not " + maxEntries);
        }
        int result = RingBufferLibbpf.get().bpf_map__set_max_entries(map, maxEntries);
        if (result < 0) {
            throw libbpf.failure("bpf_map__set_max_entries(map " + name + ", " + maxEntries + ")", -result);
        }
    }

    /**
     * For a map of maps declared with an inner template ({@code __array(values, ...)}): the
     * template's max_entries (for ring buffers, their size in bytes). libbpf drops the template at
     * load, so after load it is read from the map's definition in the object's BTF.
     */
    public int innerMapMaxEntries() {
        owner.requireOpen();
        MemorySegment inner = RingBufferLibbpf.get().bpf_map__inner_map(map);
        if (!inner.equals(MemorySegment.NULL)) {
            return RingBufferLibbpf.get().bpf_map__max_entries(inner);
        }
        return RingBufferMaps.declaredInnerMaxEntries(libbpf, owner.rawBtf(), name);
    }

    MemorySegment pointer() {
        return map;
    }

    private void requireKeySize(MemorySegment key) {
        if (key.byteSize() != keySize()) {
            throw new IllegalArgumentException("map " + name + " has " + keySize() + "-byte keys, not " + key.byteSize() + "-byte");
        }
    }

    private static String describe(MemorySegment key) {
        return key.byteSize() == Integer.BYTES ? Integer.toString(key.get(JAVA_INT, 0)) : key.byteSize() + " bytes";
    }

    @Override
    public String toString() {
        return "BpfMap[" + name + "]";
    }
}
