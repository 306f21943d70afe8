package io.gamerlab.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.gamerlab.sched.Tunables;
import io.gamerlab.util.InvalidInputException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ExperimentFileTest {

    static final String EXAMPLE = """
            # a comment
            description = "per-CPU rings against one shared ring"
            variants = ["ringbuf=shared", "ringbuf=percpu,batch=8", "kernel-default"]
            repetitions = 3
            warmup = "2s"
            duration = "1500ms"
            seed = 20261201
            backend = "guest"

            [tunables]
            slice_ns = 1000000
            avoid_smt = false

            [[workloads]]
            name = "gameloop"
            hogs = 2

            [[workloads]]
            name = "gameloop"
            hogs = 0
            fork_stress = true
            """;

    static Experiment parse(String text) {
        return ExperimentFile.parse("example", text.getBytes(StandardCharsets.UTF_8), "example.toml");
    }

    @Test
    void aFileGivesEveryField() {
        Experiment e = parse(EXAMPLE);
        assertEquals("example", e.name());
        assertEquals("per-CPU rings against one shared ring", e.description());
        assertEquals(3, e.variants().size());
        assertEquals("ringbuf=percpu,prefetch=off,batch=8,taskctx=packed,pipeline=off", e.variants().get(1).label());
        assertTrue(e.variants().get(2).isKernelDefault());
        assertEquals("gameloop(hogs=2)", e.workloads().get(0).label());
        assertEquals("gameloop(fork_stress=on,hogs=0)", e.workloads().get(1).label());
        assertEquals(Tunables.defaults().withSlice(Duration.ofMillis(1)).withAvoidSmt(false), e.tunables());
        assertEquals(3, e.repetitions());
        assertEquals(Duration.ofSeconds(2), e.warmup());
        assertEquals(Duration.ofMillis(1500), e.duration());
        assertEquals(20261201L, e.seed());
        assertEquals("guest", e.backend());
    }

    @Test
    void theJavaBuilderMakesTheSameExperiment() {
        Experiment built = Experiment.named("example").description("per-CPU rings against one shared ring")
                .variants("ringbuf=shared", "ringbuf=percpu,batch=8", "kernel-default")
                .workload("gameloop", Map.of("hogs", "2")).workload("gameloop", Map.of("hogs", "0", "fork_stress", "on"))
                .tunables(Tunables.defaults().withSlice(Duration.ofMillis(1)).withAvoidSmt(false))
                .repetitions(3).warmup(Duration.ofSeconds(2)).duration(Duration.ofMillis(1500)).seed(20261201).backend("guest").build();
        assertEquals(parse(EXAMPLE), built);
    }

    @Test
    void whatWriteWritesParsesBackEqual() {
        Experiment e = parse(EXAMPLE);
        assertEquals(e, parse(ExperimentFile.write(e)));
    }

    @Test
    void optionalKeysTakeTheirDefaults() {
        Experiment e = parse("""
                variants = ["baseline"]
                workloads = [{ name = "gameloop" }]
                repetitions = 1
                warmup = "0s"
                duration = "1s"
                seed = -5
                """);
        assertEquals("", e.description());
        assertEquals("auto", e.backend());
        assertEquals(Tunables.defaults(), e.tunables());
        assertEquals(Map.of(), e.workloads().getFirst().params());
    }

    private static InvalidInputException refused(String text) {
        return assertThrows(InvalidInputException.class, () -> parse(text));
    }

    @Test
    void anErrorNamesTheFileTheFieldTheValueAndWhatIsAllowed() {
        String m = refused(EXAMPLE.replace("repetitions = 3", "repetitions = \"three\"")).getMessage();
        assertTrue(m.startsWith("example.toml: repetitions = \"three\": is text"), m);
        assertTrue(m.contains("allowed: a whole number from 1 to 1000"), m);
        m = refused(EXAMPLE.replace("ringbuf=percpu,batch=8", "ringbuf=percpu,batch=7")).getMessage();
        assertTrue(m.contains("variants[1] = \"ringbuf=percpu,batch=7\""), m);
        assertTrue(m.contains("[1, 4, 8, 16]"), m);
        m = refused(EXAMPLE.replace("seed = 20261201", "seed = 20261201\ncolour = \"red\"")).getMessage();
        assertTrue(m.contains("colour") && m.contains("allowed: description, variants"), m);
        m = refused(EXAMPLE.replace("slice_ns = 1000000", "slice_ns = -3")).getMessage();
        assertTrue(m.contains("tunables.slice_ns = \"-3\"") && m.contains("a whole number >= 0"), m);
        m = refused(EXAMPLE.replace("avoid_smt = false", "avoid_smt = 1")).getMessage();
        assertTrue(m.contains("tunables.avoid_smt = \"1\"") && m.contains("true or false"), m);
        m = refused(EXAMPLE.replace("duration = \"1500ms\"", "duration = \"10 seconds\"")).getMessage();
        assertTrue(m.contains("duration = \"10 seconds\"") && m.contains("a whole number and a unit"), m);
        m = refused(EXAMPLE.replace("repetitions = 3\n", "")).getMessage();
        assertTrue(m.contains("repetitions = (nothing): is missing"), m);
        m = refused("variants = [\"baseline\"\nrepetitions = 2").getMessage();
        assertTrue(m.contains("is not valid TOML") && m.contains("line 2"), m);
        m = refused(EXAMPLE.replace("\"kernel-default\"]", "\"ringbuf=shared\"]")).getMessage();
        assertTrue(m.contains("is listed twice"), m);
    }

    @Test
    void bytesThatAreNotUtf8AreRefusedAsSuch() {
        byte[] junk = {'s', 'e', 'e', 'd', ' ', '=', ' ', (byte) 0xff, (byte) 0xfe};
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> ExperimentFile.parse("x", junk, "x.toml"));
        assertTrue(e.getMessage().contains("not UTF-8"), e.getMessage());
    }

    /** The examples under experiments/: each reads, every cell of its plan has a runnable spec, and the README lists it. */
    @Test
    void everyExampleExperimentReadsAndIsListedInTheReadme() throws java.io.IOException {
        java.nio.file.Path root = io.gamerlab.sched.SchedulerBuild.ofCheckout().root();
        String readme = java.nio.file.Files.readString(root.resolve("README.md"));
        java.util.List<java.nio.file.Path> files;
        try (var list = java.nio.file.Files.list(root.resolve("experiments"))) {
            files = list.filter(p -> p.toString().endsWith(".toml")).sorted().toList();
        }
        assertTrue(files.size() >= 7, "one example per hypothesis of the seed, and one against kernel-default: " + files);
        for (java.nio.file.Path f : files) {
            Experiment e = ExperimentFile.read(f);
            CellSpecs.check(e);
            for (Cell c : Plan.of(e)) CellSpecs.spec(e, c, "test");
            assertTrue(readme.contains("`experiments/" + f.getFileName() + "`"), f.getFileName() + " is not listed in README.md");
        }
    }
}
