package io.gamerlab.bpf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** A program the verifier rejects (bpf/fixtures/verifier_reject.bpf.c) is named, with the verifier's reason. */
class VerifierRefusalTest {

    @Test
    void theRefusedProgramIsNamedAndTheVerifiersReasonQuoted() {
        Fixtures.assumeRoot();
        try (BpfObject object = BpfObject.open(Fixtures.fixture("verifier_reject"))) {
            BpfException e = assertThrows(BpfException.class, object::load);
            assertEquals("unchecked_lookup", e.program(), e.getMessage());
            assertTrue(e.getMessage().contains("the kernel refused program 'unchecked_lookup'"), e.getMessage());
            assertTrue(e.getMessage().contains("EACCES"), "the verifier's errno, named: " + e.getMessage());
            assertTrue(e.getMessage().contains("the verifier says \"R0 invalid mem access 'map_value_or_null'\""), "the verifier's own reason: " + e.getMessage());
            assertFalse(e.getMessage().contains("needs root"), "root, and refused for what the program does: " + e.getMessage());
            assertFalse(object.isLoaded());
        }
    }

    @Test
    void aFailureThatIsNoProgramsNamesNone() {
        Fixtures.assumeRoot();
        try (BpfObject object = BpfObject.open(Fixtures.syscallCounter())) {
            object.load();
            BpfException e = assertThrows(BpfException.class, () -> object.map("calls").lookup(7, java.lang.foreign.Arena.global()));
            assertEquals(null, e.program(), e.getMessage());
        }
    }
}
