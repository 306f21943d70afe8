package io.gamerlab.bpf;

/** A libbpf or kernel call failed; carries the operation and the errno it failed with. */
public final class BpfException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final String operation;
    private final int errno;
    private final String program;

    BpfException(String operation, int errno, String message, String program) {
        super(message);
        this.operation = operation;
        this.errno = errno;
        this.program = program;
    }

    /** The program the kernel refused to load (its verifier rejected it, say), or null when no program was named. */
    public String program() {
        return program;
    }

    /** The call that failed, with its arguments, e.g. {@code bpf_object__load(/path/x.bpf.o)}. */
    public String operation() {
        return operation;
    }

    /** The positive errno (or libbpf's own code, 4000 and up) the call failed with. */
    public int errno() {
        return errno;
    }
}
