package io.github.dl4jclassics.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.dl4jclassics.experiments.cli.Main;
import java.nio.file.Path;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** lenet5-fashion-mnist on the real Fashion-MNIST from ../shared. */
class RealFashionMnistTest {

    /** The short real-data check of the default suite: the full files are read and validated, then one epoch on 18,333 images (1,667 held out). */
    @Test
    void shortRunOnTheRealFiles(@TempDir Path out) throws Exception {
        Path data = Paths.sharedFashionMnist();
        int code = Main.execute("run", "lenet5-fashion-mnist", "--data-dir", data.toString(), "--epochs", "1",
                "--limit-train", "20000", "--limit-test", "2000", "--out", out.toString(),
                "--manifests", Paths.manifests().toString());
        Path run = RunOutputs.onlyRun(out, "lenet5-fashion-mnist");
        JsonNode result = RunOutputs.assertCompleteRun(run, "lenet5-fashion-mnist", 1, 2000, 10);
        assertThat(result.get("test").get("top1").asDouble()).isGreaterThan(0.65);
        assertThat(result.get("documented").get("value").asDouble()).isEqualTo(0.8585);
        // A shortened run is not judged against the value of the full recipe: NOT_COMPARABLE, with the reason, exit 0.
        assertThat(result.get("verdict").asText()).isEqualTo("NOT_COMPARABLE");
        assertThat(result.get("verdictReason").asText()).contains("--epochs 1 (the recipe: 3)")
                .contains("--limit-train 20000").contains("--limit-test 2000");
        assertThat(code).isZero();
        // Its report says why and judges nothing: no comparison sign, no "reached".
        String report = java.nio.file.Files.readString(run.resolve("report.md"));
        assertThat(report).contains("NOT_COMPARABLE: not judged, shortened run (", "documented 85.85% (tolerance 1.16%).",
                "documented value is not judged").doesNotContain("Every documented value is reached", "< documented");
        // The validation split keeps its share of the full recipe (5,000 of 60,000): 1,667 of the first 20,000.
        assertThat(result.get("validation").get("count").asInt()).isEqualTo(1667);
    }

    /** The acceptance run: 3 epochs on all 55,000 training images reach test top-1 >= 0.86. */
    @Test
    @Tag("slow")
    void fullRecipeReachesTheDocumentedAccuracy(@TempDir Path out) throws Exception {
        Path data = Paths.sharedFashionMnist();
        int code = Main.execute("run", "lenet5-fashion-mnist", "--data-dir", data.toString(), "--out", out.toString(),
                "--manifests", Paths.manifests().toString());
        Path run = RunOutputs.onlyRun(out, "lenet5-fashion-mnist");
        JsonNode result = RunOutputs.assertCompleteRun(run, "lenet5-fashion-mnist", 3, 10000, 10);
        assertThat(result.get("test").get("top1").asDouble()).isGreaterThanOrEqualTo(0.86);
        assertThat(result.get("verdict").asText()).isEqualTo("PASS");
        assertThat(code).isZero();
    }
}
