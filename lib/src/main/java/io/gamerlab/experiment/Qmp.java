package io.gamerlab.experiment;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gamerlab.workload.InputEndMarker;
import java.util.OptionalLong;

/**
 * The little of QEMU's machine protocol (QMP) that {@link InputInjector} speaks: one JSON object
 * per line each way. Replies are classified by their top-level members ("QMP" greeting, "return",
 * "error", "event").
 */
final class Qmp {

    private static final ObjectMapper JSON = new ObjectMapper();

    private Qmp() { }

    enum Kind { GREETING, RETURN, ERROR, EVENT, OTHER }

    /** One line QEMU sent, classified. */
    record Reply(Kind kind, OptionalLong id, String errorDescription, String text) { }

    static String capabilities() {
        return line(JSON.createObjectNode().put("execute", "qmp_capabilities"));
    }

    /**
     * An input-send-event command with {@code count} relative motion events on the x axis whose
     * values alternate +1, -1, +1, ... starting at {@code first} (the motion nets to zero). QEMU
     * sends them to the guest as one report: the events, then a SYN_REPORT.
     */
    static String relativeMotion(long id, int count, boolean firstPositive) {
        if (count < 1) throw new IllegalArgumentException("a command carries at least one event, not " + count);
        ObjectNode command = inputSendEvent(id);
        ArrayNode events = (ArrayNode) command.get("arguments").get("events");
        boolean positive = firstPositive;
        for (int i = 0; i < count; i++) {
            ObjectNode event = events.addObject().put("type", "rel");
            event.putObject("data").put("axis", "x").put("value", positive ? 1 : -1);
            positive = !positive;
        }
        return line(command);
    }

    /**
     * An input-send-event command moving an absolute pointer (the virtio tablet) to one of two
     * corners of its range (0..0x7fff on each axis), by the parity of {@code id}: one report, an
     * ABS_X and an ABS_Y event in the guest (the input core drops an unchanged value, so the
     * position alternates).
     */
    static String absoluteMotion(long id) {
        int at = id % 2 == 0 ? 0x1000 : 0x6000;
        ObjectNode command = inputSendEvent(id);
        ArrayNode events = (ArrayNode) command.get("arguments").get("events");
        for (String axis : new String[] {"x", "y"})
            events.addObject().put("type", "abs").putObject("data").put("axis", axis).put("value", at);
        return line(command);
    }

    /**
     * One press and release of the A key: one report, two EV_KEY events in the guest. No device is
     * named: input-send-event's {@code device} is a display console, not an input device; QEMU
     * routes keys to the keyboard the guest activated last (the virtio keyboard, once its driver binds).
     */
    static String keyPress(long id) {
        ObjectNode command = inputSendEvent(id);
        ArrayNode events = (ArrayNode) command.get("arguments").get("events");
        for (boolean down : new boolean[] {true, false}) {
            ObjectNode data = events.addObject().put("type", "key").putObject("data").put("down", down);
            data.putObject("key").put("type", "qcode").put("data", "a");
        }
        return line(command);
    }

    /**
     * The host's end of injection ({@link InputEndMarker}), one command for the three virtio
     * devices: the mouse moves on y by +1 or -1 (by the parity of {@code id}: the input core drops
     * a zero move, and the marker must not shift the pointer), the keyboard's B is pressed and
     * released, the tablet moves to its far corner. Each device gets one report of its own.
     */
    static String endMarker(long id) {
        ObjectNode command = inputSendEvent(id);
        ArrayNode events = (ArrayNode) command.get("arguments").get("events");
        events.addObject().put("type", "rel").putObject("data").put("axis", InputEndMarker.MOUSE_AXIS).put("value", id % 2 == 0 ? 1 : -1);
        for (boolean down : new boolean[] {true, false}) {
            ObjectNode data = events.addObject().put("type", "key").putObject("data").put("down", down);
            data.putObject("key").put("type", "qcode").put("data", InputEndMarker.KEY);
        }
        for (String axis : new String[] {"x", "y"})
            events.addObject().put("type", "abs").putObject("data").put("axis", axis).put("value", InputEndMarker.TABLET_POSITION);
        return line(command);
    }

    private static ObjectNode inputSendEvent(long id) {
        ObjectNode command = JSON.createObjectNode().put("execute", "input-send-event").put("id", id);
        command.putObject("arguments").putArray("events");
        return command;
    }

    private static String line(ObjectNode message) {
        return message.toString() + "\n";
    }

    static Reply parse(String line) {
        JsonNode message;
        try {
            message = JSON.readTree(line);
        } catch (JsonProcessingException notJson) {
            return new Reply(Kind.OTHER, OptionalLong.empty(), null, line.strip());
        }
        if (message == null || !message.isObject()) return new Reply(Kind.OTHER, OptionalLong.empty(), null, line.strip());
        Kind kind = message.has("QMP") ? Kind.GREETING
                : message.has("error") ? Kind.ERROR
                : message.has("return") ? Kind.RETURN
                : message.has("event") ? Kind.EVENT
                : Kind.OTHER;
        JsonNode id = message.get("id");
        OptionalLong ours = id != null && id.canConvertToLong() && id.isIntegralNumber() ? OptionalLong.of(id.asLong()) : OptionalLong.empty();
        String desc = kind == Kind.ERROR ? message.get("error").path("desc").asText(message.get("error").toString()) : null;
        return new Reply(kind, ours, desc, line.strip());
    }
}
