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

    /**
     * prefetch=on may add prefetches and nothing else: every program of both builds makes the same
     * calls (helpers, kfuncs), so the axis never measures an extra lookup. (The instructions
     * around them may differ: the intrinsic, which emits nothing in BPF, still changes clang's
     * register allocation and layout.)
     */
    @Test
    void thePrefetchBuildsMakeTheSameCallsInEveryProgram() {
        SchedulerBuild build = SchedulerBuild.ofCheckout();
        for (Variant off : List.of(Variant.BASELINE, Variant.parse("ringbuf=sharded,batch=16,taskctx=split,pipeline=on"))) {
            Variant on = off.with(Axis.PREFETCH, "on");
            assertEquals(callsByProgram(build.object(off)), callsByProgram(build.object(on)), off + " vs " + on);
        }
    }

    private static final Pattern FUNCTION = Pattern.compile("^[0-9a-f]+ <(\\w+)>:");
    private static final Pattern CALL = Pattern.compile("\\scall (\\S+)");
    private static final Pattern RELOCATION = Pattern.compile("R_BPF_64_32\\s+(\\S+)");

    /** Per function of the object, its calls as llvm-objdump shows them (a helper's number, or a kfunc's relocation), sorted. */
    private static java.util.Map<String, List<String>> callsByProgram(Path object) {
        String listing = io.gamerlab.util.Command.run("disassembling " + object,
                List.of("llvm-objdump-19", "-dr", "--no-show-raw-insn", object.toString()));
        java.util.Map<String, List<String>> calls = new java.util.TreeMap<>();
        List<String> current = null;
        boolean afterCall = false;
        for (String line : listing.split("\n")) {
            var start = FUNCTION.matcher(line);
            var call = CALL.matcher(line);
            var relocation = RELOCATION.matcher(line);
            if (start.find()) {
                current = new java.util.ArrayList<>();
                calls.put(start.group(1), current);
                afterCall = false;
            } else if (call.find() && current != null) {
                current.add(call.group(1));
                afterCall = true;
            } else {
                // a kfunc or subprogram call carries a relocation naming it: the name, not the placeholder
                if (afterCall && relocation.find()) current.set(current.size() - 1, relocation.group(1));
                afterCall = false;
            }
        }
        calls.values().forEach(java.util.Collections::sort);
        return calls;
    }

    @Test
    void everyFaultBuildsApartFromTheVariantsAndItsMacroIsTestedByTheSource() throws IOException {
        SchedulerBuild build = SchedulerBuild.ofCheckout();
        String source = Files.readString(build.root().resolve("bpf/gamer.bpf.c"));
        for (Fault fault : Fault.values()) {
            Path object = build.object(Variant.BASELINE, fault);
            assertTrue(object.startsWith(build.root().resolve("build/bpf/faults")), object.toString());
            assertNotEquals(build.object(Variant.BASELINE), object);
            assertTrue(Pattern.compile("(?m)^#\\s*ifdef\\s+" + fault.macro() + "\\b").matcher(source).find(), fault.macro());
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
