package io.gamerlab.sched;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;
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
    void everyVariantOfTheMatrixBuildsToItsOwnCachedElfObject() throws IOException {
        SchedulerBuild build = SchedulerBuild.ofCheckout();
        Set<Path> objects = new HashSet<>();
        for (Variant v : Variant.matrix()) {
            Path object = build.object(v);
            assertTrue(object.startsWith(build.root().resolve("build/bpf/variants")), object.toString());
            try (InputStream in = Files.newInputStream(object)) {
                assertArrayEquals(new byte[] {0x7f, 'E', 'L', 'F'}, in.readNBytes(4));
            }
            assertEquals(object, build.object(v), "a second request must reuse the cached object");
            objects.add(object);
        }
        assertEquals(Variant.matrix().size(), objects.size());
    }

    @Test
    void aBenchProgramBuildsPerFlagsToItsOwnCachedElfObject() throws IOException {
        SchedulerBuild build = SchedulerBuild.ofCheckout();
        Path shared = build.benchObject("ringbuf_trigger", List.of());
        Path percpu = build.benchObject("ringbuf_trigger", List.of("-DGAMER_RINGBUF_PERCPU"));
        for (Path object : List.of(shared, percpu)) {
            assertTrue(object.startsWith(build.root().resolve("build/bpf/bench")), object.toString());
            assertTrue(object.getFileName().toString().startsWith("ringbuf_trigger-"), object.toString());
            try (InputStream in = Files.newInputStream(object)) {
                assertArrayEquals(new byte[] {0x7f, 'E', 'L', 'F'}, in.readNBytes(4));
            }
        }
        assertNotEquals(shared, percpu, "other flags, another object");
        assertEquals(percpu, build.benchObject("ringbuf_trigger", List.of("-DGAMER_RINGBUF_PERCPU")), "a second request must reuse the cached object");
    }

    @Test
    void anUnknownBenchProgramIsRefusedNamingTheOnesThereAre() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> SchedulerBuild.ofCheckout().benchObject("no_such_bench", List.of()));
        assertTrue(e.getMessage().contains("no_such_bench.bpf.c"), e.getMessage());
        assertTrue(e.getMessage().contains("bpf/bench/*.bpf.c"), e.getMessage());
        assertTrue(e.getMessage().contains("ringbuf_trigger"), e.getMessage());
    }

    @Test
    void everyNonDefaultAxisValueIsTestedByTheSchedulerSource() throws IOException {
        // A value whose macro the C source never tests would build the same object under two names.
        Path bpf = SchedulerBuild.ofCheckout().root().resolve("bpf");
        StringBuilder source = new StringBuilder(Files.readString(bpf.resolve("gamer.bpf.c")));
        try (Stream<Path> headers = Files.list(bpf)) {  // input_events.bpf.h, task_ctx.h, ...
            for (Path h : headers.filter(p -> p.getFileName().toString().endsWith(".h")).sorted().toList()) source.append(Files.readString(h));
        }
        for (Axis axis : Axis.values())
            for (String value : axis.choices().subList(1, axis.choices().size()))
                assertTrue(Pattern.compile("(?m)^#\\s*(ifdef|if|elif)\\b.*\\b" + axis.macro(value) + "\\b").matcher(source).find(),
                        axis.macro(value) + " is not tested by any #if in the scheduler sources");
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
