package io.github.dl4jclassics.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.dl4jclassics.common.Json;
import io.github.dl4jclassics.experiments.cli.Main;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A run folder is self-sufficient: it resumes with only its path (it records where the data was found), its own
 * manifest.json reruns, a shortened run is NOT_COMPARABLE (exit 0) however it is continued, and a damaged model is
 * named.
 */
class RunFolderReliabilityTest {

    /** An experiment with a documented value and no default data location: the data comes from --data-dir only. */
    private static final String QUICK = """
            {
              "name": "quick",
              "description": "LeNet-5 on the Fashion-MNIST sample, found only through --data-dir",
              "model": { "id": "lenet5", "classes": 10, "input": "1x32x32" },
              "data": { "dataset": "fashion-mnist", "split": { "validationCount": 1000, "seed": 3 },
                        "transforms": [ { "type": "resize" }, { "type": "normalize" } ] },
              "training": { "optimizer": { "type": "adam", "learningRate": 0.001 },
                            "batchSize": 64, "epochs": 2, "seed": 5 },
              "documented": { "metric": "top1", "split": "test", "value": 0.5, "tolerance": 0.0, "source": "a test" }
            }
            """;

    @Test
    void shortenedRunResumesWithOnlyItsPathAndStaysNotComparable(@TempDir Path dir) throws Exception {
        Path manifests = dir.resolve("manifests");
        Files.createDirectories(manifests);
        Files.writeString(manifests.resolve("quick.json"), QUICK);
        Path data = dir.resolve("data with space");
        Files.createDirectories(data);
        Path sample = Paths.projectRoot().resolve("experiments/src/main/resources/datasets/fashion-mnist-sample");
        for (String file : List.of("train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz",
                "t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz")) {
            Files.copy(sample.resolve(file), data.resolve(file));
        }
        Path out = dir.resolve("runs");
        Captured first = run("run", "quick", "--manifests", manifests.toString(), "--data-dir", data.toString(),
                "--limit-train", "1200", "--limit-test", "300", "--out", out.toString());
        assertThat(first.code).as(first.err).isZero();
        assertThat(first.out).contains("verdict: NOT_COMPARABLE (shortened run (--limit-train 1200, --limit-test 300)");
        Path runDir = RunOutputs.onlyRun(out, "quick");
        JsonNode result = Json.mapper().readTree(runDir.resolve("result.json").toFile());
        assertThat(result.get("verdict").asText()).isEqualTo("NOT_COMPARABLE");
        assertThat(result.get("verdictReason").asText()).contains("--limit-train 1200").doesNotContain("--epochs");
        // 1000 of the sample's 6000 are held out for validation; the first 1200 keep that share: 200.
        assertThat(result.get("validation").get("count").asInt()).isEqualTo(200);
        JsonNode saved = Json.mapper().readTree(runDir.resolve("manifest.json").toFile());
        assertThat(saved.get("data").get("location").asText()).isEqualTo(data.toAbsolutePath().toString());
        assertThat(saved.get("shortened")).hasSize(2);

        // Killed during epoch 2: only epoch 1 is checkpointed; then resumed with nothing but the folder.
        Path checkpoints = runDir.resolve("checkpoints");
        deleteTree(checkpoints.resolve("epoch-0002"));
        Files.writeString(checkpoints.resolve("last.json"), "{\"folder\": \"epoch-0001\"}");
        Files.delete(runDir.resolve("result.json"));
        Captured resumed = run("run", "--resume", runDir.toString());
        assertThat(resumed.code).as(resumed.err).isZero();
        JsonNode after = Json.mapper().readTree(runDir.resolve("result.json").toFile());
        assertThat(after.get("epochs").asInt()).isEqualTo(2);
        assertThat(after.get("verdict").asText()).isEqualTo("NOT_COMPARABLE");
        assertThat(after.get("test").get("top1").asDouble()).isCloseTo(result.get("test").get("top1").asDouble(), org.assertj.core.api.Assertions.within(1e-3));

        // Its own manifest.json reruns (no --data-dir, no --manifests) and is still not judged.
        Path again = dir.resolve("again");
        Captured rerun = run("run", runDir.resolve("manifest.json").toString(), "--epochs", "1", "--out", again.toString());
        assertThat(rerun.code).as(rerun.err).isZero();
        JsonNode rerunResult = Json.mapper().readTree(RunOutputs.onlyRun(again, "quick").resolve("result.json").toFile());
        assertThat(rerunResult.get("verdict").asText()).isEqualTo("NOT_COMPARABLE");
        assertThat(rerunResult.get("verdictReason").asText()).contains("--limit-train 1200").contains("--epochs 1 (the recipe: 2)");

        // A truncated model.zip is named by evaluate.
        Path model = runDir.resolve("model.zip");
        byte[] bytes = Files.readAllBytes(model);
        Files.write(model, Arrays.copyOf(bytes, bytes.length / 3));
        Captured evaluate = run("evaluate", runDir.toString(), "--out", dir.resolve("evaluation").toString());
        assertThat(evaluate.code).isEqualTo(1);
        assertThat(evaluate.err).contains(model.toString()).contains("truncated");
    }

    private record Captured(int code, String out, String err) {
    }

    private static Captured run(String... args) {
        PrintStream originalOut = System.out;
        PrintStream originalErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        int code;
        try {
            code = Main.execute(args);
        } finally {
            System.setOut(originalOut);
            System.setErr(originalErr);
        }
        return new Captured(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private static void deleteTree(Path root) throws Exception {
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path path : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }
}
