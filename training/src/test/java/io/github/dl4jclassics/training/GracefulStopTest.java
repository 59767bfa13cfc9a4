package io.github.dl4jclassics.training;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.dl4jclassics.training.checkpoints.CheckpointStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** SIGTERM to a training JVM in epoch 2: it stops, names the last good checkpoint and the resume command, exits 143. */
class GracefulStopTest {

    @Test
    void sigtermStopsAtASafePointAndSaysHowToResume(@TempDir Path dir) throws Exception {
        Path runDir = dir.resolve("run");
        Files.createDirectories(runDir);
        Path log = dir.resolve("child.log");
        Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx1g", "-cp", System.getProperty("java.class.path"), ResumableRun.class.getName(),
                runDir.toString(), "4", "40").redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            Path position = runDir.resolve("position");
            while (!(Files.exists(runDir.resolve("checkpoints/epoch-0001/model.zip")) && Files.exists(position)
                    && Files.readString(position).startsWith("1 "))) {
                assertThat(child.isAlive()).as("child JVM running (see %s)", log).isTrue();
                assertThat(System.nanoTime()).as("child reached epoch 2 in time").isLessThan(deadline);
                Thread.sleep(20);
            }
            child.destroy(); // SIGTERM
            assertThat(child.waitFor(60, TimeUnit.SECONDS)).as("child stopped after SIGTERM").isTrue();
        } finally {
            child.destroyForcibly().waitFor();
        }
        String output = Files.readString(log);
        assertThat(child.exitValue()).as(output).isEqualTo(143);
        Path lastGood = runDir.resolve("checkpoints/epoch-0001").toAbsolutePath();
        assertThat(output).contains("Stopped by a signal").contains("during epoch 2 of 4")
                .contains("The last good checkpoint is " + lastGood)
                .contains("run --resume " + runDir.toAbsolutePath());
        // Nothing half-written: the checkpoint named is the last one, and no temporary folder is left.
        assertThat(new CheckpointStore(runDir.resolve("checkpoints"), 1).last().orElseThrow().toAbsolutePath())
                .isEqualTo(lastGood);
        try (Stream<Path> children = Files.list(runDir.resolve("checkpoints"))) {
            List<String> names = children.map(p -> p.getFileName().toString()).toList();
            assertThat(names).noneMatch(n -> n.startsWith("."));
        }
        // And the run resumes from there to the end.
        assertThat(ResumableRun.run(runDir, 4, 0).epochs()).hasSize(4);
    }
}
