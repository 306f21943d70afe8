package io.gamerlab.workload;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Which evdev device, if any, the game loop's input thread reads.
 *
 * <p>The system property {@value #PROPERTY} decides when set: a path such as
 * {@code /dev/input/event3} (any device, a real mouse included), or {@code none}. Otherwise the
 * first device that is a QEMU virtio pointer with relative axes is chosen: the one gamerlab's
 * guest backend drives from the host. A real machine's own mouse is never picked implicitly: on an
 * idle desk it would starve the input thread, and host runs keep polling a timer as before.
 */
public final class InputDevices {

    public static final String PROPERTY = "gamerlab.input.device";
    private static final Path SYS_CLASS_INPUT = Path.of("/sys/class/input");

    private InputDevices() { }

    public static Optional<Path> detect() {
        String configured = System.getProperty(PROPERTY);
        if (configured != null && !configured.isBlank())
            return configured.equals("none") ? Optional.empty() : Optional.of(Path.of(configured));
        return detect(SYS_CLASS_INPUT, Path.of("/dev/input"));
    }

    /** The first eventN under {@code sysClassInput} that is a virtio pointer with relative axes, as a path in {@code dev}. */
    static Optional<Path> detect(Path sysClassInput, Path dev) {
        if (!Files.isDirectory(sysClassInput)) return Optional.empty();
        List<Path> events;
        try (Stream<Path> list = Files.list(sysClassInput)) {
            events = list.filter(p -> p.getFileName().toString().matches("event\\d+"))
                    .sorted((a, b) -> Integer.compare(number(a), number(b))).toList();
        } catch (IOException e) {
            return Optional.empty();
        }
        for (Path event : events) {
            String name = read(event.resolve("device/name"));
            String rel = read(event.resolve("device/capabilities/rel"));
            Path node = dev.resolve(event.getFileName().toString());
            if (name.startsWith("QEMU Virtio") && !rel.isEmpty() && !rel.equals("0") && Files.exists(node))
                return Optional.of(node);
        }
        return Optional.empty();
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
