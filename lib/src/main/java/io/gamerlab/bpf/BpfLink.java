package io.gamerlab.bpf;

import java.lang.foreign.MemorySegment;

/**
 * An attachment of a program (or a struct_ops scheduler) to its hook; closing it detaches.
 * A link outlives its {@link BpfObject}: close it separately.
 */
public final class BpfLink implements AutoCloseable {
    private final Libbpf libbpf;
    private final MemorySegment link;
    private final String description;
    private boolean closed;

    BpfLink(Libbpf libbpf, MemorySegment link, String description) {
        this.libbpf = libbpf;
        this.link = link;
        this.description = description;
    }

    /** Detaches; does nothing if already closed. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        int result = libbpf.bpf_link__destroy(link);
        if (result < 0) {
            throw libbpf.failure("bpf_link__destroy(" + description + ")", -result);
        }
    }

    @Override
    public String toString() {
        return "BpfLink[" + description + (closed ? ", closed" : "") + "]";
    }
}
