package io.gamerlab.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The local cluster runs a real job array: every task runs once, on the node, with its own index. */
class LocalClusterTest {

    @Test
    void aJobArrayRunsEveryTaskAndTheClusterGoesAway(@TempDir Path dir) throws Exception {
        int tasks = 4;
        Path script = dir.resolve("job.sh");
        Files.writeString(script, """
                #!/bin/bash
                echo "task=$SLURM_ARRAY_TASK_ID job=$SLURM_ARRAY_JOB_ID node=$SLURMD_NODENAME count=$SLURM_ARRAY_TASK_COUNT"
                """);
        LocalCluster cluster = LocalCluster.start();
        try (cluster) {
            Slurm slurm = cluster.slurm();
            long job = slurm.submitArray(script, tasks, "gamerlab-test", dir + "/%A_%a.out", SlurmOptions.NONE);
            List<Slurm.Task> done = slurm.awaitFinished(job, Duration.ofMillis(500), Duration.ofMinutes(5));
            assertEquals(IntStream.range(0, tasks).boxed().toList(), done.stream().map(Slurm.Task::index).toList());
            for (Slurm.Task t : done) {
                assertTrue(t.completed(), "task " + t);
                Path out = dir.resolve(job + "_" + t.index() + ".out");
                assertEquals("task=" + t.index() + " job=" + job + " node=" + t.node() + " count=" + tasks,
                        Files.readString(out).strip(), "output of task " + t.index());
            }
            assertFalse(done.getFirst().node().isEmpty(), "Slurm names the node that ran it");
        }
        if (cluster.startedHere()) assertFalse(cluster.running(), "no daemon is left after scripts/slurm-local.sh down");
    }
}
