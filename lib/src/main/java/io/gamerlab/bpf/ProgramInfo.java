package io.gamerlab.bpf;

import static java.lang.foreign.MemoryLayout.PathElement.groupElement;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;

/**
 * What the kernel made of one loaded BPF program, so experiments can record how big each variant's
 * programs are after verification and translation.
 *
 * @param name the program's name in the object file (its C function name)
 * @param verifiedInstructions instructions the verifier processed (walked over all paths, so it can
 *     exceed the program's length); 0 on kernels before 5.16, which do not report it
 * @param translatedBytes size of the program as the kernel rewrote it after verification (xlated)
 * @param jitedBytes size of the JIT-compiled machine code; 0 if the JIT is off
 */
public record ProgramInfo(String name, long verifiedInstructions, long translatedBytes, long jitedBytes) {
    /** A BPF instruction is 8 bytes (struct bpf_insn). */
    private static final int INSTRUCTION_BYTES = 8;

    /**
     * struct bpf_prog_info from linux/bpf.h (uapi), every field up to verified_insns plus the
     * three u32 after it, so the size is the header's sizeof (232). Laid out field by field, not
     * with hard-coded offsets, so it can be read against the header; gcc's offsetof agrees:
     * jited_prog_len 16, xlated_prog_len 20, verified_insns 216. The kernel copies only the prefix
     * both sides know, so newer kernels with more fields still fill these.
     */
    static final StructLayout LAYOUT = MemoryLayout.structLayout(
            JAVA_INT.withName("type"),
            JAVA_INT.withName("id"),
            MemoryLayout.sequenceLayout(8, JAVA_BYTE).withName("tag"), // BPF_TAG_SIZE
            JAVA_INT.withName("jited_prog_len"),
            JAVA_INT.withName("xlated_prog_len"),
            JAVA_LONG.withName("jited_prog_insns"),
            JAVA_LONG.withName("xlated_prog_insns"),
            JAVA_LONG.withName("load_time"),
            JAVA_INT.withName("created_by_uid"),
            JAVA_INT.withName("nr_map_ids"),
            JAVA_LONG.withName("map_ids"),
            MemoryLayout.sequenceLayout(16, JAVA_BYTE).withName("name"), // BPF_OBJ_NAME_LEN
            JAVA_INT.withName("ifindex"),
            JAVA_INT.withName("gpl_compatible"), // gpl_compatible:1 and 31 bits of padding
            JAVA_LONG.withName("netns_dev"),
            JAVA_LONG.withName("netns_ino"),
            JAVA_INT.withName("nr_jited_ksyms"),
            JAVA_INT.withName("nr_jited_func_lens"),
            JAVA_LONG.withName("jited_ksyms"),
            JAVA_LONG.withName("jited_func_lens"),
            JAVA_INT.withName("btf_id"),
            JAVA_INT.withName("func_info_rec_size"),
            JAVA_LONG.withName("func_info"),
            JAVA_INT.withName("nr_func_info"),
            JAVA_INT.withName("nr_line_info"),
            JAVA_LONG.withName("line_info"),
            JAVA_LONG.withName("jited_line_info"),
            JAVA_INT.withName("nr_jited_line_info"),
            JAVA_INT.withName("line_info_rec_size"),
            JAVA_INT.withName("jited_line_info_rec_size"),
            JAVA_INT.withName("nr_prog_tags"),
            JAVA_LONG.withName("prog_tags"),
            JAVA_LONG.withName("run_time_ns"),
            JAVA_LONG.withName("run_cnt"),
            JAVA_LONG.withName("recursion_misses"),
            JAVA_INT.withName("verified_insns"),
            JAVA_INT.withName("attach_btf_obj_id"),
            JAVA_INT.withName("attach_btf_id"),
            MemoryLayout.paddingLayout(4)); // __u32 :32, then the struct is 8-aligned
    static final long JITED_PROG_LEN = LAYOUT.byteOffset(groupElement("jited_prog_len"));
    static final long XLATED_PROG_LEN = LAYOUT.byteOffset(groupElement("xlated_prog_len"));
    static final long VERIFIED_INSNS = LAYOUT.byteOffset(groupElement("verified_insns"));

    /** Reads a struct bpf_prog_info the kernel filled; the u32 lengths are widened unsigned. */
    static ProgramInfo read(String name, MemorySegment info) {
        return new ProgramInfo(name,
                Integer.toUnsignedLong(info.get(JAVA_INT, VERIFIED_INSNS)),
                Integer.toUnsignedLong(info.get(JAVA_INT, XLATED_PROG_LEN)),
                Integer.toUnsignedLong(info.get(JAVA_INT, JITED_PROG_LEN)));
    }

    /** The translated program's length in BPF instructions. */
    public long translatedInstructions() {
        return translatedBytes / INSTRUCTION_BYTES;
    }
}
