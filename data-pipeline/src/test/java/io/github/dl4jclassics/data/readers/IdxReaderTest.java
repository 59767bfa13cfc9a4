package io.github.dl4jclassics.data.readers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.dl4jclassics.data.DataConfig;
import io.github.dl4jclassics.data.DataFiles;
import io.github.dl4jclassics.data.DataFormatException;
import io.github.dl4jclassics.data.ImageSet;
import io.github.dl4jclassics.data.Subset;
import io.github.dl4jclassics.data.TestData;
import io.github.dl4jclassics.data.datasets.IdxDataset;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class IdxReaderTest {

    @TempDir
    Path dir;

    static byte[] idxImages(int magic, int count, int rows, int cols, int pixelBytes) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        out.writeInt(magic);
        out.writeInt(count);
        out.writeInt(rows);
        out.writeInt(cols);
        for (int i = 0; i < pixelBytes; i++) {
            out.write(i % 251);
        }
        return bytes.toByteArray();
    }

    static byte[] idxLabels(int magic, int count, int[] labels) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        out.writeInt(magic);
        out.writeInt(count);
        for (int label : labels) {
            out.write(label);
        }
        return bytes.toByteArray();
    }

    private void writeSet(byte[] trainImages, byte[] trainLabels) throws IOException {
        Files.write(dir.resolve("train-images-idx3-ubyte.gz"), TestData.gzip(trainImages));
        Files.write(dir.resolve("train-labels-idx1-ubyte"), trainLabels);
        Files.write(dir.resolve("t10k-images-idx3-ubyte"), idxImages(0x803, 1, 4, 4, 16));
        Files.write(dir.resolve("t10k-labels-idx1-ubyte"), idxLabels(0x801, 1, new int[]{3}));
    }

    @Test
    void readsGzippedAndPlainFiles() throws Exception {
        writeSet(idxImages(0x803, 3, 4, 5, 60), idxLabels(0x801, 3, new int[]{0, 9, 4}));
        ImageSet train = IdxDataset.mnist().read(DataFiles.of(dir), Subset.TRAIN, new DataConfig("mnist", null, null, null, null));
        assertThat(train.size()).isEqualTo(3);
        assertThat(train.shape().toString()).isEqualTo("1x4x5");
        assertThat(train.labels()).containsExactly(0, 9, 4);
        assertThat(train.pixel(2, 0, 3, 4)).isEqualTo(59);
    }

    @Test
    void wrongMagicNumberFailsNamingTheFile() throws Exception {
        writeSet(idxImages(0x801, 3, 4, 5, 60), idxLabels(0x801, 3, new int[]{0, 9, 4}));
        assertThatThrownBy(() -> IdxDataset.mnist().read(DataFiles.of(dir), Subset.TRAIN, null))
                .isInstanceOf(DataFormatException.class)
                .hasMessageContaining(dir.resolve("train-images-idx3-ubyte.gz").toString())
                .hasMessageContaining("magic number 0x801 is not that of an IDX image file");
    }

    @Test
    void countsThatDisagreeWithTheDataFail() throws Exception {
        writeSet(idxImages(0x803, 3, 4, 5, 50), idxLabels(0x801, 3, new int[]{0, 9, 4}));
        assertThatThrownBy(() -> IdxDataset.mnist().read(DataFiles.of(dir), Subset.TRAIN, null))
                .hasMessageContaining("train-images-idx3-ubyte.gz: truncated; header promises 3 images of 4x5 (60 bytes) but only 50 follow");

        writeSet(idxImages(0x803, 3, 4, 5, 60), idxLabels(0x801, 2, new int[]{0, 9}));
        assertThatThrownBy(() -> IdxDataset.mnist().read(DataFiles.of(dir), Subset.TRAIN, null))
                .hasMessageContaining("holds 2 labels but")
                .hasMessageContaining("holds 3 images");
    }

    @Test
    void labelOutOfRangeFails() throws Exception {
        writeSet(idxImages(0x803, 3, 4, 5, 60), idxLabels(0x801, 3, new int[]{0, 12, 4}));
        assertThatThrownBy(() -> IdxDataset.mnist().read(DataFiles.of(dir), Subset.TRAIN, null))
                .hasMessageContaining("train-labels-idx1-ubyte: label 12 of example 1 is out of range 0..9");
    }

    /** Issue #15: damaged downloads are named, with what is wrong and what to do. */
    @Test
    void emptyTruncatedAndHtmlGzipFilesAreNamedWithWhatToDo() throws Exception {
        byte[] images = TestData.gzip(idxImages(0x803, 200, 28, 28, 200 * 784));
        Path file = dir.resolve("train-images-idx3-ubyte.gz");
        String[][] cases = {
                {"empty", "the file is empty (0 bytes)"},
                {"truncated", "the file is truncated"},
                {"html", "the file is a web page (HTML), not gzip data"}};
        for (String[] c : cases) {
            writeSet(idxImages(0x803, 1, 4, 5, 20), idxLabels(0x801, 1, new int[]{1}));
            byte[] content = switch (c[0]) {
                case "empty" -> new byte[0];
                case "truncated" -> java.util.Arrays.copyOf(images, images.length / 2);
                default -> "<!DOCTYPE html>\n<html><head><title>404 Not Found</title></head></html>\n".getBytes();
            };
            Files.write(file, content);
            assertThatThrownBy(() -> IdxDataset.fashionMnist().read(DataFiles.of(dir), Subset.TRAIN, null))
                    .as(c[0])
                    .isInstanceOf(DataFormatException.class)
                    .hasMessageContaining(file.toString())
                    .hasMessageContaining(c[1])
                    .hasMessageContaining("delete it and download it again (the `download` command");
        }
    }

    @Test
    void idxRecordReaderFeedsAPlainRecordReaderDataSetIterator() throws Exception {
        writeSet(idxImages(0x803, 3, 4, 5, 60), idxLabels(0x801, 3, new int[]{0, 9, 4}));
        IdxRecordReader reader = new IdxRecordReader(java.util.List.of("0", "1", "2", "3", "4", "5", "6", "7", "8", "9"));
        // Labels first: the reader tells the two files apart by their magic numbers.
        reader.initialize(new org.datavec.api.split.CollectionInputSplit(java.util.List.of(
                dir.resolve("train-labels-idx1-ubyte").toUri(), dir.resolve("train-images-idx3-ubyte.gz").toUri())));
        org.nd4j.linalg.dataset.DataSet batch =
                new org.deeplearning4j.datasets.datavec.RecordReaderDataSetIterator(reader, 3, 1, 10).next();
        assertThat(batch.getFeatures().shape()).containsExactly(3, 1, 4, 5);
        assertThat(batch.getFeatures().getDouble(2, 0, 3, 4)).isEqualTo(59.0);
        assertThat(batch.getLabels().argMax(1).toIntVector()).containsExactly(0, 9, 4);
        assertThat(reader.getLabels()).hasSize(10);
    }

    /** The real Fashion-MNIST files shipped in ../shared/datasets (skipped where they are absent). */
    @Test
    void readsRealFashionMnist() throws Exception {
        String shared = System.getProperty("shared.dir");
        Assumptions.assumeTrue(shared != null, "shared.dir not set");
        Path folder = Path.of(shared, "datasets", "fashion-mnist");
        Assumptions.assumeTrue(Files.isDirectory(folder), "no " + folder);
        IdxDataset source = IdxDataset.fashionMnist();
        DataFiles files = DataFiles.of(folder);
        assertThat(source.isPresent(files)).isTrue();

        ImageSet train = source.read(files, Subset.TRAIN, null);
        ImageSet test = source.read(files, Subset.TEST, null);

        assertThat(train.size()).isEqualTo(60_000);
        assertThat(test.size()).isEqualTo(10_000);
        assertThat(train.shape().toString()).isEqualTo("1x28x28");
        assertThat(train.classCounts()).containsOnly(6000);
        assertThat(test.classCounts()).containsOnly(1000);
        assertThat(train.label(0)).isEqualTo(9); // the first training image is an ankle boot
        assertThat(train.classNames().get(9)).isEqualTo("Ankle boot");
    }
}
