package io.gamerlab.sched;

/**
 * A thread's part in a game's pipeline; the numbers are {@code enum gamer_role} in bpf/gamer.h.
 * A declared role is final: declaring {@link #NONE} keeps a thread unboosted even inside the
 * detected foreground game's process, where undeclared threads get {@link #GAME}.
 */
public enum Role {
    NONE(0), INPUT(1), GPU(2), COMPOSITOR(3), AUDIO(4), GAME(5);

    private final int id;

    Role(int id) {
        this.id = id;
    }

    public int id() {
        return id;
    }
}
