/**
 * Loads BPF objects (sched_ext schedulers, test fixtures) through libbpf, called with the
 * Foreign Function and Memory API: no JNI, no native code of our own.
 *
 * <p>The downcalls are written by hand in {@code Libbpf} rather than generated
 * by jextract (the {@code rawbpf} artifact): gamerlab needs about twenty libbpf functions, and a
 * hand-written list keeps the dependency surface small and the set of native symbols we call
 * auditable in one file.
 *
 * <p>Entry point: {@link io.gamerlab.bpf.BpfObject#open(java.nio.file.Path)}. libbpf &ge; 1.4 is
 * required (for {@code SEC(".struct_ops.link")}); {@code scripts/setup.sh} provides it.
 */
package io.gamerlab.bpf;
