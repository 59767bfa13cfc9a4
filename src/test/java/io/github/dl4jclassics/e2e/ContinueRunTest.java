package io.github.dl4jclassics.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.dl4jclassics.common.Json;
import io.github.dl4jclassics.experiments.cli.Main;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** `run --resume RUN_DIR` and `run NAME --from RUN_DIR --epochs +N` through the command line. */
class ContinueRunTest {

    private static final String SAMPLE = Main.DEFAULT_EXPERIMENT;

    @Test
    void resumedRunEndsWhereTheUninterruptedRunEnded(@TempDir Path out) throws Exception {
        assertThat(Main.execute("run", SAMPLE, "--epochs", "2", "--limit-train", "1200", "--limit-test", "300",
                "--out", out.toString(), "--manifests", Paths.manifests().toString())).isZero();
        Path run = RunOutputs.onlyRun(out, SAMPLE);
        JsonNode uninterrupted = Json.mapper().readTree(run.resolve("result.json").toFile());

        // Make the folder look like a process killed during epoch 2: epoch 1's checkpoint is the last complete one.
        Path checkpoints = run.resolve("checkpoints");
        deleteTree(checkpoints.resolve("epoch-0002"));
        Files.writeString(checkpoints.resolve("last.json"), "{\"folder\": \"epoch-0001\"}");
        for (String file : List.of("result.json", "model.zip", "report.html")) {
            Files.deleteIfExists(run.resolve(file));
        }

        assertThat(Main.execute("run", "--resume", run.toString())).isZero();
        JsonNode resumed = Json.mapper().readTree(run.resolve("result.json").toFile());
        assertThat(resumed.get("epochs").asInt()).isEqualTo(2);
        assertThat(Files.readAllLines(run.resolve("epochs.csv"))).hasSize(3);
        assertThat(resumed.get("test").get("top1").asDouble())
                .isCloseTo(uninterrupted.get("test").get("top1").asDouble(), within(1e-3));
        assertThat(resumed.get("test").get("loss").asDouble())
                .isCloseTo(uninterrupted.get("test").get("loss").asDouble(), within(1e-3));
        assertThat(run.resolve("model.zip")).isNotEmptyFile();
    }

    @Test
    void finishedRunContinuesForMoreEpochsInANewFolder(@TempDir Path out) throws Exception {
        Path first = out.resolve("first");
        assertThat(Main.execute("run", SAMPLE, "--epochs", "1", "--limit-train", "1200", "--limit-test", "300",
                "--out", first.toString(), "--manifests", Paths.manifests().toString())).isZero();
        Path finished = RunOutputs.onlyRun(first, SAMPLE);

        Path second = out.resolve("second");
        assertThat(Main.execute("run", SAMPLE, "--from", finished.toString(), "--epochs", "+1", "--limit-train", "1200",
                "--limit-test", "300", "--out", second.toString(), "--manifests", Paths.manifests().toString())).isZero();
        Path continued = RunOutputs.onlyRun(second, SAMPLE);
        JsonNode result = Json.mapper().readTree(continued.resolve("result.json").toFile());
        assertThat(result.get("epochs").asInt()).isEqualTo(2);
        List<String> epochs = Files.readAllLines(continued.resolve("epochs.csv"));
        assertThat(epochs).hasSize(3);
        assertThat(epochs.get(1)).startsWith("1,");
        assertThat(epochs.get(2)).startsWith("2,");
        JsonNode manifest = Json.mapper().readTree(continued.resolve("manifest.json").toFile());
        assertThat(manifest.get("training").get("epochs").asInt()).isEqualTo(2);
        // The finished run is untouched.
        assertThat(Files.readAllLines(finished.resolve("epochs.csv"))).hasSize(2);
    }

    private static void deleteTree(Path root) throws Exception {
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path path : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }
}
