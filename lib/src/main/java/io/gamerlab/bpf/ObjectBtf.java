package io.gamerlab.bpf;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads a BPF object's BTF (its type information) for the layouts user space needs: where the
 * variables of a data section sit, and the fields of a map's value struct. Names then come from
 * the BPF C source alone, not from offsets repeated in Java.
 */
final class ObjectBtf {
    private static final int BTF_KIND_STRUCT = 4;
    private static final int BTF_KIND_FUNC = 12;
    /** A FUNC's linkage (in its vlen bits): declared here, defined in the kernel. */
    private static final int BTF_FUNC_EXTERN = 2;
    private static final int BTF_KIND_DATASEC = 15;
    /** {@code struct btf_type { u32 name_off; u32 info; u32 size_or_type; }}; a STRUCT's or DATASEC's entries follow it. */
    private static final long BTF_TYPE_BYTES = 12;
    /** {@code struct btf_member { u32 name_off; u32 type; u32 offset; }} and {@code struct btf_var_secinfo { u32 type; u32 offset; u32 size; }} */
    private static final long ENTRY_BYTES = 12;

    private final Libbpf libbpf;
    private final MemorySegment btf;

    ObjectBtf(Libbpf libbpf, MemorySegment btf) {
        this.libbpf = libbpf;
        this.btf = btf;
    }

    /** The section's variables in section order; empty if the object has no such section. */
    List<BtfMember> sectionVariables(String section) {
        int datasecId;
        try (Arena call = Arena.ofConfined()) {
            datasecId = libbpf.btf__find_by_name_kind(btf, call.allocateFrom(section), BTF_KIND_DATASEC);
        }
        if (datasecId < 0) {
            return List.of();
        }
        MemorySegment secinfos = entries(datasecId);
        List<BtfMember> variables = new ArrayList<>();
        for (long at = 0; at < secinfos.byteSize(); at += ENTRY_BYTES) {
            int varTypeId = secinfos.get(JAVA_INT, at);
            variables.add(new BtfMember(name(type(varTypeId).get(JAVA_INT, 0)),
                    unsigned(secinfos.get(JAVA_INT, at + 4)), unsigned(secinfos.get(JAVA_INT, at + 8))));
        }
        return List.copyOf(variables);
    }

    /**
     * The functions an object file declares extern (kfuncs it calls), by name, from its BTF as
     * compiled: libbpf's copy in an opened object has them rewritten (global linkage, the .ksyms
     * entries pointing at a dummy variable), so the file's BTF is parsed anew.
     */
    static List<String> externFunctionsOf(Libbpf libbpf, Path file) {
        MethodHandle parse = libbpf.downcall("btf__parse", FunctionDescriptor.of(ADDRESS, ADDRESS, ADDRESS));
        MethodHandle free = libbpf.downcall("btf__free", FunctionDescriptor.ofVoid(ADDRESS));
        try (Arena call = Arena.ofConfined()) {
            MemorySegment btf = (MemorySegment) parse.invokeExact(call.allocateFrom(file.toString()), MemorySegment.NULL);
            if (btf.equals(MemorySegment.NULL))
                throw new IllegalArgumentException(file + " has no BTF that libbpf can parse, so its kfuncs are unknown. Compile it with clang -g");
            try {
                return new ObjectBtf(libbpf, btf).externFunctions();
            } finally {
                free.invokeExact(btf);
            }
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    private List<String> externFunctions() {
        List<String> names = new ArrayList<>();
        for (int id = 1; ; id++) {
            MemorySegment type = libbpf.btf__type_by_id(btf, id);
            if (type.equals(MemorySegment.NULL)) return List.copyOf(names);
            type = type.reinterpret(BTF_TYPE_BYTES);
            if (kind(type) == BTF_KIND_FUNC && (type.get(JAVA_INT, 4) & 0xffff) == BTF_FUNC_EXTERN)
                names.add(name(type.get(JAVA_INT, 0)));
        }
    }

    /** The fields of the struct {@code typeId} names (through typedefs and qualifiers); bitfields are refused. */
    List<BtfMember> structMembers(int typeId, String what) {
        int structId = libbpf.btf__resolve_type(btf, typeId);
        if (structId < 0 || kind(type(structId)) != BTF_KIND_STRUCT) {
            throw new IllegalArgumentException(what + " is not a struct, so it has no members");
        }
        boolean bitfieldEncoding = (type(structId).get(JAVA_INT, 4) >>> 31) == 1; // kind_flag
        MemorySegment members = entries(structId);
        List<BtfMember> fields = new ArrayList<>();
        for (long at = 0; at < members.byteSize(); at += ENTRY_BYTES) {
            String name = name(members.get(JAVA_INT, at));
            int memberType = members.get(JAVA_INT, at + 4);
            int offset = members.get(JAVA_INT, at + 8);
            long bitOffset = bitfieldEncoding ? offset & 0xFF_FFFF : unsigned(offset);
            if ((bitfieldEncoding && offset >>> 24 != 0) || bitOffset % Byte.SIZE != 0) {
                throw new IllegalArgumentException(what + " has bitfield " + name + "; only whole-byte fields can be read by name");
            }
            long size = libbpf.btf__resolve_size(btf, memberType);
            if (size < 0) {
                throw libbpf.failure("btf__resolve_size(" + what + "." + name + ")", (int) -size);
            }
            fields.add(new BtfMember(name, bitOffset / Byte.SIZE, size));
        }
        return List.copyOf(fields);
    }

    private MemorySegment type(int id) {
        return libbpf.btf__type_by_id(btf, id).reinterpret(BTF_TYPE_BYTES);
    }

    private static int kind(MemorySegment type) {
        return (type.get(JAVA_INT, 4) >>> 24) & 0x1f;
    }

    /** The entries that follow a STRUCT or DATASEC type; their count is the vlen in info bits 0-15. */
    private MemorySegment entries(int id) {
        int count = type(id).get(JAVA_INT, 4) & 0xffff;
        return libbpf.btf__type_by_id(btf, id).reinterpret(BTF_TYPE_BYTES + count * ENTRY_BYTES).asSlice(BTF_TYPE_BYTES);
    }

    private String name(int nameOffset) {
        return Libbpf.string(libbpf.btf__name_by_offset(btf, nameOffset));
    }

    private static long unsigned(int value) {
        return Integer.toUnsignedLong(value);
    }
}
