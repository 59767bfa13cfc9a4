package io.github.dl4jclassics.evaluation.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.dl4jclassics.evaluation.TestFiles;
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
                "| top1 | test | overall | 70.00% | 3.00% | 73.60% | +3.60 pt | PASS |", "1 of 2 documented values missed: Shirt",
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
