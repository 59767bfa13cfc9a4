package io.github.dl4jclassics.data.transforms;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.dl4jclassics.data.DataConfig;
import io.github.dl4jclassics.data.ImageSet;
import io.github.dl4jclassics.common.InputShape;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.DataSetPreProcessor;
import org.nd4j.linalg.dataset.api.preprocessor.NormalizerStandardize;
import org.nd4j.linalg.factory.Nd4j;

class TransformsTest {

    static ImageSet randomImages(int count, InputShape shape, long seed) {
        Random random = new Random(seed);
        byte[] pixels = new byte[count * shape.size()];
        random.nextBytes(pixels);
        int[] labels = new int[count];
        for (int i = 0; i < count; i++) {
            labels[i] = i % 3;
        }
        return new ImageSet(pixels, labels, shape, List.of("a", "b", "c"), "random");
    }

    static Batch batchOf(ImageSet images) {
        float[] features = new float[images.size() * images.shape().size()];
        float[] labels = new float[images.size() * images.numClasses()];
        for (int i = 0; i < images.size(); i++) {
            images.copyImage(i, features, i * images.shape().size());
            labels[i * images.numClasses() + images.label(i)] = 1;
        }
        return new Batch(features, images.shape(), labels, images.size(), images.numClasses());
    }

    @Test
    void channelStatisticsMatchADirectComputation() {
        ImageSet images = randomImages(7, new InputShape(3, 5, 4), 1);
        ChannelStatistics statistics = ChannelStatistics.compute(images);
        for (int c = 0; c < 3; c++) {
            double sum = 0;
            int n = 0;
            for (int i = 0; i < 7; i++) {
                for (int y = 0; y < 5; y++) {
                    for (int x = 0; x < 4; x++) {
                        sum += images.pixel(i, c, y, x);
                        n++;
                    }
                }
            }
            double mean = sum / n;
            double squares = 0;
            for (int i = 0; i < 7; i++) {
                for (int y = 0; y < 5; y++) {
                    for (int x = 0; x < 4; x++) {
                        squares += Math.pow(images.pixel(i, c, y, x) - mean, 2);
                    }
                }
            }
            assertThat(statistics.mean()[c]).isCloseTo(mean, within(1e-9));
            assertThat(statistics.std()[c]).isCloseTo(Math.sqrt(squares / n), within(1e-9));
        }
        // Applied by ND4J's stock NormalizerStandardize, per channel of (N, C, H, W) batches.
        Batch batch = batchOf(images);
        INDArray features = Nd4j.create(batch.features(), new long[]{7, 3, 5, 4}, 'c');
        NormalizerStandardize normalizer = Normalize.normalizer(statistics, 3);
        DataSet data = new DataSet(features, Nd4j.create(batch.labels(), new long[]{7, 3}, 'c'));
        normalizer.preProcess(data);
        for (int c = 0; c < 3; c++) {
            double expected = (images.pixel(6, c, 4, 3) - statistics.mean()[c]) / statistics.std()[c];
            assertThat(data.getFeatures().getDouble(6, c, 4, 3)).isCloseTo(expected, within(1e-4));
        }
        assertThat(Math.abs(data.getFeatures().meanNumber().doubleValue())).isLessThan(1e-4);
        assertThat(data.getFeatures().stdNumber().doubleValue()).isCloseTo(1.0, within(0.05));
    }

    @Test
    void greyStatisticsAreRepeatedForAnRgbModelInput() {
        ChannelStatistics grey = new ChannelStatistics(new double[]{72.9}, new double[]{90.0});
        NormalizerStandardize normalizer = Normalize.normalizer(grey, 3);
        assertThat(normalizer.getMean().toDoubleVector()).containsExactly(new double[]{72.9, 72.9, 72.9}, within(1e-4));
        assertThat(normalizer.getStd().toDoubleVector()).containsExactly(new double[]{90, 90, 90}, within(1e-4));
    }

