package io.gamerlab.workload;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Device choice on stand-in sysfs trees: the virtio mouse is found, a keyboard or a real mouse is not. */
class InputDevicesTest {

    @TempDir
    Path dir;

    private void device(String event, String name, String rel) throws IOException {
        Path d = Files.createDirectories(dir.resolve("sys").resolve(event).resolve("device/capabilities"));
        Files.writeString(d.getParent().resolve("name"), name + "\n");
        Files.writeString(d.resolve("rel"), rel + "\n");
        Files.createDirectories(dir.resolve("dev"));
        Files.writeString(dir.resolve("dev").resolve(event), "");
    }

    @AfterEach
    void clearProperty() {
        System.clearProperty(InputDevices.PROPERTY);
    }

    @Test
    void theGuestsVirtioMouseIsChosenAndTheKeyboardIsNot() throws IOException {
        device("event0", "AT Translated Set 2 keyboard", "0");
        device("event1", "QEMU Virtio Mouse", "103");
        assertEquals(Optional.of(dir.resolve("dev/event1")), InputDevices.detect(dir.resolve("sys"), dir.resolve("dev")));
    }

    @Test
    void aRealMouseIsNotChosenImplicitly() throws IOException {
        device("event3", "Logitech G502", "1c3");
        assertEquals(Optional.empty(), InputDevices.detect(dir.resolve("sys"), dir.resolve("dev")));
    }

    @Test
    void noInputClassMeansNoDevice() {
        assertEquals(Optional.empty(), InputDevices.detect(dir.resolve("absent"), dir.resolve("dev")));
    }

    @Test
    void devicesAreOrderedByNumberNotByText() throws IOException {
        device("event10", "QEMU Virtio Mouse", "3");
        device("event2", "QEMU Virtio Tablet", "3");
        assertEquals(Optional.of(dir.resolve("dev/event2")), InputDevices.detect(dir.resolve("sys"), dir.resolve("dev")));
    }

    @Test
    void thePropertyDecides() {
        System.setProperty(InputDevices.PROPERTY, "/dev/input/event5");
        assertEquals(Optional.of(Path.of("/dev/input/event5")), InputDevices.detect());
        System.setProperty(InputDevices.PROPERTY, "none");
        assertEquals(Optional.empty(), InputDevices.detect());
    }

    @Test
    void theEventNumberIsReadFromThePath() {
        assertEquals(12, InputDevices.number(Path.of("/dev/input/event12")));
        assertEquals(-1, InputDevices.number(Path.of("/dev/input/mouse0")));
    }

    @Test
    void aTabletWhoseOnlyRelativeAxisIsItsWheelIsNoMouse() throws IOException {
        device("event1", "QEMU Virtio Tablet", "100");
        device("event2", "QEMU Virtio Mouse", "143");
        assertEquals(Optional.of(dir.resolve("dev/event2")), InputDevices.detect(dir.resolve("sys"), dir.resolve("dev")));
        assertEquals(false, InputDevices.hasRelativeX("0"));
        assertEquals(true, InputDevices.hasRelativeX("1 0 3"));
        assertEquals(false, InputDevices.hasRelativeX(""));
    }

    @Test
    void theVirtioDevicesAreNamedByKindInEventOrder() throws IOException {
        device("event0", "AT Translated Set 2 keyboard", "0");
        device("event3", "QEMU Virtio Tablet", "100");
        device("event1", "QEMU Virtio Mouse", "143");
        device("event2", "QEMU Virtio Keyboard", "0");
        assertEquals(java.util.List.of(java.util.Map.entry("mouse", dir.resolve("dev/event1")), java.util.Map.entry("keyboard", dir.resolve("dev/event2")),
                java.util.Map.entry("tablet", dir.resolve("dev/event3"))), java.util.List.copyOf(InputDevices.virtio(dir.resolve("sys"), dir.resolve("dev")).entrySet()));
    }
}
