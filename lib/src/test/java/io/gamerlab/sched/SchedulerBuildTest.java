package io.gamerlab.sched;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SchedulerBuildTest {

    @Test
    void theCheckoutIsFoundFromTheGamerlabRootProperty() {
        SchedulerBuild build = SchedulerBuild.ofCheckout();
        assertEquals(Path.of(System.getProperty("gamerlab.root")).toAbsolutePath(), build.root());
        assertTrue(Files.isRegularFile(build.root().resolve("bpf/gamer.bpf.c")));
    }

    @Test
    void theBaselineObjectIsAnElfFileInTheBuildDirectory() throws IOException {
        SchedulerBuild build = SchedulerBuild.ofCheckout();
        Path object = build.object(Variant.BASELINE);
        assertEquals(build.root().resolve("build/bpf/gamer.bpf.o"), object);
        assertTrue(Files.isRegularFile(object), object + " was not built");
        try (InputStream in = Files.newInputStream(object)) {
            assertArrayEquals(new byte[] {0x7f, 'E', 'L', 'F'}, in.readNBytes(4));
        }
    }

    @Test
    void theGitCommitIsAnAbbreviatedHashPossiblyMarkedDirty() {
        String commit = SchedulerBuild.ofCheckout().gitCommit();
        assertTrue(commit.matches("[0-9a-f]{12}(-dirty)?"), commit);
    }

    @Test
    void aDirectoryWithoutTheSchedulerSourceIsRejectedSayingWhy(@TempDir Path dir) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new SchedulerBuild(dir));
        assertTrue(e.getMessage().contains(dir.toString()), e.getMessage());
        assertTrue(e.getMessage().contains("not a gamerlab checkout"), e.getMessage());
        assertTrue(e.getMessage().contains("bpf/gamer.bpf.c"), e.getMessage());
    }

    @Test
    void aCheckoutOutsideGitHasAnUnknownCommit(@TempDir Path dir) throws IOException {
        Files.createDirectories(dir.resolve("bpf"));
        Files.writeString(dir.resolve("bpf/gamer.bpf.c"), "");
        assertEquals("unknown", new SchedulerBuild(dir).gitCommit());
    }

    @Test
    void aFailedBuildSaysWhatItWasDoing(@TempDir Path dir) throws IOException {
        Files.createDirectories(dir.resolve("bpf"));
        Files.writeString(dir.resolve("bpf/gamer.bpf.c"), "");  // no Makefile next to it
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> new SchedulerBuild(dir).object(Variant.BASELINE));
        assertTrue(e.getMessage().contains("building the BPF scheduler"), e.getMessage());
    }
}
