package io.github.dl4jclassics.evaluation.charts;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.dl4jclassics.common.EpochRecord;
import io.github.dl4jclassics.evaluation.DocumentedResult;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.knowm.xchart.XYChart;

class TrainingCurvesTest {

    private static final double NaN = Double.NaN;

    @TempDir
    Path tmp;

    private static EpochRecord epoch(int n, double lr, double trainLoss, double trainAcc, double valLoss, double top1, double top5) {
        return new EpochRecord(n, lr, trainLoss, trainAcc, valLoss, top1, top5, 1.0);
    }

    @Test
    void writesThreeDecodablePngs() throws Exception {
        List<EpochRecord> epochs = List.of(epoch(1, 1e-2, 2.0, .3, 1.8, .35, .8), epoch(2, 1e-2, 1.5, .5, 1.4, .5, .9),
                epoch(3, 1e-3, 1.0, .6, 1.2, .55, .92));
        List<Path> written = TrainingCurves.writeAll(epochs, new DocumentedResult("top1", "test", .6, .02, null), tmp);
        assertThat(written).extracting(p -> p.getFileName().toString())
                .containsExactly("loss.png", "accuracy.png", "learning-rate.png");
        for (Path png : written) {
            BufferedImage image = ImageIO.read(png.toFile());
            assertThat(image).as(png + " decodes").isNotNull();
            assertThat(image.getWidth()).isEqualTo(TrainingCurves.WIDTH);
            assertThat(image.getHeight()).isEqualTo(TrainingCurves.HEIGHT);
            assertThat(Files.size(png)).isGreaterThan(5_000);
        }
    }

    @Test
    void missingValuesAreLeftOutAndEmptySeriesDropped() {
        // No validation split at all, and the train accuracy of epoch 2 unknown (mixup labels).
        List<EpochRecord> epochs = List.of(epoch(1, 1e-3, 2.0, .3, NaN, NaN, NaN), epoch(2, 1e-3, 1.5, NaN, NaN, NaN, NaN),
                epoch(3, 1e-3, 1.0, .6, NaN, NaN, NaN));
        XYChart loss = TrainingCurves.loss(epochs).orElseThrow();
        assertThat(loss.getSeriesMap()).containsOnlyKeys("train loss");
        XYChart accuracy = TrainingCurves.accuracy(epochs, null).orElseThrow();
        assertThat(accuracy.getSeriesMap()).containsOnlyKeys("train top-1");
        assertThat(accuracy.getSeriesMap().get("train top-1").getXData()).containsExactly(1.0, 3.0);
        assertThat(accuracy.getSeriesMap().get("train top-1").getYData()).containsExactly(30.0, 60.0);
        assertThat(TrainingCurves.accuracy(List.of(epoch(1, 1e-3, 1, NaN, NaN, NaN, NaN)), null)).isEmpty();
    }

    @Test
    void aSingleEpochAndNoEpochsAreHandled() throws Exception {
        List<Path> one = TrainingCurves.writeAll(List.of(epoch(1, 1e-3, 1.0, .5, .9, .55, .9)), null, tmp);
        assertThat(one).hasSize(3);
        for (Path png : one) {
            assertThat(ImageIO.read(png.toFile())).isNotNull();
        }
        XYChart loss = TrainingCurves.loss(List.of(epoch(1, 1e-3, 1.0, .5, .9, .55, .9))).orElseThrow();
        assertThat(loss.getStyler().getXAxisMin()).isEqualTo(0.0);
        assertThat(loss.getStyler().getXAxisMax()).isEqualTo(2.0);
        assertThat(TrainingCurves.writeAll(List.of(), null, tmp.resolve("empty"))).isEmpty();
    }

