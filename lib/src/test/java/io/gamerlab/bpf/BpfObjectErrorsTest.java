package io.gamerlab.bpf;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Misuse and failures give messages that say what was wrong and what to do. */
class BpfObjectErrorsTest {

    @Test
    void aMissingFileIsNamed(@TempDir Path directory) {
        Path missing = directory.resolve("absent.bpf.o");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> BpfObject.open(missing));
        assertTrue(e.getMessage().contains(missing.toString()), e.getMessage());
        assertTrue(e.getMessage().contains("make -C bpf"), e.getMessage());
    }

    @Test
    void aFileThatIsNotBpfFailsWithLibbpfsOwnExplanation(@TempDir Path directory) throws IOException {
        Path notElf = Files.writeString(directory.resolve("text.bpf.o"), "this is not an ELF object\n");
        BpfException e = assertThrows(BpfException.class, () -> BpfObject.open(notElf));
        assertTrue(e.operation().startsWith("bpf_object__open_file(" + notElf), e.operation());
        assertTrue(e.errno() > 0, "errno " + e.errno());
        // The log tail comes through the libbpf_set_print upcall, formatted with vsnprintf.
        assertTrue(e.getMessage().contains("libbpf log") && e.getMessage().contains(notElf.toString()), e.getMessage());
    }

    @Test
    void anUnknownMapListsTheMapsThereAre() {
        try (BpfObject object = BpfObject.open(Fixtures.syscallCounter())) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> object.map("nope"));
            assertTrue(e.getMessage().contains("'nope'") && e.getMessage().contains("calls"), e.getMessage());
            assertTrue(object.mapNames().contains("calls"), object.mapNames().toString());
        }
    }

    @Test
    void anUnknownOrMissizedReadOnlyVariableIsExplained() {
        try (BpfObject object = BpfObject.open(Fixtures.syscallCounter())) {
            IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class,
                    () -> object.setReadOnlyU32("nope", 1));
            assertTrue(unknown.getMessage().contains("[target_tgid]"), unknown.getMessage());
            IllegalArgumentException missized = assertThrows(IllegalArgumentException.class,
                    () -> object.setReadOnlyU64("target_tgid", 1));
            assertTrue(missized.getMessage().contains("4 bytes"), missized.getMessage());
            assertThrows(IllegalArgumentException.class, () -> object.setReadOnlyU32("target_tgid", -1));
        }
    }

    @Test
    void aValueThatIsNotAStructHasNoMembers() {
        try (BpfObject object = BpfObject.open(Fixtures.syscallCounter())) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> object.map("calls").valueMembers());
            assertTrue(e.getMessage().contains("map calls"), e.getMessage());
        }
    }

    @Test
    void structValueMembersComeFromBtf() {
        Path scheduler = Fixtures.buildDirectory().resolve("gamer.bpf.o");
        assumeTrue(Files.isRegularFile(scheduler), scheduler + " is not built (make -C bpf)");
        try (BpfObject object = BpfObject.open(scheduler)) {
            List<BtfMember> members = object.map("stats").valueMembers();
            assertFalse(members.isEmpty());
            assertEquals(0, members.getFirst().offsetBytes());
            for (int i = 0; i < members.size(); i++) {
                BtfMember member = members.get(i);
                assertAll(member.toString(),
                        () -> assertFalse(member.name().isEmpty()),
                        () -> assertEquals(8, member.sizeBytes()));
                if (i > 0) {
                    assertEquals(members.get(i - 1).offsetBytes() + 8, member.offsetBytes(), member.toString());
                }
            }
        }
    }

    @Test
    void aLoadTheKernelRefusesCarriesLibbpfsLog() {
        Fixtures.assumeRoot();
        Path scheduler = Fixtures.buildDirectory().resolve("gamer.bpf.o");
        assumeTrue(Files.isRegularFile(scheduler), scheduler + " is not built (make -C bpf)");
        assumeFalse(Files.isDirectory(Path.of("/sys/kernel/sched_ext")),
                "this kernel has sched_ext, so it would accept the scheduler; the test needs one that refuses it");
        try (BpfObject object = BpfObject.open(scheduler)) {
            BpfException e = assertThrows(BpfException.class, object::load);
            assertTrue(e.operation().startsWith("bpf_object__load("), e.operation());
            assertTrue(e.getMessage().contains("libbpf log") && e.getMessage().contains("sched_ext_ops"), e.getMessage());
        }
    }

    @Test
    void kernelOperationsBeforeLoadAreRefused() {
        try (BpfObject object = BpfObject.open(Fixtures.syscallCounter())) {
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> object.attachProgram("count_getpgid"));
            assertTrue(e.getMessage().contains("load() first"), e.getMessage());
            assertThrows(IllegalStateException.class, () -> object.map("calls").fd());
        }
    }

    @Test
    void misuseAfterLoadIsExplained() {
        Fixtures.assumeRoot();
        try (BpfObject object = BpfObject.open(Fixtures.syscallCounter()); Arena arena = Arena.ofConfined()) {
            object.load();
            IllegalStateException frozen = assertThrows(IllegalStateException.class,
                    () -> object.setReadOnlyU32("target_tgid", 1));
            assertTrue(frozen.getMessage().contains("between open() and load()"), frozen.getMessage());
            IllegalArgumentException noProgram = assertThrows(IllegalArgumentException.class, () -> object.attachProgram("nope"));
            assertTrue(noProgram.getMessage().contains("[count_getpgid]"), noProgram.getMessage());
            IllegalArgumentException notStructOps = assertThrows(IllegalArgumentException.class, () -> object.attachStructOps("calls"));
            assertTrue(notStructOps.getMessage().contains("not struct_ops"), notStructOps.getMessage());
            BpfException absentKey = assertThrows(BpfException.class, () -> object.map("calls").lookup(7, arena));
            assertEquals(2 /* ENOENT */, absentKey.errno(), absentKey.getMessage());
            assertTrue(absentKey.getMessage().contains("ENOENT"), absentKey.getMessage());
        }
    }

    @Test
    void aClosedObjectRefusesUseAndClosesOnce() {
        BpfObject object = BpfObject.open(Fixtures.syscallCounter());
        BpfMap calls = object.map("calls");
        object.close();
        object.close();
        IllegalStateException e = assertThrows(IllegalStateException.class, calls::valueSize);
        assertTrue(e.getMessage().contains("is closed"), e.getMessage());
        assertThrows(IllegalStateException.class, object::programNames);
    }
}
