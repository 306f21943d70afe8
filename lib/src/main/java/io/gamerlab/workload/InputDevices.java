package io.gamerlab.workload;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Which evdev devices the workloads read: the game loop's one pointer, and the input workload's
 * every QEMU virtio device. A workload that reads input prints {@link #READING_INPUT} once its
 * devices are open and {@link #STOPPED_READING} when its window is over: the guest backend injects
 * input between the two lines.
 *
 * <p>The system property {@value #PROPERTY} decides when set: a path such as
 * {@code /dev/input/event3} (any device, a real mouse included), or {@code none}. Otherwise the
 * first device that is a QEMU virtio pointer with a relative x axis is chosen: the one gamerlab's
 * guest backend drives from the host. A real machine's own mouse is never picked implicitly: on an
 * idle desk it would starve the input thread, and host runs keep polling a timer as before.
 */
public final class InputDevices {

    public static final String PROPERTY = "gamerlab.input.device";
    /** What a workload prints, followed by the devices' paths, when it starts reading input. */
    public static final String READING_INPUT = "gamerlab: input-reader reading ";
    /** What it prints, followed by what it read, when its window is over. */
    public static final String STOPPED_READING = "gamerlab: input-reader stopped, ";
    /** QEMU's virtio input devices by their evdev names, and what the input workload calls them. */
    static final Map<String, String> VIRTIO = Map.of("QEMU Virtio Mouse", "mouse", "QEMU Virtio Keyboard", "keyboard",
            "QEMU Virtio Tablet", "tablet");
    private static final Path SYS_CLASS_INPUT = Path.of("/sys/class/input");
    /** REL_X, bit 0 of the relative-axes capability: a mouse has it; a tablet's wheel (REL_WHEEL) does not make one. */
    private static final long REL_X = 1;

    private InputDevices() { }

    public static Optional<Path> detect() {
        String configured = System.getProperty(PROPERTY);
        if (configured != null && !configured.isBlank())
            return configured.equals("none") ? Optional.empty() : Optional.of(Path.of(configured));
        return detect(SYS_CLASS_INPUT, Path.of("/dev/input"));
    }

    /** The first eventN under {@code sysClassInput} that is a virtio pointer with a relative x axis, as a path in {@code dev}. */
    static Optional<Path> detect(Path sysClassInput, Path dev) {
        for (Path event : events(sysClassInput)) {
            String name = read(event.resolve("device/name"));
            Path node = dev.resolve(event.getFileName().toString());
            if (name.startsWith("QEMU Virtio") && hasRelativeX(read(event.resolve("device/capabilities/rel"))) && Files.exists(node))
                return Optional.of(node);
        }
        return Optional.empty();
    }

    /** This machine's QEMU virtio input devices: mouse, keyboard and tablet, as far as present, by event number. */
    static Map<String, Path> virtio() {
        return virtio(SYS_CLASS_INPUT, Path.of("/dev/input"));
    }

    static Map<String, Path> virtio(Path sysClassInput, Path dev) {
        Map<String, Path> found = new LinkedHashMap<>();
        for (Path event : events(sysClassInput)) {
            String kind = VIRTIO.get(read(event.resolve("device/name")));
            Path node = dev.resolve(event.getFileName().toString());
            if (kind != null && !found.containsKey(kind) && Files.exists(node)) found.put(kind, node);
        }
        return found;
    }

    /** The eventN entries under {@code sysClassInput}, by N; none if it is missing. */
    private static List<Path> events(Path sysClassInput) {
        if (!Files.isDirectory(sysClassInput)) return List.of();
        try (Stream<Path> list = Files.list(sysClassInput)) {
            return list.filter(p -> p.getFileName().toString().matches("event\\d+"))
                    .sorted((a, b) -> Integer.compare(number(a), number(b))).toList();
        } catch (IOException e) {
            return List.of();
        }
    }

    /** The capability bitmap is hexadecimal words, most significant first: REL_X is bit 0 of the last. */
    static boolean hasRelativeX(String capability) {
        String[] words = capability.strip().split("\\s+");
        String last = words[words.length - 1];
        return last.matches("[0-9a-fA-F]{1,16}") && (Long.parseUnsignedLong(last, 16) & REL_X) != 0;
    }

    /** N of a path ending in eventN; -1 when it does not. */
    static int number(Path device) {
        String name = device.getFileName().toString();
        return name.matches("event\\d{1,9}") ? Integer.parseInt(name.substring("event".length())) : -1;
    }

    private static String read(Path file) {
        try {
            return Files.readString(file).strip();
        } catch (IOException e) {
            return "";
        }
    }
}
