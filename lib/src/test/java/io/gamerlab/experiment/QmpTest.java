package io.gamerlab.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

/** QMP messages built and replies read without QEMU: the shapes QEMU 7.2 prints, members in either order. */
class QmpTest {

    @Test
    void capabilitiesIsOneLineOfJson() {
        assertEquals("{\"execute\":\"qmp_capabilities\"}\n", Qmp.capabilities());
    }

    @Test
    void oneMotionEventPerCommandCarriesItsIdAndSign() {
        assertEquals("{\"execute\":\"input-send-event\",\"id\":7,\"arguments\":{\"events\":["
                + "{\"type\":\"rel\",\"data\":{\"axis\":\"x\",\"value\":1}}]}}\n", Qmp.relativeMotion(7, 1, true));
        assertTrue(Qmp.relativeMotion(8, 1, false).contains("\"value\":-1}"));
    }

    @Test
    void batchedEventsAlternateSoTheMotionNetsToZero() {
        String command = Qmp.relativeMotion(1, 4, true);
        assertEquals(2, count(command, "\"value\":1}"));
        assertEquals(2, count(command, "\"value\":-1}"));
        assertTrue(command.indexOf("\"value\":1}") < command.indexOf("\"value\":-1}"));
        assertTrue(command.endsWith("]}}\n") && command.indexOf('\n') == command.length() - 1, "one line");
        assertTrue(command.startsWith("{\"execute\":\"input-send-event\",\"id\":1,"), command);
    }

    @Test
    void aKeyPressIsADownAndAnUpOfOneKey() {
        String command = Qmp.keyPress(1L << 40 | 3);
        assertTrue(command.startsWith("{\"execute\":\"input-send-event\",\"id\":" + (1L << 40 | 3) + ","), command);
        assertTrue(!command.contains("\"device\""), "no display console named: " + command);
        assertTrue(command.indexOf("\"down\":true") < command.indexOf("\"down\":false"), "pressed, then released: " + command);
        assertEquals(2, count(command, "\"type\":\"qcode\",\"data\":\"a\""));
        assertTrue(command.endsWith("]}}\n") && command.indexOf('\n') == command.length() - 1, "one line");
    }

    /** The end marker: y motion of +1 or -1 by id, a press and release of B, the tablet at its corner; nothing the input sends otherwise. */
    @Test
    void anEndMarkerHasAnEventForEachDeviceThatNoInputSends() {
        String even = Qmp.endMarker(3L << 40);
        String odd = Qmp.endMarker((3L << 40) + 1);
        assertTrue(even.contains("{\"type\":\"rel\",\"data\":{\"axis\":\"y\",\"value\":1}}"), even);
        assertTrue(odd.contains("{\"type\":\"rel\",\"data\":{\"axis\":\"y\",\"value\":-1}}"), odd);
        assertEquals(0, count(even, "\"axis\":\"x\",\"value\":1}") + count(even, "\"axis\":\"x\",\"value\":-1}"), "no x motion");
        assertEquals(2, count(even, "\"type\":\"qcode\",\"data\":\"b\""));
        assertEquals(2, count(even, "\"value\":32767"), "the tablet's x and y at 0x7fff");
        assertTrue(even.indexOf('\n') == even.length() - 1, "one line");
    }

    @Test
    void aCommandWithoutEventsIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> Qmp.relativeMotion(1, 0, true));
    }

    @Test
    void theGreetingIsRecognised() {
        Qmp.Reply r = Qmp.parse("{\"QMP\": {\"version\": {\"qemu\": {\"micro\": 22, \"minor\": 2, \"major\": 7}, "
                + "\"package\": \"Debian 1:7.2+dfsg-7+deb12u18\"}, \"capabilities\": [\"oob\"]}}\r\n");
        assertEquals(Qmp.Kind.GREETING, r.kind());
        assertEquals(OptionalLong.empty(), r.id());
    }

    @Test
    void aReturnCarriesOurIdWhereverQemuPutsIt() {
        assertEquals(new Qmp.Reply(Qmp.Kind.RETURN, OptionalLong.of(42), null, "{\"return\": {}, \"id\": 42}"),
                Qmp.parse("{\"return\": {}, \"id\": 42}\r\n"));
        Qmp.Reply first = Qmp.parse("{\"id\": 43, \"return\": {}}");
        assertEquals(Qmp.Kind.RETURN, first.kind());
        assertEquals(OptionalLong.of(43), first.id());
        assertEquals(Qmp.Kind.RETURN, Qmp.parse("{\"return\": {}}").kind());
    }

    @Test
    void anErrorGivesItsDescriptionUnescaped() {
        Qmp.Reply r = Qmp.parse("{\"id\": 5, \"error\": {\"class\": \"GenericError\", "
                + "\"desc\": \"Invalid parameter \\\"axis\\\", see {docs}\"}}");
        assertEquals(Qmp.Kind.ERROR, r.kind());
        assertEquals(OptionalLong.of(5), r.id());
        assertEquals("Invalid parameter \"axis\", see {docs}", r.errorDescription());
    }

    @Test
    void anEventIsNotAReplyEvenWithAnIdInItsData() {
        Qmp.Reply r = Qmp.parse("{\"timestamp\": {\"seconds\": 1, \"microseconds\": 2}, \"event\": \"DEVICE_DELETED\", "
                + "\"data\": {\"id\": 9, \"return\": \"x\"}}");
        assertEquals(Qmp.Kind.EVENT, r.kind());
        assertEquals(OptionalLong.empty(), r.id());
    }

    @Test
    void somethingElseIsOther() {
        assertEquals(Qmp.Kind.OTHER, Qmp.parse("garbage").kind());
        assertEquals(Qmp.Kind.OTHER, Qmp.parse("{}").kind());
    }

    private static int count(String s, String part) {
        int n = 0;
        for (int at = s.indexOf(part); at >= 0; at = s.indexOf(part, at + 1)) n++;
        return n;
    }
}