    @Test
    void meanOfPerImageStdAveragesEachImagesOwnStatistics() {
        // Image 0 is all 10 in channel 0; image 1 alternates 0 and 40: per-image std 0 and 20, mean std 10.
        byte[] pixels = {10, 10, 10, 10, 0, 40, 0, 40};
        ImageSet images = new ImageSet(pixels, new int[]{0, 1}, new InputShape(1, 2, 2), List.of("a", "b"), "two");
        ChannelStatistics statistics = ChannelStatistics.computeMeanOfPerImageStd(images);
        assertThat(statistics.mean()[0]).isCloseTo(15, within(1e-9));
        assertThat(statistics.std()[0]).isCloseTo(10, within(1e-9));
        // Over every pixel: deviations from 15 are -5 (x4), -15 and 25 (x2 each): std 15.
        assertThat(ChannelStatistics.compute(images).std()[0]).isCloseTo(15, within(1e-9));
        assertThat(new Normalize(null, null, "mean-of-per-image-std").statisticsOrDefault()).isEqualTo("mean-of-per-image-std");
        assertThatThrownBy(() -> new Normalize(null, null, "per-image")).hasMessageContaining("normalize.statistics");
    }

    @Test
    void horizontalFlipMirrorsColumnsWithTheConfiguredProbability() {
        ImageSet images = randomImages(1, new InputShape(3, 2, 5), 2);
        Batch batch = batchOf(images);
        new HorizontalFlip(1.0).apply(batch, new Random(0));
        for (int c = 0; c < 3; c++) {
            for (int y = 0; y < 2; y++) {
                for (int x = 0; x < 5; x++) {
                    assertThat(batch.features()[(c * 2 + y) * 5 + x]).isEqualTo(images.pixel(0, c, y, 4 - x));
                }
            }
        }
        ImageSet many = randomImages(4000, new InputShape(1, 1, 2), 3);
        Batch big = batchOf(many);
        new HorizontalFlip(0.7).apply(big, new Random(5));
        int flipped = 0;
        int decidable = 0;
        for (int i = 0; i < 4000; i++) {
            if (many.pixel(i, 0, 0, 0) != many.pixel(i, 0, 0, 1)) {
                decidable++;
                if (big.features()[2 * i] == many.pixel(i, 0, 0, 1)) {
                    flipped++;
                }
            }
        }
        assertThat((double) flipped / decidable).isCloseTo(0.7, within(0.03));
    }

    @Test
    void randomCropPadsWithZerosAndKeepsWindowsOfTheImage() {
        ImageSet images = randomImages(200, new InputShape(1, 6, 6), 4);
        Batch batch = batchOf(images);
        new RandomCrop(null, 2).apply(batch, new Random(1));
        assertThat(batch.shape()).isEqualTo(new InputShape(1, 6, 6));
        boolean sawShift = false;
        for (int n = 0; n < 200; n++) {
            // Find the offset that explains the output: every non-padding pixel equals the source pixel shifted.
            boolean explained = false;
            for (int dy = -2; dy <= 2 && !explained; dy++) {
                for (int dx = -2; dx <= 2 && !explained; dx++) {
                    boolean ok = true;
                    for (int y = 0; y < 6 && ok; y++) {
                        for (int x = 0; x < 6 && ok; x++) {
                            int sy = y + dy;
                            int sx = x + dx;
                            float expected = sy < 0 || sy >= 6 || sx < 0 || sx >= 6 ? 0 : images.pixel(n, 0, sy, sx);
                            ok = batch.features()[n * 36 + y * 6 + x] == expected;
                        }
                    }
                    if (ok) {
                        explained = true;
                        sawShift |= dx != 0 || dy != 0;
                    }
                }
            }
            assertThat(explained).as("image %d is a padded window", n).isTrue();
        }
        assertThat(sawShift).isTrue();

        RandomCrop smaller = new RandomCrop(4, 0);
        assertThat(smaller.outputShape(new InputShape(3, 6, 6))).isEqualTo(new InputShape(3, 4, 4));
        assertThat(smaller.forEvaluation()).isEqualTo(new CenterCrop(4));
        assertThat(new RandomCrop(null, 4).forEvaluation()).isNull();
    }

