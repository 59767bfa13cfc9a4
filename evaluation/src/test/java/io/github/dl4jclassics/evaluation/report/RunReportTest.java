package io.github.dl4jclassics.evaluation.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.dl4jclassics.evaluation.Check;
import io.github.dl4jclassics.evaluation.Checks;
import io.github.dl4jclassics.evaluation.DocumentedResult;
import io.github.dl4jclassics.evaluation.TestFiles;
import io.github.dl4jclassics.evaluation.Verdict;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunReportTest {

    @TempDir
    Path tmp;

    @Test
    void writesDecodablePngsAndBothReportsForARealRun() throws IOException {
        Path run = TestFiles.sampleRun(tmp, "sample");

        RunReport.Written written = RunReport.write(run);

        for (String name : List.of("loss.png", "accuracy.png", "learning-rate.png", "confusion-test.png",
                "confusion-validation.png")) {
            Path png = run.resolve(name);
            assertThat(png).exists();
            assertThat(Files.size(png)).as(name + " size").isBetween(10_000L, 2_000_000L);
            BufferedImage image = ImageIO.read(png.toFile());
            assertThat(image).as(name + " decodes").isNotNull();
            assertThat(image.getWidth()).as(name + " width").isBetween(500, 2000);
            assertThat(image.getHeight()).as(name + " height").isBetween(400, 2000);
        }
        assertThat(written.images()).hasSize(5);
        assertThat(written.html()).isEqualTo(run.resolve("report.html"));
        // No temporary files of the atomic writes are left behind.
        try (var files = Files.list(run)) {
            assertThat(files.map(p -> p.getFileName().toString())).noneMatch(n -> n.endsWith(".tmp"));
        }
    }

    @Test
    void perEpochTestValuesAreTabledDrawnAndTheirBestEpochShownBesideTheKeptModel() throws IOException {
        Path run = TestFiles.sampleRun(tmp, "sample");
        Files.writeString(run.resolve("epochs.csv"), """
                epoch,learning_rate,train_loss,train_accuracy,validation_loss,validation_top1,validation_top5,seconds,test_loss,test_top1,test_top5
                1,0.001,1.3,0.53,0.92,0.632,0.982,19.985,0.95,0.61,0.970
                2,0.001,0.82,0.69,0.78,0.722,0.988,7.457,0.80,0.70,0.996
                3,0.001,0.73,0.72,0.70,0.742,0.994,23.623,0.75,0.73,0.994
                """);
        DocumentedResult top5 = new DocumentedResult("top5", "test", 0.638, 0.03, "note 000, best epoch (88)");
        String sentence = RunReport.bestPerEpochTestSentence(io.github.dl4jclassics.common.EpochRecord.readCsv(
                run.resolve("epochs.csv")), top5);
        assertThat(sentence).startsWith("Per-epoch test top-5 accuracy (the test split evaluated after every epoch, "
                + "never used to choose the model): best 99.60% at epoch 2 of 3, 99.40% at the last epoch; documented "
                + "63.80% (note 000, best epoch (88))");
        assertThat(RunReport.bestPerEpochTestSentence(io.github.dl4jclassics.common.EpochRecord.readCsv(
                run.resolve("epochs.csv")), new DocumentedResult("top1", "validation", 0.7, 0.03, null))).isNull();

        RunReport.write(run);
        String md = Files.readString(run.resolve("report.md"));
        assertThat(md).contains("test loss (per epoch) | test top-1 (per epoch) | test top-5 (per epoch)",
                "| 73.00% | 99.40% |", "no epoch, learning rate or early stop was chosen with them");
    }

    @Test
    void htmlIsSelfContainedAndShowsTheRun() throws IOException {
        Path run = TestFiles.sampleRun(tmp, "sample");
        RunReport.write(run);
        String html = Files.readString(run.resolve("report.html"));

        assertSelfContained(html);
        // Five images, each an inlined PNG that decodes.
        Matcher images = Pattern.compile("src=\"data:image/png;base64,([A-Za-z0-9+/=]+)\"").matcher(html);
        int count = 0;
        while (images.find()) {
            byte[] png = Base64.getDecoder().decode(images.group(1));
            assertThat(ImageIO.read(new java.io.ByteArrayInputStream(png))).isNotNull();
            count++;
        }
        assertThat(count).isEqualTo(5);
        assertThat(html).contains("lenet5-fashion-mnist-sample", "NO_REFERENCE", "73.60%", "99.40%", "T-shirt/top",
                "Ankle boot", "9.28%" /* Shirt's test recall, 9/97 */, "training.optimizer.type", "adam",
                "OPENBLAS", "Per-class results", "Epochs");
    }

    @Test
    void checksAndPicturesOfTheRunFolderAppearInBothReports() throws IOException {
        Path run = TestFiles.sampleRun(tmp, "sample");
        String result = Files.readString(run.resolve("result.json"));
        Files.writeString(run.resolve("result.json"), result.replaceFirst("\\{", """
                {"checks": [{"metric": "top1", "split": "test", "documented": 0.70, "tolerance": 0.03, "measured": 0.736, "verdict": "PASS"},
                            {"metric": "top1", "split": "test", "class": "Shirt", "documented": 0.30, "tolerance": 0.05, "measured": 0.0928, "verdict": "FAIL"}],
                """));
        io.github.dl4jclassics.evaluation.charts.ImageGrid.write(
                io.github.dl4jclassics.evaluation.charts.ImageGrid.images(new float[3 * 8 * 8], 1, 3, 8, 8, List.of("x"), "p"),
                run.resolve("batch-preview.png"));
        io.github.dl4jclassics.evaluation.charts.ImageGrid.write(
                io.github.dl4jclassics.evaluation.charts.ImageGrid.conv1Filters(new float[4 * 3 * 5 * 5], 4, 5, 5, "f"),
                run.resolve("conv1-filters.png"));

        RunReport.write(run);

        String md = Files.readString(run.resolve("report.md"));
        assertThat(md).contains("Every documented value", "| top1 | test | Shirt | 30.00% | 5.00% | 9.28% | -20.72 pt | FAIL |",
                "| top1 | test | overall | 70.00% | 3.00% | 73.60% | +3.60 pt | PASS |", "1 of 2 documented values missed: Shirt", "a per-class miss is reported only",
                "(batch-preview.png)", "(conv1-filters.png)");
        String html = Files.readString(run.resolve("report.html"));
        assertThat(html).contains("Every documented value", "Pictures");
        Matcher images = Pattern.compile("src=\"data:image/png;base64,").matcher(html);
        int count = 0;
        while (images.find()) {
            count++;
        }
        assertThat(count).as("5 charts + 2 pictures inlined").isEqualTo(7);
    }

    @Test
    void markdownLinksThePngsBesideIt() throws IOException {
        Path run = TestFiles.sampleRun(tmp, "sample");
        RunReport.write(run);
        String md = Files.readString(run.resolve("report.md"));

        assertThat(md).contains("# lenet5-fashion-mnist-sample", "![loss per epoch](loss.png)",
                "(confusion-test.png)", "| top-1 accuracy | 73.60% | 74.20% |", "| Shirt | 97 | 9.28% |");
        Matcher links = Pattern.compile("\\]\\(([^)]+)\\)").matcher(md);
        while (links.find()) {
            assertThat(run.resolve(links.group(1))).as("linked file").exists();
        }
    }

    @Test
    void reportsAPassingVerdictWithTheNumbersSideBySide() throws IOException {
        Path run = TestFiles.sampleRun(tmp, "sample");
        String result = Files.readString(run.resolve("result.json"))
                .replace("\"verdict\" : \"NO_REFERENCE\"", "\"documented\" : { \"metric\" : \"top1\", \"split\" : \"test\","
                        + " \"value\" : 0.75, \"tolerance\" : 0.02, \"source\" : \"note 004\" },\n  \"measured\" : 0.736,\n"
                        + "  \"verdict\" : \"PASS\"");
        Files.writeString(run.resolve("result.json"), result);

        RunReport.write(run);
        String md = Files.readString(run.resolve("report.md"));

        assertThat(md).contains("**PASS**", "PASS: measured top-1 accuracy on test 73.60% ≥ documented 75.00% − tolerance 2.00% = 73.00%",
                "| top-1 accuracy | test | 75.00% | 2.00% | 73.00% | 73.60% | -1.40 pt | note 004 |");
    }

    /** A result of lenet5-fashion-mnist with the documented top-1 on test 87.16% ± 1.16%. */
    private static io.github.dl4jclassics.evaluation.RunResult result(Double measured, Verdict verdict, String reason,
                                                                       List<Check> checks) {
        return new io.github.dl4jclassics.evaluation.RunResult("lenet5-fashion-mnist", "lenet5", "fashion-mnist", 2,
                null, null, FASHION, measured, verdict, io.github.dl4jclassics.evaluation.RunStatus.COMPLETED, null,
                10.0, null, null, checks, reason);
    }

    private static final DocumentedResult FASHION = new DocumentedResult("top1", "test", 0.8716, 0.0116, "PyTorch");

    @Test
    void theVerdictSentenceOfEachVerdict() {
        assertThat(RunReport.verdictSentence(result(0.8802, Verdict.PASS, null, null), FASHION))
                .isEqualTo("PASS: measured top-1 accuracy on test 88.02% ≥ documented 87.16% − tolerance 1.16% = 86.00%");
        assertThat(RunReport.verdictSentence(result(0.8502, Verdict.FAIL, null, null), FASHION))
                .isEqualTo("FAIL: measured top-1 accuracy on test 85.02% < documented 87.16% − tolerance 1.16% = 86.00%");
        assertThat(RunReport.verdictSentence(new io.github.dl4jclassics.evaluation.RunResult("x", "lenet5",
                "fashion-mnist", 2, null, null, null, null, Verdict.NO_REFERENCE, null, null, null, null, null, null,
                null), null)).isEqualTo("NO_REFERENCE: nothing documented to compare with");
        // A shortened run: the reason, the two numbers side by side, no comparison and no threshold.
        String reason = "shortened run (epochs 2 instead of 3): the documented value was measured with the full recipe";
        String shortened = RunReport.verdictSentence(result(0.8502, Verdict.NOT_COMPARABLE, reason, null), FASHION);
        assertThat(shortened).isEqualTo("NOT_COMPARABLE: not judged, " + reason
                + ". Measured top-1 accuracy on test 85.02%; documented 87.16% (tolerance 1.16%).");
        assertThat(shortened).doesNotContain("<", "≥", "86.00%");
        // Also when the shortened run beats the documented value, and for a result.json without the reason.
        assertThat(RunReport.verdictSentence(result(0.90, Verdict.NOT_COMPARABLE, null, null), FASHION))
                .isEqualTo("NOT_COMPARABLE: not judged, the run differs from the recipe the documented value was "
                        + "measured with. Measured top-1 accuracy on test 90.00%; documented 87.16% (tolerance 1.16%).");
    }

    @Test
    void theChecksSummaryCountsNotComparableChecksAsNotJudged() {
        Check pass = new Check("top1", "test", null, 0.87, 0.01, 0.88, Verdict.PASS);
        Check classPass = new Check("top1", "test", "Shirt", 0.6, 0.05, 0.62, Verdict.PASS);
        Check classMiss = new Check("top1", "test", "Shirt", 0.6, 0.05, 0.50, Verdict.FAIL);
        assertThat(CheckTable.missSummary(List.of(pass, classPass))).isNull();
        assertThat(CheckTable.missSummary(List.of(pass, classMiss))).isEqualTo("1 of 2 documented values missed: Shirt");
        assertThat(CheckTable.missSummary(Checks.notComparable(List.of(pass, classMiss))))
                .isEqualTo("None of the 2 documented values is judged");
        assertThat(CheckTable.missSummary(Checks.notComparable(List.of(pass)))).isEqualTo("The documented value is not judged");
        assertThat(CheckTable.missSummary(List.of(pass, Checks.notComparable(List.of(classPass)).get(0))))
                .isEqualTo("1 of 2 documented values not judged, the others reached");
        assertThat(CheckTable.missSummary(List.of(classMiss, Checks.notComparable(List.of(pass)).get(0))))
                .isEqualTo("1 of 2 documented values missed: Shirt; 1 not judged");
    }

    @Test
    void aShortenedRunsReportGivesTheReasonAndJudgesNothing() throws IOException {
        Path run = TestFiles.sampleRun(tmp, "sample");
        String result = Files.readString(run.resolve("result.json"))
                .replace("\"verdict\" : \"NO_REFERENCE\"", "\"documented\" : { \"metric\" : \"top1\", \"split\" : \"test\","
                        + " \"value\" : 0.8716, \"tolerance\" : 0.0116, \"source\" : \"PyTorch\" },\n  \"measured\" : 0.736,\n"
                        + "  \"verdict\" : \"NOT_COMPARABLE\",\n  \"verdictReason\" : \"shortened run (epochs 2 instead of 3): the "
                        + "documented value was measured with the full recipe\",\n  \"checks\" : ["
                        + "{\"metric\": \"top1\", \"split\": \"test\", \"documented\": 0.8716, \"tolerance\": 0.0116, \"measured\": 0.736, \"verdict\": \"NOT_COMPARABLE\"},"
                        + "{\"metric\": \"top1\", \"split\": \"test\", \"class\": \"Shirt\", \"documented\": 0.6, \"tolerance\": 0.05, \"measured\": 0.0928, \"verdict\": \"NOT_COMPARABLE\"}]");
        Files.writeString(run.resolve("result.json"), result);

        RunReport.write(run);

        for (String report : List.of("report.md", "report.html")) {
            String text = Files.readString(run.resolve(report));
            assertThat(text).as(report).contains("NOT_COMPARABLE: not judged, shortened run (epochs 2 instead of 3)",
                    "Measured top-1 accuracy on test 73.60%; documented 87.16% (tolerance 1.16%).",
                    "None of the 2 documented values is judged.");
            assertThat(text).as(report).doesNotContain("Every documented value is reached", "documented values missed",
                    "makes it FAIL",
                    "73.60% <", "73.60% &lt;");
        }
    }

    @Test
    void aDivergedRunWithoutMetricsOrEpochsStillGetsAReport() throws IOException {
        Path run = tmp.resolve("diverged");
        Files.createDirectories(run);
        Files.writeString(run.resolve("result.json"), """
                { "experiment" : "x", "model" : "lenet5", "dataset" : "fashion-mnist", "epochs" : 0,
                  "documented" : { "metric" : "top5", "split" : "validation", "value" : 0.5 },
                  "verdict" : "FAIL", "status" : "DIVERGED", "failure" : "loss is NaN at epoch 1 batch 3",
                  "someFutureField" : 1 }
                """);

        RunReport.Written written = RunReport.write(run);

        assertThat(written.images()).isEmpty();
        String html = Files.readString(written.html());
        assertSelfContained(html);
        assertThat(html).contains("FAIL", "loss is NaN at epoch 1 batch 3", "no measured top-5 accuracy on validation",
                "No manifest.json");
    }

    @Test
    void aMissingResultIsAClearError() {
        assertThatThrownBy(() -> RunReport.write(tmp)).isInstanceOf(IOException.class)
                .hasMessageContaining("result.json not found");
    }

    /** No network, no files outside the page: what "opens offline" means. */
    static void assertSelfContained(String html) {
        assertThat(html).doesNotContain("http:", "https:", "<link", "<script", "@import", "url(");
        Matcher sources = Pattern.compile("(?:src|href)\\s*=\\s*\"([^\"]*)\"").matcher(html);
        while (sources.find()) {
            assertThat(sources.group(1)).as("every src/href is a data URI").startsWith("data:");
        }
    }
}