    @Test
    void theDocumentedValueIsADashedTargetLineAndStepSchedulesUseALogScale() {
        List<EpochRecord> epochs = List.of(epoch(1, 1e-2, 2, .3, 2, .3, .6), epoch(2, 1e-3, 1, .5, 1, .5, .8),
                epoch(3, 1e-4, .5, .6, .9, .55, .85));
        XYChart accuracy = TrainingCurves.accuracy(epochs, new DocumentedResult("top5", "validation", .53, null, null)).orElseThrow();
        assertThat(accuracy.getSeriesMap()).containsKey("documented validation top-5 53.00%");
        assertThat(accuracy.getSeriesMap().get("documented validation top-5 53.00%").getYData()).containsOnly(53.0);
        assertThat(TrainingCurves.learningRate(epochs).orElseThrow().getStyler().isYAxisLogarithmic()).isTrue();
        assertThat(TrainingCurves.learningRate(epochs.subList(0, 1)).orElseThrow().getStyler().isYAxisLogarithmic()).isFalse();
    }
    @Test
    void perEpochTestValuesAreDrawnAsTheirOwnLabelledCurves() {
        EpochRecord.SplitScores t1 = new EpochRecord.SplitScores(1.5, .40, .90);
        EpochRecord.SplitScores t2 = new EpochRecord.SplitScores(1.2, .52, .95);
        List<EpochRecord> scene = List.of(epoch(1, 1e-3, 2, NaN, NaN, NaN, NaN).withTest(t1),
                epoch(2, 1e-3, 1.5, NaN, NaN, NaN, NaN).withTest(t2));
        XYChart accuracy = TrainingCurves.accuracy(scene, null).orElseThrow();
        assertThat(accuracy.getSeriesMap().keySet()).containsExactly("test top-1 (per epoch)", "test top-5 (per epoch)");
        assertThat(accuracy.getSeriesMap().get("test top-1 (per epoch)").getYData()).containsExactly(40.0, 52.0);
        assertThat(TrainingCurves.loss(scene).orElseThrow().getSeriesMap().keySet())
                .containsExactly("train loss", "test loss (per epoch)");

        // Overlaid: runs with test values only are labelled by run and titled as the test split.
        XYChart testOnly = TrainingCurves.validationCurves(List.of("a", "b"), List.of(scene, scene)).orElseThrow();
        assertThat(testOnly.getTitle()).startsWith("Test top-1 per epoch");
        assertThat(testOnly.getSeriesMap().keySet()).containsExactly("a", "b");
        assertThat(testOnly.getSeriesMap().get("b").getYData()).containsExactly(40.0, 52.0);
        // Beside a run with a validation split: its validation curve solid, the test ones "– test", same colour per run.
        List<EpochRecord> both = List.of(epoch(1, 1e-3, 2, .3, 1.8, .35, .8).withTest(t1),
                epoch(2, 1e-3, 1.5, .5, 1.4, .5, .9).withTest(t2));
        XYChart mixed = TrainingCurves.validationCurves(List.of("scene", "cifar"), List.of(scene, both)).orElseThrow();
        assertThat(mixed.getTitle()).contains("validation (solid)").contains("test split (dashed)");
        assertThat(mixed.getSeriesMap().keySet()).containsExactlyInAnyOrder("scene – test", "cifar", "cifar – test");
        assertThat(mixed.getSeriesMap().get("cifar").getYData()).containsExactly(35.0, 50.0);
        assertThat(mixed.getSeriesMap().get("cifar – test").getLineColor())
                .isEqualTo(mixed.getSeriesMap().get("cifar").getLineColor())
                .isNotEqualTo(mixed.getSeriesMap().get("scene – test").getLineColor());
        // Without test values the chart is the validation one it always was.
        XYChart plain = TrainingCurves.validationCurves(List.of("cifar"),
                List.of(List.of(epoch(1, 1e-3, 2, .3, 1.8, .35, .8)))).orElseThrow();
        assertThat(plain.getTitle()).isEqualTo("Validation top-1 per epoch");
        assertThat(plain.getSeriesMap().keySet()).containsExactly("cifar");
    }
}
