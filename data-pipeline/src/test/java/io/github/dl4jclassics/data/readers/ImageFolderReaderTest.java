package io.github.dl4jclassics.data.readers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.dl4jclassics.data.DataConfig;
import io.github.dl4jclassics.data.DataFiles;
import io.github.dl4jclassics.data.DataFormatException;
import io.github.dl4jclassics.data.DatasetRegistry;
import io.github.dl4jclassics.data.ImageSet;
import io.github.dl4jclassics.data.LoadOptions;
import io.github.dl4jclassics.data.Subset;
import io.github.dl4jclassics.data.TestData;
import io.github.dl4jclassics.data.datasets.ImageFolderDataset;
import io.github.dl4jclassics.common.InputShape;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageFolderReaderTest {

    @TempDir
    Path dir;
    @TempDir
    Path cache;

    private static final DataConfig SCENE = new DataConfig("scene", null, null, null, null);

    private LoadOptions options(Integer size) {
        return new LoadOptions(size == null ? null : new InputShape(3, size, size), cache, 1L << 30);
    }

    /** seg_train/{street,forest,buildings} with 3, 2, 1 PNGs of distinct colours; seg_test with 1 each. */
    private void writeScene(Path root) throws Exception {
        String[] classes = {"street", "forest", "buildings"};
        int[][] colours = {{250, 10, 20}, {5, 200, 30}, {40, 60, 240}};
        for (int c = 0; c < 3; c++) {
            for (int i = 0; i < 3 - c; i++) {
                TestData.writeImage(root.resolve("seg_train/" + classes[c] + "/" + i + ".png"), 16, 12,
                        colours[c][0], colours[c][1], colours[c][2], "png");
            }
            TestData.writeImage(root.resolve("seg_test/" + classes[c] + "/t.png"), 16, 12,
                    colours[c][0], colours[c][1], colours[c][2], "png");
        }
    }

    @Test
    void classNamesAreSortedFolderNamesAndPixelsAreRgb() throws Exception {
        writeScene(dir);
        ImageFolderDataset scene = ImageFolderDataset.scene();
        assertThat(scene.isPresent(DataFiles.of(dir))).isTrue();

        ImageSet train = scene.read(DataFiles.of(dir), Subset.TRAIN, SCENE, options(null));

        assertThat(train.classNames()).containsExactly("buildings", "forest", "street");
        assertThat(train.size()).isEqualTo(6);
        assertThat(train.labels()).containsExactly(0, 1, 1, 2, 2, 2);
        assertThat(train.shape()).isEqualTo(new InputShape(3, 12, 16));
        // street is (250, 10, 20): red first.
        assertThat(new int[]{train.pixel(5, 0, 3, 3), train.pixel(5, 1, 3, 3), train.pixel(5, 2, 3, 3)})
                .containsExactly(250, 10, 20);
        assertThat(new int[]{train.pixel(0, 0, 0, 0), train.pixel(0, 1, 0, 0), train.pixel(0, 2, 0, 0)})
                .containsExactly(40, 60, 240);
        ImageSet test = scene.read(DataFiles.of(dir), Subset.TEST, SCENE, options(null));
        assertThat(test.size()).isEqualTo(3);
        assertThat(test.classNames()).isEqualTo(train.classNames());
    }

    @Test
    void resizesWhileLoadingAndReadsJpegAndTheRepositoryLayout() throws Exception {
        // The notes' repository: train/ and val/, PNG and JPEG mixed, nested like Kaggle's seg_train/seg_train.
        TestData.writeImage(dir.resolve("train/train/a/x.jpg"), 40, 30, 200, 100, 50, "jpg");
        TestData.writeImage(dir.resolve("train/train/b/y.png"), 20, 20, 0, 0, 255, "png");
        TestData.writeImage(dir.resolve("val/a/x.png"), 8, 8, 1, 2, 3, "png");
        TestData.writeImage(dir.resolve("val/b/y.png"), 8, 8, 1, 2, 3, "png");

        ImageSet train = ImageFolderDataset.scene().read(DataFiles.of(dir), Subset.TRAIN, SCENE, options(8));

        assertThat(train.shape()).isEqualTo(new InputShape(3, 8, 8));
        assertThat(train.classNames()).containsExactly("a", "b");
        // JPEG is lossy: the solid colour comes back within a few levels.
        assertThat(train.pixel(0, 0, 4, 4)).isBetween(195, 205);
        assertThat(train.pixel(0, 1, 4, 4)).isBetween(95, 105);
        assertThat(train.pixel(0, 2, 4, 4)).isBetween(45, 55);
        assertThat(train.pixel(1, 2, 7, 7)).isEqualTo(255);
    }

    @Test
    void emptyClassFolderFailsNamingIt() throws Exception {
        writeScene(dir);
        Files.createDirectories(dir.resolve("seg_train/sea"));
        Files.writeString(dir.resolve("seg_train/sea/notes.txt"), "not an image");

        assertThatThrownBy(() -> ImageFolderDataset.scene().read(DataFiles.of(dir), Subset.TRAIN, SCENE, options(8)))
                .isInstanceOf(DataFormatException.class)
                .hasMessageContaining("class folder " + dir.resolve("seg_train/sea") + " is empty");
    }

    @Test
    void testFolderWithOtherClassesFails() throws Exception {
        writeScene(dir);
        TestData.writeImage(dir.resolve("seg_test/glacier/g.png"), 4, 4, 1, 1, 1, "png");

        assertThatThrownBy(() -> ImageFolderDataset.scene().read(DataFiles.of(dir), Subset.TEST, SCENE, options(8)))
                .hasMessageContaining(dir.resolve("seg_test").toString())
                .hasMessageContaining("differ from the training classes");
    }

    @Test
    void unreadableImageIsSkippedWithWarningAndCounted() throws Exception {
        writeScene(dir);
        Files.write(dir.resolve("seg_train/forest/broken.jpg"), new byte[]{(byte) 0xFF, (byte) 0xD8, 1, 2, 3});
        ImageFolderReader.Listing listing = ImageFolderReader.list(dir.resolve("seg_train"), null);
        assertThat(listing.size()).isEqualTo(7);

        ImageFolderReader.Result result = ImageFolderReader.read(listing, null, options(8), "scene train");

        assertThat(result.skipped()).hasSize(1);
        assertThat(result.skipped().get(0)).contains("broken.jpg");
        assertThat(result.images().size()).isEqualTo(6);
        assertThat(result.images().labels()).containsExactly(0, 1, 1, 2, 2, 2);
        assertThat(result.images().pixel(1, 1, 0, 0)).isEqualTo(200); // forest's green survived the skip
    }

    @Test
    void chunksOfOneClassKeepTheGlobalLabelsAndColours() throws Exception {
        // 3 classes x 150 images: the 128-image decoding chunks hold one class each, or two.
        int[][] colours = {{250, 10, 20}, {5, 200, 30}, {40, 60, 240}};
        for (int c = 0; c < 3; c++) {
            for (int i = 0; i < 150; i++) {
                TestData.writeImage(dir.resolve("seg_train/k" + c + "/" + String.format("%03d", i) + ".png"), 4, 4,
                        colours[c][0], colours[c][1], colours[c][2], "png");
            }
        }
        ImageFolderReader.Result result = ImageFolderReader.read(ImageFolderReader.list(dir.resolve("seg_train"), null),
                null, options(4), "many");
        ImageSet images = result.images();
        assertThat(images.size()).isEqualTo(450);
        for (int n = 0; n < 450; n++) {
            int c = n / 150;
            assertThat(images.label(n)).isEqualTo(c);
            assertThat(new int[]{images.pixel(n, 0, 2, 2), images.pixel(n, 1, 2, 2), images.pixel(n, 2, 2, 2)})
                    .containsExactly(colours[c]);
        }
    }

    /** A JPEG or PNG cut short decodes "fine" in OpenCV (grey rows); it must be skipped, named, never used. */
    @Test
    void truncatedJpegAndPngAreSkippedAndNamed() throws Exception {
        writeScene(dir);
        Path jpeg = dir.resolve("seg_train/forest/cut.jpg");
        TestData.writeImage(jpeg, 64, 48, 5, 200, 30, "jpg");
        Path png = dir.resolve("seg_train/street/cut.png");
        TestData.writeImage(png, 64, 48, 250, 10, 20, "png");
        byte[] jpegBytes = Files.readAllBytes(jpeg);
        byte[] pngBytes = Files.readAllBytes(png);
        Files.write(jpeg, java.util.Arrays.copyOf(jpegBytes, jpegBytes.length * 2 / 3));
        Files.write(png, java.util.Arrays.copyOf(pngBytes, pngBytes.length - 20));
        Path whole = dir.resolve("seg_train/forest/whole.jpg");
        Files.write(whole, jpegBytes);

        ImageFolderReader.Result result = ImageFolderReader.read(ImageFolderReader.list(dir.resolve("seg_train"), null),
                null, options(8), "scene train");

        assertThat(result.skipped()).hasSize(2);
        assertThat(result.skipped().get(0)).contains(jpeg.toString()).contains("truncated JPEG");
        assertThat(result.skipped().get(1)).contains(png.toString()).contains("truncated PNG");
        assertThat(result.images().size()).isEqualTo(7); // the 6 and the complete JPEG
        assertThat(ImageFileCheck.problem(whole)).isNull();
    }

    @Test
    void classWithOnlyUnreadableImagesFails() throws Exception {
        writeScene(dir);
        Files.write(dir.resolve("seg_train/zebra.png"), new byte[0]);
        Files.createDirectories(dir.resolve("seg_train/zz"));
        Files.write(dir.resolve("seg_train/zz/a.png"), new byte[]{1, 2, 3});

        assertThatThrownBy(() -> ImageFolderReader.read(ImageFolderReader.list(dir.resolve("seg_train"), null), null,
                options(8), "x"))
                .hasMessageContaining("class folder " + dir.resolve("seg_train/zz") + " has no readable image");
    }

    @Test
    void imagesOfDifferentSizesWithoutResizeFailWithAHint() throws Exception {
        writeScene(dir);
        TestData.writeImage(dir.resolve("seg_train/forest/big.png"), 30, 30, 1, 1, 1, "png");

        assertThatThrownBy(() -> ImageFolderDataset.scene().read(DataFiles.of(dir), Subset.TRAIN, SCENE, options(null)))
                .hasMessageContaining("big.png is 30x30")
                .hasMessageContaining("\"resize\"");
    }

    @Test
    void aDataDirectoryOfOtherDataSetsIsNotAnImageFolder() throws Exception {
        // e.g. a data directory holding fashion-mnist/ with IDX files: sub-folders, but no images in them.
        Files.createDirectories(dir.resolve("fashion-mnist"));
        Files.write(dir.resolve("fashion-mnist/train-images-idx3-ubyte.gz"), new byte[]{1, 2, 3});
        var source = DatasetRegistry.standard().get("image-folder");
        assertThat(source.isPresent(DataFiles.of(dir))).isFalse();

        TestData.writeImage(dir.resolve("cats/0.png"), 4, 4, 1, 0, 0, "png");
        assertThat(source.isPresent(DataFiles.of(dir))).isTrue();
    }

    @Test
    void singleFolderIsSplitByFractionStably() throws Exception {
        for (int i = 0; i < 10; i++) {
            TestData.writeImage(dir.resolve("cats/" + i + ".png"), 4, 4, i, 0, 0, "png");
            TestData.writeImage(dir.resolve("dogs/" + i + ".png"), 4, 4, 0, i, 0, "png");
        }
        DataConfig config = new DataConfig("image-folder", null, null, null, null, 0.25, 7L, null, null);
        var source = DatasetRegistry.standard().get("image-folder");
        assertThat(source.isPresent(DataFiles.of(dir))).isTrue();

        ImageSet train = source.read(DataFiles.of(dir), Subset.TRAIN, config, options(null));
        ImageSet test = source.read(DataFiles.of(dir), Subset.TEST, config, options(null));
        ImageSet testAgain = source.read(DataFiles.of(dir), Subset.TEST, config, new LoadOptions(null, null, 1 << 20));

        assertThat(train.size()).isEqualTo(15);
        assertThat(test.size()).isEqualTo(5);
        assertThat(testAgain.labels()).containsExactly(test.labels());
        for (int i = 0; i < 5; i++) {
            assertThat(testAgain.imageBytes(i)).isEqualTo(test.imageBytes(i));
        }
        assertThatThrownBy(() -> source.read(DataFiles.of(dir), Subset.TRAIN,
                new DataConfig("image-folder", null, null, null, null), options(null)))
                .hasMessageContaining("set data.testFraction");
    }

    @Test
    void decodedImagesAreCachedOnDiskAndReused() throws Exception {
        writeScene(dir);
        ImageFolderReader.Listing listing = ImageFolderReader.list(dir.resolve("seg_train"), null);
        ImageSet first = ImageFolderReader.read(listing, null, options(8), "first").images();
        long cached;
        try (Stream<Path> files = Files.list(cache.resolve("images"))) {
            cached = files.filter(p -> p.toString().endsWith(".u8")).count();
        }
        assertThat(cached).isEqualTo(1);

        ImageSet second = ImageFolderReader.read(listing, null, options(8), "second").images();
        assertThat(second.labels()).containsExactly(first.labels());
        for (int i = 0; i < first.size(); i++) {
            assertThat(second.imageBytes(i)).isEqualTo(first.imageBytes(i));
        }
        // A memory budget too small for the set: the same cache is memory-mapped instead of read.
        ImageSet mapped = ImageFolderReader.read(listing, null, new LoadOptions(new InputShape(3, 8, 8), cache, 10),
                "mapped").images();
        assertThat(mapped.onDisk()).isTrue();
        assertThat(mapped.imageBytes(5)).isEqualTo(first.imageBytes(5));
    }
}
