package io.github.dl4jclassics.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.dl4jclassics.common.Json;
import io.github.dl4jclassics.experiments.cli.Main;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The README's first command, shortened to one epoch: the default experiment on the sample shipped in the jar. */
class DefaultExperimentTest {

    @Test
    void defaultExperimentRunsEndToEndOnTheShippedSample(@TempDir Path out) throws Exception {
        int code = Main.execute("run", Main.DEFAULT_EXPERIMENT, "--epochs", "1", "--out", out.toString(),
                "--manifests", Paths.manifests().toString());
        assertThat(code).isZero();
        Path run = RunOutputs.onlyRun(out, Main.DEFAULT_EXPERIMENT);
        JsonNode result = RunOutputs.assertCompleteRun(run, Main.DEFAULT_EXPERIMENT, 1, 1000, 10);
        assertThat(result.get("test").get("classes").get(0).asText()).isEqualTo("T-shirt/top");
        // One epoch on 5,500 images: far better than chance (0.1), far from the full data set's 0.86.
        assertThat(result.get("test").get("top1").asDouble()).isGreaterThan(0.5);
        assertThat(result.get("validation").get("count").asInt()).isEqualTo(500);
        assertThat(result.get("verdict").asText()).isEqualTo("NO_REFERENCE");
        for (String file : new String[]{"report.html", "report.md", "loss.png", "accuracy.png", "confusion-test.png"}) {
            assertThat(run.resolve(file)).as(file).isNotEmptyFile();
        }

        // `evaluate` of the saved model, with the normalization saved beside it, reproduces the run's test metrics.
        Path evaluation = out.resolve("evaluation");
        assertThat(Main.execute("evaluate", run.toString(), "--out", evaluation.toString())).isZero();
        JsonNode evaluated = Json.mapper().readTree(evaluation.resolve("result.json").toFile());
        assertThat(evaluated.get("status").asText()).isEqualTo("EVALUATED");
        for (String metric : new String[]{"top1", "top5", "loss", "count"}) {
            assertThat(evaluated.get("test").get(metric).asDouble()).as(metric)
                    .isEqualTo(result.get("test").get(metric).asDouble());
        }
        assertThat(evaluated.get("test").get("confusionMatrix")).isEqualTo(result.get("test").get("confusionMatrix"));
        assertThat(Files.readString(evaluation.resolve("confusion-test.csv")))
                .isEqualTo(Files.readString(run.resolve("confusion-test.csv")));
    }
}
