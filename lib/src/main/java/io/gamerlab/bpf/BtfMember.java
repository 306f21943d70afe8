package io.gamerlab.bpf;

/**
 * A named field at a byte offset, as BTF describes it: a member of a map's value struct, or a
 * global variable in a data section such as .rodata.
 */
public record BtfMember(String name, long offsetBytes, long sizeBytes) {
}
