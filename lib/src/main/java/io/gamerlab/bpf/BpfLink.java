package io.gamerlab.bpf;

import java.lang.foreign.MemorySegment;

/**
 * An attachment of a program (or a struct_ops scheduler) to its hook; closing it detaches.
 * A link outlives its {@link BpfObject}: close it separately. Closing is safe from any thread and
 * concurrently (a shutdown hook and the owner may race): libbpf's link is destroyed once, and
 * every {@link #close()} returns only once it is.
 */
public final class BpfLink implements AutoCloseable {
    private final Libbpf libbpf;
    private final MemorySegment link;
    private final String description;
    private volatile boolean closed;  // written under this object's lock

    BpfLink(Libbpf libbpf, MemorySegment link, String description) {
        this.libbpf = libbpf;
        this.link = link;
        this.description = description;
    }

    /** Detaches; does nothing if already closed (or closing on another thread, which it waits for). */
    @Override
    public synchronized void close() {
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
