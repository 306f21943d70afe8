package io.gamerlab.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Reading what Slurm's commands print (lines as Slurm 22.05 prints them), and checking options before sbatch sees them. */
class SlurmOutputTest {

    @Test
    void arrayRangesAsSlurmPrintsThem() {
        assertEquals(List.of(3), ArrayRange.indices("3"));
        assertEquals(List.of(0, 1, 2, 3, 4), ArrayRange.indices("0-4"));
        assertEquals(List.of(1, 3, 4, 5), ArrayRange.indices("[1,3-5]"));
        assertEquals(List.of(2, 3), ArrayRange.indices("2-3%1"));
        assertEquals(List.of(0, 2, 4), ArrayRange.indices("0-4:2"));
        assertThrows(IllegalStateException.class, () -> ArrayRange.indices("N/A"));
    }

    @Test
    void scontrolSplitsRunningTasksFromThePendingRest() {
        String out = """
                JobId=5 ArrayJobId=5 ArrayTaskId=2-3 JobName=gamerlab x UserId=root(0) JobState=PENDING Reason=Resources Dependency=(null) ExitCode=0:0 NodeList=(null)
                JobId=7 ArrayJobId=5 ArrayTaskId=1 JobName=gamerlab x JobState=RUNNING Reason=None ExitCode=0:0 NodeList=vm BatchHost=vm
                JobId=6 ArrayJobId=5 ArrayTaskId=0 JobName=gamerlab x JobState=CANCELLED Reason=None ExitCode=0:15 NodeList=vm BatchHost=vm
                """;
        List<Slurm.Task> tasks = Slurm.fromScontrol(out);
        assertEquals(List.of(new Slurm.Task(0, "CANCELLED", "None", "vm", "0:15"), new Slurm.Task(1, "RUNNING", "None", "vm", "0:0"),
                new Slurm.Task(2, "PENDING", "Resources", "(null)", "0:0"), new Slurm.Task(3, "PENDING", "Resources", "(null)", "0:0")), tasks);
        assertTrue(tasks.get(0).finished());
        assertTrue(!tasks.get(1).finished() && !tasks.get(2).finished());
    }

    @Test
    void sacctStatesLoseTheirSuffix() {
        String out = "12_0|COMPLETED|None|n1|0:0\n12_1|CANCELLED by 0|None|n2|0:15\n12_[2-3]|PENDING|Priority|None assigned|0:0\n";
        List<Slurm.Task> tasks = Slurm.fromSacct(12, out);
        assertEquals(List.of("COMPLETED", "CANCELLED", "PENDING", "PENDING"), tasks.stream().map(Slurm.Task::state).toList());
        assertEquals(List.of(0, 1, 2, 3), tasks.stream().map(Slurm.Task::index).toList());
    }

    @Test
    void optionsBecomeSbatchArgumentsOrAreRefusedByName() {
        SlurmOptions o = SlurmOptions.NONE.withPartition("compute").withTimeLimit("1-02:00:00").withCpusPerTask(4)
                .withConstraint("sched_ext&avx2").withAccount("lab-42");
        assertEquals(List.of("--partition=compute", "--time=1-02:00:00", "--cpus-per-task=4", "--constraint=sched_ext&avx2",
                "--account=lab-42"), o.sbatchArguments());
        assertEquals(List.of(), SlurmOptions.NONE.sbatchArguments());
        for (String time : List.of("30", "10:00", "2:00:00", "1-0", "1-02:30", "UNLIMITED")) SlurmOptions.NONE.withTimeLimit(time);
        var e = assertThrows(IllegalArgumentException.class, () -> SlurmOptions.NONE.withTimeLimit("2h"));
        assertTrue(e.getMessage().startsWith("time limit = \"2h\""), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> SlurmOptions.NONE.withPartition("a b"));
        assertThrows(IllegalArgumentException.class, () -> SlurmOptions.NONE.withConstraint("x\n#SBATCH --uid=0"));
        assertThrows(IllegalArgumentException.class, () -> SlurmOptions.NONE.withCpusPerTask(0));
        assertEquals(Optional.empty(), SlurmOptions.NONE.withAccount(null).account());
    }
}
