package io.gamerlab.measure;

import java.time.Instant;
import java.util.OptionalInt;
import java.util.OptionalLong;

/** Fixed provenance for tests that build tables in the real schema. */
public final class SampleProvenance {

    private SampleProvenance() { }

    /** Cell {@code cellId} of experiment "sample", run on {@code backend} (its clock follows), at a fixed time. */
    public static Provenance of(String cellId, String variant, String backend) {
        return of(cellId, variant, backend, "gameloop-h2", "hogs=2");
    }

    /** The same with a workload of one's own. */
    public static Provenance of(String cellId, String variant, String backend, String workload) {
        return of(cellId, variant, backend, workload, "");
    }

    private static Provenance of(String cellId, String variant, String backend, String workload, String params) {
        return new Provenance(new Provenance.Cell("sample", cellId, 1, OptionalLong.of(7), true, variant, "ab12", workload,
                params, "slice_ns=2000000"),
                new Provenance.Machine(backend, backend.equals("host") ? "host" : "tcg-emulated", "6.12.0-test", "Test CPU, 2 cores", 2,
                        "Test JDK 25", "1.4 (test)"),
                new Provenance.Node("node-1", OptionalLong.of(12), OptionalInt.of(0)), "0123456789ab", Instant.parse("2025-01-02T03:04:05Z"));
    }
}