    @Test
    void resizeIsBilinearWithHalfPixelCentres() {
        byte[] source = {0, 100, (byte) 200, (byte) 250}; // one row of 4
        byte[] target = new byte[2];
        Bilinear.resize(source, 0, 1, 1, 4, target, 0, 1, 2);
        // Output x=0 samples source x=0.5 -> 50; x=1 samples 2.5 -> 225.
        assertThat(target[0] & 0xFF).isEqualTo(50);
        assertThat(target[1] & 0xFF).isEqualTo(225);

        ImageSet constant = new ImageSet(filled(3 * 5 * 7, 77), new int[]{0}, new InputShape(3, 5, 7), List.of("a"), "c");
        ImageSet resized = Resize.to(11, 3).apply(constant, null, 1 << 20, "k");
        assertThat(resized.shape()).isEqualTo(new InputShape(3, 11, 3));
        assertThat(resized.imageBytes(0)).containsOnly((byte) 77);
        assertThat(new Resize(null, null, null).to(new InputShape(3, 64, 48)).outputShape(new InputShape(3, 150, 150)))
                .isEqualTo(new InputShape(3, 64, 48));
    }

    static byte[] filled(int n, int value) {
        byte[] bytes = new byte[n];
        java.util.Arrays.fill(bytes, (byte) value);
        return bytes;
    }

    @Test
    void pcaEigenDecompositionReconstructsTheCovariance() {
        ImageSet images = randomImages(20, new InputShape(3, 4, 4), 6);
        double[][] covariance = PcaEigen.covariance(images);
        PcaEigen eigen = PcaEigen.decompose(covariance);
        assertThat(eigen.eigenvalues()[0]).isGreaterThanOrEqualTo(eigen.eigenvalues()[1]);
        assertThat(eigen.eigenvalues()[1]).isGreaterThanOrEqualTo(eigen.eigenvalues()[2]);
        for (int i = 0; i < 3; i++) {
            for (int j = 0; j < 3; j++) {
                double sum = 0;
                for (int k = 0; k < 3; k++) {
                    sum += eigen.eigenvalues()[k] * eigen.eigenvectors()[k][i] * eigen.eigenvectors()[k][j];
                }
                assertThat(sum).isCloseTo(covariance[i][j], within(1e-12));
            }
        }
    }

    @Test
    void pcaColourMovesPixelsAlongTheEigenvectorsAndPreservesTheMeanColourOnAverage() {
        // Strongly correlated colours: R = G = B plus small noise, so one eigenvector dominates near (1,1,1)/sqrt(3).
        Random random = new Random(7);
        int count = 3000;
        InputShape shape = new InputShape(3, 2, 2);
        byte[] pixels = new byte[count * shape.size()];
        for (int n = 0; n < count; n++) {
            for (int i = 0; i < 4; i++) {
                int grey = random.nextInt(200) + 20;
                for (int c = 0; c < 3; c++) {
                    pixels[n * 12 + c * 4 + i] = (byte) (grey + random.nextInt(11) - 5);
                }
            }
        }
        ImageSet images = new ImageSet(pixels, new int[count], shape, List.of("a"), "grey-ish");
        PcaEigen eigen = PcaEigen.compute(images);
        PcaColour pca = new PcaColour(null, eigen);
        assertThat(pca.std()).isEqualTo(0.1);

        Batch batch = batchOf(images);
        pca.apply(batch, new Random(8));
        double[] meanShift = new double[3];
        for (int n = 0; n < count; n++) {
            double[] delta = new double[3];
            for (int c = 0; c < 3; c++) {
                delta[c] = batch.features()[n * 12 + c * 4] - images.pixel(n, c, 0, 0);
                // Every pixel of an image moves by the same colour vector.
                for (int i = 1; i < 4; i++) {
                    assertThat((double) batch.features()[n * 12 + c * 4 + i] - images.pixel(n, c, i / 2, i % 2))
                            .isCloseTo(delta[c], within(1e-3));
                }
                meanShift[c] += delta[c] / count;
            }
            // The shift is sum_i alpha_i lambda_i p_i: its coordinates in the eigenbasis divided by 255 lambda_i are
            // the alphas, which must look like N(0, 0.1) draws (|alpha| < 0.6 at 6 sigma).
            for (int i = 0; i < 3; i++) {
                double coordinate = 0;
                for (int c = 0; c < 3; c++) {
                    coordinate += delta[c] * eigen.eigenvectors()[i][c];
                }
                double alpha = coordinate / (255 * eigen.eigenvalues()[i]);
                assertThat(Math.abs(alpha)).isLessThan(0.6);
            }
        }
        double typical = 0.1 * eigen.eigenvalues()[0] * 255;
        for (int c = 0; c < 3; c++) {
            assertThat(Math.abs(meanShift[c])).isLessThan(typical * 0.1); // mean colour preserved on average
        }
        // A known alpha gives exactly alpha * lambda * p (times 255).
        double[] shift = pca.shiftFor(new double[]{1, 0, 0});
        for (int c = 0; c < 3; c++) {
            assertThat(shift[c]).isCloseTo(255 * eigen.eigenvalues()[0] * eigen.eigenvectors()[0][c], within(1e-9));
            assertThat(Math.abs(eigen.eigenvectors()[0][c])).isCloseTo(1 / Math.sqrt(3), within(0.01));
        }
    }

