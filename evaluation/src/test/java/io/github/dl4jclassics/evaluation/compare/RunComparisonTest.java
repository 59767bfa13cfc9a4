package io.github.dl4jclassics.evaluation.compare;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.dl4jclassics.evaluation.TestFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunComparisonTest {

    @TempDir
    Path tmp;

    @Test
    void tableAndChartsOfTwoRuns() throws Exception {
        Path a = TestFiles.sampleRun(tmp.resolve("lenet5-fashion-mnist-sample"), "20261123-181849");
        Path b = TestFiles.sampleRun(tmp.resolve("lenet5-fashion-mnist-sample"), "20261124-090000");
        Files.writeString(b.resolve("result.json"), Files.readString(b.resolve("result.json"))
                .replace("\"top1\" : 0.736", "\"top1\" : 0.801").replace("\"seconds\" : 57.34", "\"seconds\" : 3725.0"));

        RunComparison comparison = RunComparison.of(List.of(a, b));
        assertThat(comparison.labels()).containsExactly("lenet5-fashion-mnist-sample 20261123-181849",
                "lenet5-fashion-mnist-sample 20261124-090000");
        String md = comparison.markdown();
        assertThat(md).contains("| lenet5-fashion-mnist-sample 20261123-181849 | lenet5 | fashion-mnist | 3 | 57.3 s | COMPLETED | 73.60% | 99.40% | 0.6928 | 72.31% | 74.20% | – | – | NO_REFERENCE |",
                "| lenet5-fashion-mnist-sample 20261124-090000 | lenet5 | fashion-mnist | 3 | 1 h 02 min | COMPLETED | 80.10% |",
                "| Shirt | 9.28% | 9.28% |");

        List<Path> written = comparison.write(tmp);
        assertThat(written).extracting(p -> p.getFileName().toString())
                .containsExactly("comparison.md", "comparison.png", "validation-curves.png", "comparison-per-class.png");
        for (Path png : written.subList(1, 4)) {
            assertThat(ImageIO.read(png.toFile())).isNotNull();
            assertThat(Files.size(png)).isGreaterThan(10_000);
        }
    }

    @Test
    void runsWithDifferentClassesGetNoPerClassTable() throws Exception {
        Path a = TestFiles.sampleRun(tmp, "a");
        Path b = TestFiles.sampleRun(tmp, "b");
        Files.writeString(b.resolve("result.json"), Files.readString(b.resolve("result.json")).replace("\"Ankle boot\"", "\"Boot\""));
        RunComparison comparison = RunComparison.of(List.of(a, b));
        assertThat(comparison.sharedClasses()).isNull();
        assertThat(comparison.markdown()).contains("do not share the same test classes").doesNotContain("| Shirt |");
        assertThat(comparison.write(tmp)).extracting(p -> p.getFileName().toString())
                .containsExactly("comparison.md", "comparison.png", "validation-curves.png");
        assertThat(Files.readString(tmp.resolve("comparison.md"))).contains("![validation-curves.png](validation-curves.png)");
    }

    @Test
    void documentedValuesAndPerClassDeltasAreShownPerRun() throws Exception {
        Path a = TestFiles.sampleRun(tmp, "a");
        Path b = TestFiles.sampleRun(tmp, "b");
        Path noEpochs = TestFiles.sampleRun(tmp, "c");
        Files.delete(noEpochs.resolve("epochs.csv"));
        for (Path run : List.of(a, b)) {
            com.fasterxml.jackson.databind.node.ObjectNode result = (com.fasterxml.jackson.databind.node.ObjectNode)
                    io.github.dl4jclassics.common.Json.mapper().readTree(run.resolve("result.json").toFile());
            double shirt = result.get("test").get("perClassAccuracy").get(6).asDouble();
            double top1 = result.get("test").get("top1").asDouble();
            List<io.github.dl4jclassics.evaluation.Check> checks = List.of(
                    new io.github.dl4jclassics.evaluation.Check("top1", "test", null, 0.70, 0.03, top1,
                            io.github.dl4jclassics.evaluation.Verdict.PASS),
                    new io.github.dl4jclassics.evaluation.Check("top1", "test", "Shirt", 0.30, 0.05, shirt,
                            io.github.dl4jclassics.evaluation.Verdict.FAIL));
            result.set("checks", io.github.dl4jclassics.common.Json.mapper().valueToTree(checks));
            io.github.dl4jclassics.common.Json.writeFile(run.resolve("result.json"), result);
        }
        RunComparison comparison = RunComparison.of(List.of(a, b, noEpochs));
        String md = comparison.markdown();
        // 9.28 % measured for Shirt against 30 % documented: -20.72 points.
        assertThat(md).contains("Documented values", "| top1 | test | Shirt | 30.00% | 5.00% | 9.28% | -20.72 pt | FAIL |",
                "| top1 | test | overall | 70.00% | 3.00% | 73.60% | +3.60 pt | PASS |",
                "| test Shirt | 9.28% (-20.72 pt) | 9.28% (-20.72 pt) | – |");
        List<Path> written = comparison.write(tmp.resolve("out"));
        Path curves = tmp.resolve("out").resolve(RunComparison.VALIDATION_CURVES_PNG);
        assertThat(written).contains(curves);
        java.awt.image.BufferedImage image = ImageIO.read(curves.toFile());
        assertThat(image.getWidth()).isGreaterThan(500);
    }

    /** Two scene-like runs: no validation split, the test split evaluated after every epoch (evaluation.perEpoch). */
    @Test
    void runsWithPerEpochTestValuesOnlyGetTheirTestCurvesOverlaid() throws Exception {
        Path a = TestFiles.sampleRun(tmp, "a");
        Path b = TestFiles.sampleRun(tmp, "b");
        Files.writeString(a.resolve("epochs.csv"), """
                epoch,learning_rate,train_loss,train_accuracy,validation_loss,validation_top1,validation_top5,seconds,test_loss,test_top1,test_top5
                1,0.001,1.2,,,,,10.000,0.9,0.62,0.99
                2,0.001,0.8,,,,,10.000,0.6,0.81,1.0
                """);
        Files.writeString(b.resolve("epochs.csv"), """
                epoch,learning_rate,train_loss,train_accuracy,validation_loss,validation_top1,validation_top5,seconds,test_loss,test_top1,test_top5
                1,0.001,1.1,,,,,12.000,0.8,0.70,0.99
                2,0.001,0.7,,,,,12.000,0.5,0.86,1.0
                """);
        RunComparison comparison = RunComparison.of(List.of(a, b));
        assertThat(comparison.runs().get(1).epochs().get(1).testTop1()).isEqualTo(0.86);
        List<Path> written = comparison.write(tmp.resolve("out"));
        Path curves = tmp.resolve("out").resolve(RunComparison.VALIDATION_CURVES_PNG);
        assertThat(written).contains(curves);
        assertThat(ImageIO.read(curves.toFile()).getWidth()).isGreaterThan(500);
        String md = Files.readString(tmp.resolve("out/comparison.md"));
        assertThat(md).contains("validation-curves.png shows top-1 per epoch: the **test split** of "
                + "lenet5-fashion-mnist-sample a, lenet5-fashion-mnist-sample b, evaluated after every epoch")
                .contains("no epoch or rate was chosen with it")
                .doesNotContain("No validation-curves.png");
        assertThat(comparison.curvesSentence()).doesNotContain("the validation split of");
    }

    @Test
    void theCurvesSentenceSaysWhichRunsHaveWhichCurves() throws Exception {
        Path withValidation = TestFiles.sampleRun(tmp, "v");
        Path withNothing = TestFiles.sampleRun(tmp, "n");
        Files.writeString(withNothing.resolve("epochs.csv"), """
                epoch,learning_rate,train_loss,train_accuracy,validation_loss,validation_top1,validation_top5,seconds
                1,0.001,1.2,,,,,10.000
                """);
        Path withTest = TestFiles.sampleRun(tmp, "t");
        Files.writeString(withTest.resolve("epochs.csv"), """
                epoch,learning_rate,train_loss,train_accuracy,validation_loss,validation_top1,validation_top5,seconds,test_loss,test_top1,test_top5
                1,0.001,1.2,0.5,1.0,0.6,0.9,10.000,0.9,0.62,0.99
                """);
        RunComparison comparison = RunComparison.of(List.of(withValidation, withNothing, withTest));
        String sentence = comparison.curvesSentence();
        assertThat(sentence).contains("the validation split of lenet5-fashion-mnist-sample v, lenet5-fashion-mnist-sample t "
                + "(solid lines)", "the **test split** of lenet5-fashion-mnist-sample t (dashed lines",
                "no per-epoch values for lenet5-fashion-mnist-sample n");
        assertThat(RunComparison.of(List.of(withNothing)).curvesSentence()).startsWith("No validation-curves.png");
    }

    @Test
    void errorsNameTheMissingFile() {
        assertThatThrownBy(() -> RunComparison.of(List.of())).hasMessageContaining("at least one run folder");
        assertThatThrownBy(() -> RunComparison.of(List.of(tmp))).hasMessageContaining(tmp.resolve("result.json").toString());
    }
}
