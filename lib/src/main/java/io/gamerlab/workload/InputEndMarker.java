package io.gamerlab.workload;

import java.time.Duration;

/**
 * The end-of-injection handshake between a host that injects input and a guest workload that reads
 * it. The guest's console reaches the host late, so the host cannot know when the guest's window
 * ends; instead, once its injection window is over, the host sends this marker, repeatedly, until
 * the guest says it stopped reading. The marker travels behind every event the host sent before it,
 * on the same device, through the same queues (QEMU's handler, the virtqueue, the input core,
 * evdev), so a reader that has read it has read everything injected before, whatever the guest's
 * speed or the console's lag. A reader that expects it ({@link #expected()}) keeps reading past
 * its window until it has read the marker on its device, for at most {@link #wait(Duration)}.
 *
 * <p>One marker is one QMP command with an event for each of the three virtio devices, none of
 * which the host's input otherwise sends: the mouse moves on the y axis ({@code REL_Y}; motion is
 * on x only, and a button would go to whichever of mouse and tablet the guest activated last, not
 * necessarily the mouse), the keyboard presses and releases B ({@code KEY_B}; presses are of A), and
 * the tablet moves to its far corner (0x7fff; moves alternate between 0x1000 and 0x6000). Markers
 * are counted apart from what the readers count as read.
 */
public final class InputEndMarker {

    /** The system property the host sets (to {@code true}) in a guest whose input it injects. */
    public static final String PROPERTY = "gamerlab.input.end-marker";
    /** The mouse's marker: this relative axis, in QMP's words, moved by +1 or -1 ... */
    public static final String MOUSE_AXIS = "y";
    /** ... which evdev reports as EV_REL of this code (REL_Y). */
    static final int REL_Y = 1;
    /** The keyboard's marker: this key (a QMP qcode), pressed and released ... */
    public static final String KEY = "b";
    /** ... which evdev reports as EV_KEY of this code (KEY_B). */
    static final int KEY_B = 48;
    /** The tablet's marker: both absolute axes at this value, the end of QEMU's range. */
    public static final int TABLET_POSITION = 0x7fff;
    /** The least a reader waits past its window for the marker: covers the host's poll and QEMU's queue on a busy host. */
    static final Duration LEAST_WAIT = Duration.ofSeconds(2);

    private static final int EV_KEY = 1;
    private static final int EV_REL = 2;
    private static final int EV_ABS = 3;

    private InputEndMarker() { }

    /** Whether this process's host sends end markers: then the input readers wait for them. */
    static boolean expected() {
        return Boolean.getBoolean(PROPERTY);
    }

    /** How long past a window of {@code window} a reader waits for its marker at most: the larger of the window and 2 s. */
    public static Duration wait(Duration window) {
        return window.compareTo(LEAST_WAIT) > 0 ? window : LEAST_WAIT;
    }

    /** Whether an evdev event is part of a marker. */
    static boolean isMarker(int type, int code, int value) {
        return (type == EV_REL && code == REL_Y) || (type == EV_KEY && code == KEY_B) || (type == EV_ABS && value == TABLET_POSITION);
    }
}
