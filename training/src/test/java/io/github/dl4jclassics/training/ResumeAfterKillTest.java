package io.github.dl4jclassics.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.github.dl4jclassics.common.EpochRecord;
import io.github.dl4jclassics.training.checkpoints.CheckpointStore;
import io.github.dl4jclassics.training.checkpoints.TrainingState;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** kill -9 of a training JVM in the middle of epoch 2, then resume: the run ends as an uninterrupted one does. */
class ResumeAfterKillTest {

    private static final int EPOCHS = 4;

    @Test
    void resumedRunEndsLikeAnUninterruptedOne(@TempDir Path dir) throws Exception {
        Path killedDir = dir.resolve("killed");
        Files.createDirectories(killedDir);
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx1g", "-cp", System.getProperty("java.class.path"), ResumableRun.class.getName(),
                killedDir.toString(), Integer.toString(EPOCHS), "40"));
        Process child = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(dir.resolve("child.log").toFile()).start();
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            Path position = killedDir.resolve("position");
            while (!(Files.exists(killedDir.resolve("checkpoints/epoch-0001/model.zip"))
                    && Files.exists(position) && readPosition(position)[0] == 1 && readPosition(position)[1] >= 3)) {
                assertThat(child.isAlive()).as("child JVM running (see child.log)").isTrue();
                assertThat(System.nanoTime()).as("child reached epoch 2 in time").isLessThan(deadline);
                Thread.sleep(20);
            }
        } finally {
            child.destroyForcibly().waitFor();
        }
        // Killed in epoch 2: only epoch 1 is checkpointed.
        Path last = new CheckpointStore(killedDir.resolve("checkpoints"), 1).last().orElseThrow();
        assertThat(last.getFileName().toString()).isEqualTo("epoch-0001");
        assertThat(Files.exists(killedDir.resolve("checkpoints/epoch-0002"))).isFalse();

        TrainingOutcome resumed = ResumableRun.run(killedDir, EPOCHS, 0);
        TrainingOutcome uninterrupted = ResumableRun.run(dir.resolve("straight"), EPOCHS, 0);

        List<EpochRecord> a = EpochRecord.readCsv(killedDir.resolve("epochs.csv"));
        List<EpochRecord> b = EpochRecord.readCsv(dir.resolve("straight/epochs.csv"));
        assertThat(a).hasSize(EPOCHS);
        assertThat(b).hasSize(EPOCHS);
        for (int i = 0; i < EPOCHS; i++) {
            assertThat(a.get(i).learningRate()).as("rate of epoch %d", i + 1).isEqualTo(b.get(i).learningRate());
            assertThat(a.get(i).trainLoss()).as("train loss of epoch %d", i + 1).isCloseTo(b.get(i).trainLoss(), within(1e-4));
            assertThat(a.get(i).validationLoss()).isCloseTo(b.get(i).validationLoss(), within(1e-4));
            assertThat(a.get(i).validationTop1()).isCloseTo(b.get(i).validationTop1(), within(1e-9));
        }
        // The schedule did change the rate (warm-up, then plateau reductions), so its state was carried over.
        assertThat(b.stream().map(EpochRecord::learningRate).distinct().count()).isGreaterThan(1);
        assertThat(resumed.network().params().sub(uninterrupted.network().params()).amaxNumber().doubleValue())
                .isLessThan(1e-4);
        TrainingState state = CheckpointStore.readState(new CheckpointStore(killedDir.resolve("checkpoints"), 1)
                .last().orElseThrow());
        assertThat(state.learningRates()).containsExactlyElementsOf(b.stream().map(EpochRecord::learningRate).toList());
    }

    @Test
    void continuingAFinishedRunForMoreEpochsContinuesScheduleAndLog(@TempDir Path dir) throws Exception {
        ResumableRun.run(dir.resolve("first"), 2, 0);
        TrainingStart start = NetworkAssembly.continued(dir.resolve("first/checkpoints"), ResumableRun.config(2), null,
                EpochTarget.parse("+2"));
        TrainingConfig config = start.training();
        assertThat(config.epochs()).isEqualTo(4);
        Path next = dir.resolve("next");
        TrainingOutcome more = new Trainer(config, new CheckpointStore(next.resolve("checkpoints"), 1),
                new EpochLog(next.resolve("epochs.csv")), false, List.of())
                .train(start.network(), Synthetic.iterator(ResumableRun.TRAIN, 32, config.seed()),
                        Synthetic.validator(ResumableRun.VALIDATION), start.state());
        TrainingOutcome straight = ResumableRun.run(dir.resolve("straight"), 4, 0);
        List<EpochRecord> continued = EpochRecord.readCsv(next.resolve("epochs.csv"));
        assertThat(continued).extracting(EpochRecord::epoch).containsExactly(1, 2, 3, 4);
        assertThat(continued).extracting(EpochRecord::learningRate)
                .containsExactlyElementsOf(straight.epochs().stream().map(EpochRecord::learningRate).toList());
        assertThat(more.network().params().sub(straight.network().params()).amaxNumber().doubleValue()).isLessThan(1e-4);
        assertThat(Files.exists(next.resolve("checkpoints/epoch-0004/model.zip"))).isTrue();
    }

    private static int[] readPosition(Path file) throws Exception {
        String[] parts = Files.readString(file).trim().split(" ");
        if (parts.length != 2) {
            return new int[]{-1, -1};
        }
        return new int[]{Integer.parseInt(parts[0]), Integer.parseInt(parts[1])};
    }
}
