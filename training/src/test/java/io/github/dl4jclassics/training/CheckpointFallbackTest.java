package io.github.dl4jclassics.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.dl4jclassics.training.checkpoints.CheckpointStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A damaged newest checkpoint (truncated model.zip, corrupted state.json, last.json naming a missing folder):
 * resume uses the newest intact one instead of failing or starting over, and the errors name the file.
 */
class CheckpointFallbackTest {

    @TempDir
    static Path trained;

    /** Three epochs; the store keeps the last and one more: epoch-0002 and epoch-0003 (and best/). */
    @BeforeAll
    static void train() throws Exception {
        ResumableRun.run(trained, 3, 0);
    }

    private static Path copyOfRun(Path dir) throws IOException {
        Path copy = dir.resolve("run");
        try (var walk = Files.walk(trained)) {
            for (Path source : walk.toList()) {
                Path target = copy.resolve(trained.relativize(source).toString());
                if (Files.isDirectory(source)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(source, target);
                }
            }
        }
        return copy.resolve("checkpoints");
    }

    @Test
    void truncatedModelZipFallsBackToThePreviousCheckpoint(@TempDir Path dir) throws Exception {
        Path checkpoints = copyOfRun(dir);
        Path model = checkpoints.resolve("epoch-0003/model.zip");
        byte[] bytes = Files.readAllBytes(model);
        Files.write(model, Arrays.copyOf(bytes, bytes.length / 2));

        assertThatThrownBy(() -> CheckpointStore.readModel(checkpoints.resolve("epoch-0003"), true))
                .isInstanceOf(IOException.class).hasMessageContaining(model.toString()).hasMessageContaining("truncated");
        Resume.Point point = Resume.fromRunCheckpoints(checkpoints).orElseThrow();
        assertThat(point.checkpoint().getFileName().toString()).isEqualTo("epoch-0002");
        assertThat(point.state().epochsCompleted()).isEqualTo(2);
        // last.json now names the checkpoint the run continues from.
        assertThat(new CheckpointStore(checkpoints, 1).last().orElseThrow().getFileName().toString()).isEqualTo("epoch-0002");
    }

    @Test
    void lastPointerToAMissingFolderUsesTheNewestIntactCheckpoint(@TempDir Path dir) throws Exception {
        Path checkpoints = copyOfRun(dir);
        Files.writeString(checkpoints.resolve("last.json"), "{\"folder\": \"epoch-0009\"}");
        Resume.Point point = Resume.fromRunCheckpoints(checkpoints).orElseThrow();
        assertThat(point.checkpoint().getFileName().toString()).isEqualTo("epoch-0003");
        assertThat(point.state().epochsCompleted()).isEqualTo(3);
    }

    @Test
    void corruptedStateIsNamedAndSkipped(@TempDir Path dir) throws Exception {
        Path checkpoints = copyOfRun(dir);
        Path state = checkpoints.resolve("epoch-0003/state.json");
        Files.writeString(state, "{\"epochsCompleted\": 3, \"learningRa");
        assertThatThrownBy(() -> CheckpointStore.readState(checkpoints.resolve("epoch-0003")))
                .isInstanceOf(IOException.class).hasMessageContaining(state.toString())
                .hasMessageContaining("expected the JSON training state");
        Optional<Resume.Point> point = Resume.fromRunCheckpoints(checkpoints);
        assertThat(point.orElseThrow().state().epochsCompleted()).isEqualTo(2);
    }

    @Test
    void noIntactCheckpointMeansStartingAgain(@TempDir Path dir) throws Exception {
        Path checkpoints = copyOfRun(dir);
        for (String folder : new String[]{"epoch-0002", "epoch-0003"}) {
            Files.write(checkpoints.resolve(folder).resolve("model.zip"), new byte[]{'P', 'K'});
        }
        assertThat(Resume.fromRunCheckpoints(checkpoints)).isEmpty();
    }

    @Test
    void resumedFromTheFallbackTheRunEndsLikeAnUninterruptedOne(@TempDir Path dir) throws Exception {
        Path checkpoints = copyOfRun(dir);
        Files.write(checkpoints.resolve("epoch-0003/model.zip"), new byte[0]);
        // Continue the copy to 3 epochs again: epoch 3 is retrained from epoch 2's checkpoint.
        TrainingOutcome resumed = ResumableRun.run(checkpoints.getParent(), 3, 0);
        TrainingOutcome straight = ResumableRun.run(dir.resolve("straight"), 3, 0);
        assertThat(resumed.epochs()).hasSize(3);
        assertThat(resumed.network().params().sub(straight.network().params()).amaxNumber().doubleValue())
                .isLessThan(1e-4);
    }
}
