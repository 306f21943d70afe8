package io.gamerlab.bpf;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Reads the kernel's size facts and the fd of the loaded fixture program. */
class ProgramInfoTest {
    @BeforeEach
    void needsRoot() {
        Fixtures.assumeRoot();
    }

    @Test
    void reportsVerifiedAndTranslatedSizesOfEachLoadedProgram() throws IOException {
        try (BpfObject object = BpfObject.open(Fixtures.syscallCounter())) {
            object.load();
            List<ProgramInfo> infos = object.programInfo();
            assertEquals(1, infos.size(), infos.toString());
            ProgramInfo info = infos.getFirst();
            assertEquals("count_getpgid", info.name());
            assertTrue(info.verifiedInstructions() > 0, info.toString());
            assertTrue(info.translatedBytes() > 0 && info.translatedBytes() % 8 == 0, info.toString());
            assertEquals(info.translatedBytes() / 8, info.translatedInstructions());
            // With the JIT off the kernel reports no machine code, so only then is 0 allowed.
            if (jitEnabled()) {
                assertTrue(info.jitedBytes() > 0, info.toString());
            } else {
                assertTrue(info.jitedBytes() >= 0, info.toString());
            }
        }
    }

    @Test
    void programFdIsTheLoadedProgramsKernelFd() throws IOException {
        try (BpfObject object = BpfObject.open(Fixtures.syscallCounter())) {
            assertThrows(IllegalStateException.class, () -> object.programFd("count_getpgid"), "not loaded yet");
            object.load();
            int fd = object.programFd("count_getpgid");
            assertEquals("anon_inode:bpf-prog", Files.readSymbolicLink(Path.of("/proc/self/fd/" + fd)).toString());
            assertTrue(Files.readString(Path.of("/proc/self/fdinfo/" + fd)).contains("prog_id:"), "a BPF program's fdinfo");
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> object.programFd("no_such_program"));
            assertTrue(e.getMessage().contains("count_getpgid"), e.getMessage());
        }
    }

    @Test
    void needsALoadedObject() {
        try (BpfObject object = BpfObject.open(Fixtures.syscallCounter())) {
            assertThrows(IllegalStateException.class, object::programInfo);
        }
    }

    private static boolean jitEnabled() throws IOException {
        Path setting = Path.of("/proc/sys/net/core/bpf_jit_enable");
        return Files.isReadable(setting) && Files.readString(setting).strip().equals("1");
    }
}