    @Test
    void mixupIsADataSetPreProcessorMakingSoftLabelsThatSumToOne() {
        ImageSet images = randomImages(8, new InputShape(1, 2, 2), 9);
        Batch batch = batchOf(images);
        DataSet data = new DataSet(Nd4j.create(batch.features(), new long[]{8, 1, 2, 2}, 'c'),
                Nd4j.create(batch.labels(), new long[]{8, 3}, 'c'));
        DataSetPreProcessor mixup = new MixupPreProcessor(0.4, new Random(3));
        mixup.preProcess(data);
        assertThat(data.getFeatures().shape()).containsExactly(8, 1, 2, 2);
        for (int n = 0; n < 8; n++) {
            assertThat(data.getLabels().getRow(n).sumNumber().doubleValue()).isCloseTo(1, within(1e-5));
        }
        // Known lambda and permutation: x0' = 0.3 x0 + 0.7 x1.
        DataSet exact = new DataSet(Nd4j.create(batch.features(), new long[]{8, 1, 2, 2}, 'c'),
                Nd4j.create(batch.labels(), new long[]{8, 3}, 'c'));
        MixupPreProcessor.mix(exact, 0.3, new int[]{1, 0, 2, 3, 4, 5, 6, 7});
        assertThat(exact.getFeatures().getDouble(0, 0, 0, 0))
                .isCloseTo(0.3 * images.pixel(0, 0, 0, 0) + 0.7 * images.pixel(1, 0, 0, 0), within(1e-3));
        assertThat(exact.getFeatures().getDouble(2, 0, 1, 1)).isCloseTo(images.pixel(2, 0, 1, 1), within(1e-3));
        assertThat(exact.getLabels().getDouble(0, 0)).isCloseTo(0.3, within(1e-6)); // example 0 is class a, 1 class b
        assertThat(exact.getLabels().getDouble(0, 1)).isCloseTo(0.7, within(1e-6));
        double mean = 0;
        Random random = new Random(4);
        for (int i = 0; i < 20000; i++) {
            mean += Mixup.sampleBeta(random, 0.4, 0.4) / 20000;
        }
        assertThat(mean).isCloseTo(0.5, within(0.01));
    }

