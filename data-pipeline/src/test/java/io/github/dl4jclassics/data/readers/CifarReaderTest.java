package io.github.dl4jclassics.data.readers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.dl4jclassics.data.DataConfig;
import io.github.dl4jclassics.data.DataFiles;
import io.github.dl4jclassics.data.DataFormatException;
import io.github.dl4jclassics.data.DatasetRegistry;
import io.github.dl4jclassics.data.DatasetSource;
import io.github.dl4jclassics.data.ImageSet;
import io.github.dl4jclassics.data.Subset;
import io.github.dl4jclassics.data.TestData;
import io.github.dl4jclassics.data.datasets.CifarDataset;
import io.github.dl4jclassics.common.InputShape;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CifarReaderTest {

    @TempDir
    Path dir;

    private static final DataConfig CIFAR10 = new DataConfig("cifar10", null, null, null, null);

    @Test
    void readsCifar10FolderWithRgbPlanesLabelsAndClassNames() throws Exception {
        Map<String, byte[]> members = TestData.cifar10Members(4, 3);
        TestData.writeFolder(dir.resolve("cifar-10-batches-bin"), members);
        DatasetSource source = DatasetRegistry.standard().get("cifar10");
        DataFiles files = DataFiles.of(dir);
        assertThat(source.isPresent(files)).isTrue();

        ImageSet train = source.read(files, Subset.TRAIN, CIFAR10);
        ImageSet test = source.read(files, Subset.TEST, CIFAR10);

        assertThat(train.size()).isEqualTo(20);
        assertThat(test.size()).isEqualTo(3);
        assertThat(train.shape()).isEqualTo(new InputShape(3, 32, 32));
        assertThat(train.classNames()).hasSize(10).startsWith("airplane", "automobile").endsWith("truck");
        // Record 1 of data_batch_2 is example 4 + 1 = 5; its label is (2*7+1) % 10 = 5.
        byte[] batch2 = members.get("data_batch_2.bin");
        int record = 1;
        int offset = record * 3073;
        assertThat(train.label(5)).isEqualTo(batch2[offset] & 0xFF).isEqualTo(5);
        // Red plane first, then green, then blue, each row-major 32x32.
        assertThat(train.pixel(5, 0, 0, 0)).isEqualTo(batch2[offset + 1] & 0xFF);
        assertThat(train.pixel(5, 0, 3, 7)).isEqualTo(batch2[offset + 1 + 3 * 32 + 7] & 0xFF);
        assertThat(train.pixel(5, 1, 3, 7)).isEqualTo(batch2[offset + 1 + 1024 + 3 * 32 + 7] & 0xFF);
        assertThat(train.pixel(5, 2, 31, 31)).isEqualTo(batch2[offset + 1 + 2048 + 1023] & 0xFF);
    }

    @Test
    void readsTheOfficialTarGzDirectlyWithTheSameResult() throws Exception {
        Map<String, byte[]> members = TestData.cifar10Members(2, 2);
        TestData.writeFolder(dir.resolve("folder/cifar-10-batches-bin"), members);
        TestData.writeTarGz(dir.resolve("archive/cifar-10-binary.tar.gz"), "cifar-10-batches-bin", members);
        DatasetSource source = CifarDataset.cifar10();

        ImageSet fromFolder = source.read(DataFiles.of(dir.resolve("folder")), Subset.TRAIN, CIFAR10);
        ImageSet fromArchive = source.read(DataFiles.of(dir.resolve("archive")), Subset.TRAIN, CIFAR10);

        assertThat(fromArchive.size()).isEqualTo(10);
        assertThat(fromArchive.labels()).containsExactly(fromFolder.labels());
        for (int i = 0; i < 10; i++) {
            assertThat(fromArchive.imageBytes(i)).isEqualTo(fromFolder.imageBytes(i));
        }
        assertThat(fromArchive.description()).contains("cifar-10-binary.tar.gz!cifar-10-batches-bin/");
    }

    @Test
    void truncatedBatchFailsNamingTheFile() throws Exception {
        Map<String, byte[]> members = TestData.cifar10Members(3, 2);
        members.put("data_batch_3.bin", Arrays.copyOf(members.get("data_batch_3.bin"), 3073 * 2 + 1000));
        TestData.writeFolder(dir, members);

        assertThatThrownBy(() -> CifarDataset.cifar10().read(DataFiles.of(dir), Subset.TRAIN, CIFAR10))
                .isInstanceOf(DataFormatException.class)
                .hasMessageContaining(dir.resolve("data_batch_3.bin").toString())
                .hasMessageContaining("7146 bytes is not a whole number of 3073-byte records")
                .hasMessageContaining("record 2 is incomplete");
    }

    @Test
    void labelOutOfRangeFailsNamingFileAndRecord() throws Exception {
        Map<String, byte[]> members = TestData.cifar10Members(3, 2);
        members.get("test_batch.bin")[3073] = 10; // record 1's label byte
        TestData.writeFolder(dir, members);

        assertThatThrownBy(() -> CifarDataset.cifar10().read(DataFiles.of(dir), Subset.TEST, CIFAR10))
                .isInstanceOf(DataFormatException.class)
                .hasMessageContaining(dir.resolve("test_batch.bin").toString())
                .hasMessageContaining("record 1 has label 10, out of range 0..9");
    }

    @Test
    void missingBatchFailsNamingIt() throws Exception {
        Map<String, byte[]> members = TestData.cifar10Members(3, 2);
        members.remove("data_batch_4.bin");
        TestData.writeFolder(dir, members);

        assertThatThrownBy(() -> CifarDataset.cifar10().read(DataFiles.of(dir), Subset.TRAIN, CIFAR10))
                .isInstanceOf(DataFormatException.class)
                .hasMessageContaining("missing CIFAR file " + dir.resolve("data_batch_4.bin"));
    }

    @Test
    void truncatedArchiveFailsNamingIt() throws Exception {
        TestData.writeTarGz(dir.resolve("full.tar.gz"), "cifar-10-batches-bin", TestData.cifar10Members(3, 2));
        byte[] archive = Files.readAllBytes(dir.resolve("full.tar.gz"));
        Files.write(dir.resolve("cifar-10-binary.tar.gz"), Arrays.copyOf(archive, archive.length / 2));

        assertThatThrownBy(() -> CifarDataset.cifar10().read(DataFiles.of(dir), Subset.TRAIN, CIFAR10))
                .isInstanceOf(DataFormatException.class)
                .hasMessageContaining(dir.resolve("cifar-10-binary.tar.gz").toString());
    }

    @Test
    void cifar100GivesFineOrCoarseLabelsByManifest() throws Exception {
        Map<String, byte[]> members = TestData.cifar100Members(30, 7);
        TestData.writeTarGz(dir.resolve("cifar-100-binary.tar.gz"), "cifar-100-binary", members);
        DatasetSource source = DatasetRegistry.standard().get("cifar100");
        DataFiles files = DataFiles.of(dir);

        ImageSet fine = source.read(files, Subset.TRAIN, new DataConfig("cifar100", null, null, null, null));
        ImageSet coarse = source.read(files, Subset.TRAIN, new DataConfig("cifar100", null, "coarse", null, null));

        assertThat(fine.numClasses()).isEqualTo(100);
        assertThat(coarse.numClasses()).isEqualTo(20);
        assertThat(fine.classNames().get(42)).isEqualTo("fine42");
        assertThat(coarse.classNames().get(7)).isEqualTo("coarse7");
        for (int i = 0; i < 30; i++) {
            assertThat(fine.label(i)).isEqualTo((i * 3) % 100);
            assertThat(coarse.label(i)).isEqualTo(i % 20);
        }
        // Pixels follow the two label bytes.
        assertThat(fine.pixel(4, 0, 0, 0)).isEqualTo(members.get("train.bin")[4 * 3074 + 2] & 0xFF);
        assertThat(source.read(files, Subset.TEST, new DataConfig("cifar100", null, null, null, null)).size()).isEqualTo(7);
    }

    @Test
    void cifar100FineLabelOutOfRangeAndWrongRecordSize() throws Exception {
        Map<String, byte[]> members = TestData.cifar100Members(5, 2);
        members.get("train.bin")[3 * 3074 + 1] = (byte) 100;
        TestData.writeFolder(dir.resolve("cifar-100-binary"), members);
        DataFiles files = DataFiles.of(dir);

        assertThatThrownBy(() -> CifarDataset.cifar100().read(files, Subset.TRAIN,
                new DataConfig("cifar100", null, "fine", null, null)))
                .hasMessageContaining("cifar-100-binary/train.bin")
                .hasMessageContaining("record 3 has label 100, out of range 0..99");
        // A CIFAR-10 batch (3,073-byte records) is not CIFAR-100 (3,074-byte records).
        Files.write(dir.resolve("cifar-100-binary/test.bin"), TestData.cifarRecords(3, new int[]{1, 2, 3}, 1, 0));
        assertThatThrownBy(() -> CifarDataset.cifar100().read(files, Subset.TEST,
                new DataConfig("cifar100", null, null, null, null)))
                .hasMessageContaining("cifar-100-binary/test.bin")
                .hasMessageContaining("not a whole number of 3074-byte records");
    }
}
