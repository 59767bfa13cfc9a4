package io.github.dl4jclassics.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.dl4jclassics.common.Json;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** Checks on a finished run folder shared by the end-to-end tests. */
final class RunOutputs {

    private RunOutputs() {
    }

    /** The single run folder under {@code out/name}. */
    static Path onlyRun(Path out, String name) throws IOException {
        try (Stream<Path> runs = Files.list(out.resolve(name))) {
            List<Path> all = runs.toList();
            assertThat(all).hasSize(1);
            assertThat(all.get(0).getFileName().toString()).matches("\\d{8}-\\d{6}(-\\d+)?");
            return all.get(0);
        }
    }

    /** Asserts every file of the run-folder layout and the result.json schema; returns result.json. */
    static JsonNode assertCompleteRun(Path run, String experiment, int epochs, int testCount, int classes) throws IOException {
        for (String file : List.of("manifest.json", "environment.json", "epochs.csv", "model.zip", "normalization.json",
                "result.json", "confusion-test.csv")) {
            assertThat(run.resolve(file)).as(file).isNotEmptyFile();
        }
        List<String> csv = Files.readAllLines(run.resolve("epochs.csv"));
        assertThat(csv.get(0)).isEqualTo(
                "epoch,learning_rate,train_loss,train_accuracy,validation_loss,validation_top1,validation_top5,seconds");
        assertThat(csv).hasSize(epochs + 1);
        JsonNode result = Json.mapper().readTree(run.resolve("result.json").toFile());
        assertThat(result.get("experiment").asText()).isEqualTo(experiment);
        assertThat(result.get("epochs").asInt()).isEqualTo(epochs);
        JsonNode test = result.get("test");
        assertThat(test.get("top1").asDouble()).isBetween(0.0, 1.0);
        assertThat(test.get("top5").asDouble()).isGreaterThanOrEqualTo(test.get("top1").asDouble());
        assertThat(test.get("loss").asDouble()).isPositive();
        assertThat(test.get("classes")).hasSize(classes);
        assertThat(test.get("perClassAccuracy")).hasSize(classes);
        JsonNode matrix = test.get("confusionMatrix");
        assertThat(matrix).hasSize(classes);
        long total = 0;
        long diagonal = 0;
        for (int t = 0; t < classes; t++) {
            assertThat(matrix.get(t)).hasSize(classes);
            for (int p = 0; p < classes; p++) {
                total += matrix.get(t).get(p).asLong();
            }
            diagonal += matrix.get(t).get(t).asLong();
        }
        assertThat(total).isEqualTo(testCount);
        assertThat((double) diagonal / total).isCloseTo(test.get("top1").asDouble(), org.assertj.core.data.Offset.offset(1e-9));
        assertThat(result.get("verdict").asText()).isIn("PASS", "FAIL", "NO_REFERENCE", "NOT_COMPARABLE");
        // model.zip carries the fitted normalizer, a stock ND4J class that plain DL4J restores.
        Object normalizer = org.deeplearning4j.util.ModelSerializer.restoreNormalizerFromFile(run.resolve("model.zip").toFile());
        assertThat(normalizer).isExactlyInstanceOf(org.nd4j.linalg.dataset.api.preprocessor.NormalizerStandardize.class);
        JsonNode environment = Json.mapper().readTree(run.resolve("environment.json").toFile());
        assertThat(environment.get("dl4jVersion").asText()).isEqualTo("1.0.0-M2.1");
        assertThat(environment.get("javaVersion").asText()).isNotBlank();
        return result;
    }
}