    @Test
    void meanOfPerImageStdStatisticsAreNote001sAlexNetStatistics() throws Exception {
        // Two images per channel with very different brightness: the per-image stds are small, the per-pixel std
        // (which includes the spread between images) is large.
        InputShape shape = new InputShape(2, 2, 2);
        byte[] pixels = {
                10, 20, 30, 40, /* c1 */ 0, 0, 0, 0,
                (byte) 200, (byte) 210, (byte) 220, (byte) 230, /* c1 */ 8, 8, 8, 8};
        ImageSet images = new ImageSet(pixels, new int[]{0, 0}, shape, List.of("a"), "two");
        ChannelStatistics note = ChannelStatistics.computeMeanOfPerImageStd(images);
        double perImageStd = Math.sqrt((15 * 15 + 5 * 5 + 5 * 5 + 15 * 15) / 4.0); // numpy's np.std of 10,20,30,40
        assertThat(note.mean()[0]).isCloseTo((25 + 215) / 2.0, within(1e-9));
        assertThat(note.std()[0]).isCloseTo(perImageStd, within(1e-9));
        assertThat(note.mean()[1]).isCloseTo(4.0, within(1e-9));
        assertThat(note.std()[1]).as("constant images: std 0, kept positive").isGreaterThan(0).isLessThan(1e-5);
        ChannelStatistics perPixel = ChannelStatistics.compute(images);
        assertThat(perPixel.std()[0]).isGreaterThan(5 * note.std()[0]);
        assertThat(ChannelStatistics.compute(images, Normalize.MEAN_OF_PER_IMAGE_STD).std()).containsExactly(note.std());
        assertThat(ChannelStatistics.compute(images, Normalize.PER_PIXEL).std()).containsExactly(perPixel.std());

        ObjectMapper json = new ObjectMapper();
        BatchTransform parsed = json.readValue("{\"type\": \"normalize\", \"statistics\": \"mean-of-per-image-std\"}",
                BatchTransform.class);
        assertThat(((Normalize) parsed).statisticsOrDefault()).isEqualTo(Normalize.MEAN_OF_PER_IMAGE_STD);
        assertThat(((Normalize) json.readValue("{\"type\": \"normalize\"}", BatchTransform.class)).statisticsOrDefault())
                .isEqualTo(Normalize.PER_PIXEL);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> json.readValue(
                        "{\"type\": \"normalize\", \"statistics\": \"std-of-means\"}", BatchTransform.class))
                .hasMessageContaining("normalize.statistics 'std-of-means'").hasMessageContaining("mean-of-per-image-std");
    }

    @Test
    void manifestTransformsRoundTripThroughJson() throws Exception {
        ObjectMapper json = new ObjectMapper();
        DataConfig config = json.readValue("""
                {"dataset": "cifar10", "labels": null,
                 "transforms": [{"type": "mixup", "alpha": 0.2}, {"type": "normalize"}, {"type": "resize", "size": 128},
                                {"type": "random-crop", "padding": 4}, {"type": "horizontal-flip", "p": 0.5},
                                {"type": "pca-colour"}, {"type": "grey-to-rgb"}],
                 "split": {"validationCount": 10000, "seed": 11}}
                """, DataConfig.class);
        assertThat(config.transforms()).hasSize(7);
        assertThat(config.transforms().get(2)).isEqualTo(new Resize(128, null, null));
        assertThat(config.transforms().get(3)).isEqualTo(new RandomCrop(null, 4));
        assertThat(config.transforms().get(5)).isEqualTo(new PcaColour(0.1, null));
        String written = json.writeValueAsString(config);
        assertThat(json.readValue(written, DataConfig.class).transforms()).isEqualTo(config.transforms());
        DataStatistics statistics = new DataStatistics(new ChannelStatistics(new double[]{1, 2, 3}, new double[]{4, 5, 6}),
                PcaEigen.decompose(new double[][]{{2, 0, 0}, {0, 1, 0}, {0, 0, 3}}));
        DataStatistics back = json.readValue(json.writeValueAsString(statistics), DataStatistics.class);
        assertThat(back.normalization().std()).containsExactly(4, 5, 6);
        assertThat(back.pca().eigenvalues()).containsExactly(3, 2, 1);
    }
}
