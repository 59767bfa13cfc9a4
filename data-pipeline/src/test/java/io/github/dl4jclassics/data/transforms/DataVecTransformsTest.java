package io.github.dl4jclassics.data.transforms;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.github.dl4jclassics.data.readers.RecordReaderImages.ChannelOrder;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import javax.imageio.ImageIO;
import org.datavec.api.io.labels.ParentPathLabelGenerator;
import org.datavec.api.split.FileSplit;
import org.datavec.image.recordreader.ImageRecordReader;
import org.datavec.image.transform.ImageTransform;
import org.deeplearning4j.datasets.datavec.RecordReaderDataSetIterator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;

/** The project's augmentations as DataVec ImageTransforms, in a plain DataVec pipeline (no project reader). */
class DataVecTransformsTest {

    @TempDir
    Path dir;

    /** {@code count} PNGs of 6x4 (width x height) whose red channel is 40 * x and green 200, blue 10 + 20 * y. */
    private Path writeGradients(int count) throws Exception {
        for (int i = 0; i < count; i++) {
            BufferedImage image = new BufferedImage(6, 4, BufferedImage.TYPE_3BYTE_BGR);
            for (int y = 0; y < 4; y++) {
                for (int x = 0; x < 6; x++) {
                    image.setRGB(x, y, (40 * x) << 16 | 200 << 8 | (10 + 20 * y));
                }
            }
            Path file = dir.resolve("class" + (i % 2)).resolve(String.format("%03d.png", i));
            Files.createDirectories(file.getParent());
            ImageIO.write(image, "png", file.toFile());
        }
        return dir;
    }

    /** All images of the folder through ImageRecordReader (BGR, 0..255) with {@code transform}. */
    private INDArray read(ImageTransform transform, int count) throws Exception {
        ImageRecordReader reader = transform == null
                ? new ImageRecordReader(4, 6, 3, new ParentPathLabelGenerator())
                : new ImageRecordReader(4, 6, 3, new ParentPathLabelGenerator(), transform);
        reader.initialize(new FileSplit(dir.toFile(), new String[]{"png"}));
        DataSet all = new RecordReaderDataSetIterator(reader, count, 1, 2).next();
        return all.getFeatures();
    }

    @Test
    void horizontalFlipWithProbabilityOneMirrorsEveryImageAndZeroNone() throws Exception {
        writeGradients(4);
        INDArray plain = read(null, 4);
        INDArray flipped = read(DataVecTransforms.horizontalFlip(1.0, 7), 4);
        INDArray untouched = read(DataVecTransforms.horizontalFlip(0.0, 7), 4);
        // Channel 2 is red in DataVec's BGR order: 40 * x, so mirrored it is 40 * (5 - x).
        assertThat(plain.getDouble(0, 2, 1, 0)).isEqualTo(0.0);
        assertThat(plain.getDouble(0, 2, 1, 5)).isEqualTo(200.0);
        for (int n = 0; n < 4; n++) {
            for (int x = 0; x < 6; x++) {
                assertThat(flipped.getDouble(n, 2, 3, x)).isEqualTo(40.0 * (5 - x));
                assertThat(flipped.getDouble(n, 0, 3, x)).isEqualTo(70.0); // blue depends on y only
            }
        }
        assertThat(untouched).isEqualTo(plain);
    }

    @Test
    void horizontalFlipWithProbabilityHalfFlipsAboutHalfTheImages() throws Exception {
        writeGradients(200);
        INDArray flipped = read(DataVecTransforms.horizontalFlip(0.5, 11), 200);
        int mirrored = 0;
        for (int n = 0; n < 200; n++) {
            mirrored += flipped.getDouble(n, 2, 0, 0) == 200.0 ? 1 : 0;
        }
        assertThat(mirrored).isBetween(75, 125);
    }

    @Test
    void pcaColourAddsTheEigenShiftPerImageInBgrOrder() throws Exception {
        writeGradients(2);
        PcaEigen eigen = PcaEigen.decompose(new double[][]{{0.04, 0.01, 0.0}, {0.01, 0.03, 0.0}, {0.0, 0.0, 0.01}});
        INDArray plain = read(null, 2);
        INDArray shifted = read(new PcaColourImageTransform(new Random(5), eigen, 0.1, ChannelOrder.BGR), 2);

        // The same draws the transform makes: three N(0, 0.1) per image, one image after the other. FileSplit's
        // order is the file system's, and RecordReaderDataSetIterator reads the first record once more (to learn the
        // shapes, then resets), so each image is matched against the first three draws.
        Random random = new Random(5);
        PcaColour pca = new PcaColour(0.1, eigen);
        double[][] draws = new double[3][];
        for (int k = 0; k < 3; k++) {
            draws[k] = pca.shiftFor(new double[]{random.nextGaussian() * 0.1, random.nextGaussian() * 0.1,
                    random.nextGaussian() * 0.1});
            assertThat(Math.abs(draws[k][0])).isGreaterThan(0.01);
        }
        boolean[] used = new boolean[3];
        for (int n = 0; n < 2; n++) {
            // DataVec channel c is BGR: blue = 0, red = 2; the red shift is in channel 2.
            double redShift = shifted.getDouble(n, 2, 0, 0) - plain.getDouble(n, 2, 0, 0);
            int k = 0;
            while (k < 2 && Math.abs(redShift - draws[k][0]) > 1e-3) {
                k++;
            }
            assertThat(used[k]).isFalse();
            used[k] = true;
            for (int c = 0; c < 3; c++) {
                for (int y = 0; y < 4; y++) {
                    for (int x = 0; x < 6; x++) {
                        assertThat(shifted.getDouble(n, c, y, x) - plain.getDouble(n, c, y, x))
                                .isCloseTo(draws[k][2 - c], within(1e-3));
                    }
                }
            }
        }
        assertThat(used[1] && used[2]).isTrue(); // one draw per image
    }

    @Test
    void paddedRandomCropKeepsTheSizeAndShowsTheZeroBorder() throws Exception {
        writeGradients(40);
        INDArray cropped = read(new PaddedRandomCropTransform(new Random(3), 4, 6, 2), 40);
        assertThat(cropped.shape()).containsExactly(40, 3, 4, 6);
        int shifted = 0;
        for (int n = 0; n < 40; n++) {
            // Green is 200 everywhere in the image, so 0 green means padding came into the window.
            boolean padded = false;
            for (int y = 0; y < 4; y++) {
                for (int x = 0; x < 6; x++) {
                    padded |= cropped.getDouble(n, 1, y, x) == 0.0;
                }
            }
            shifted += padded ? 1 : 0;
        }
        // 25 window positions, 1 without padding: nearly every image shows some.
        assertThat(shifted).isGreaterThan(30);
    }

    @Test
    void aRecipeBecomesOneDataVecPipeline() throws Exception {
        writeGradients(4);
        ImageTransform recipe = DataVecTransforms.training(List.of(new Normalize(null, null), new HorizontalFlip(1.0),
                new Mixup(0.2)), null, 1);
        INDArray out = read(recipe, 4);
        assertThat(out.getDouble(0, 2, 0, 0)).isEqualTo(200.0); // flipped; normalize and mixup are not image steps
    }
}
