package io.gamerlab.sched;

/**
 * Sees every input event an {@link InputEventStream} decodes, on its consumer thread, as
 * primitives (no object per event). Keep it short: the stream's lock is held during the call.
 */
@FunctionalInterface
public interface InputEventListener {
    /**
     * @param tsNs        bpf_ktime_get_ns() at the hook (CLOCK_MONOTONIC, as System.nanoTime())
     * @param seq         the event's number on its CPU, from 0 since the BPF object was loaded
     * @param receivedNs  System.nanoTime() when the record holding it reached Java
     */
    void onEvent(long tsNs, long seq, int cpu, int device, int type, int code, int value, long receivedNs);
}
