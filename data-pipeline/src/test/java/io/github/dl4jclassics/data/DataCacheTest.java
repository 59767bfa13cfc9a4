package io.github.dl4jclassics.data;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.dl4jclassics.common.InputShape;
import io.github.dl4jclassics.data.readers.ImageFolderReader;
import io.github.dl4jclassics.data.transforms.Normalize;
import io.github.dl4jclassics.data.transforms.Resize;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The cache's entries as `cache` lists them, written by the real readers, and cleaning them. */
class DataCacheTest {

    @TempDir
    Path home;

    private Path cacheDir() {
        return home.resolve(".dl4j-classics/cache");
    }

    /** classes a, b, c with 3 PNGs of 16x12 each under {@code root}. */
    private static void writeFolder(Path root) throws Exception {
        String[] classes = {"a", "b", "c"};
        for (int c = 0; c < 3; c++) {
            for (int i = 0; i < 3; i++) {
                TestData.writeImage(root.resolve(classes[c] + "/" + i + ".png"), 16, 12, 80 * c, 20 * i, 7, "png");
            }
        }
    }

    private ImageSet readFolder(Path root) throws Exception {
        ImageFolderReader.Listing listing = ImageFolderReader.list(root, null);
        return ImageFolderReader.read(listing, null, new LoadOptions(new InputShape(3, 8, 8), cacheDir(), 1L << 30),
                "scene train", "scene").images();
    }

    private static DataCache.Entry only(List<DataCache.Entry> entries, String kind) {
        List<DataCache.Entry> found = entries.stream().filter(e -> e.kind().equals(kind)).toList();
        assertThat(found).as(kind + " entries").hasSize(1);
        return found.get(0);
    }

    @Test
    void listsADecodedImageFolderWithItsSourceSizeAndBytes() throws Exception {
        Path scene = home.resolve("data/scene/seg_train");
        writeFolder(scene);
        readFolder(scene);

        List<DataCache.Entry> entries = new DataCache(cacheDir()).entries();

        DataCache.Entry entry = only(entries, "decoded");
        assertThat(entry.dataset()).isEqualTo("scene");
        assertThat(entry.origin().location()).isEqualTo(scene.toAbsolutePath().normalize().toString());
        assertThat(entry.origin().part()).isEqualTo("scene train");
        assertThat(entry.origin().inputSize()).isEqualTo("3x8x8");
        assertThat(entry.origin().images()).isEqualTo(9);
        assertThat(entry.source()).isEqualTo(DataCache.SourceState.UNCHANGED);
        assertThat(entry.id()).hasSize(12).isHexadecimal();
        // Pixels (9 images of 3x8x8 bytes), the decoder's index and the origin: one entry, every byte counted.
        assertThat(entry.files()).hasSize(3);
        long onDisk = 0;
        for (Path file : entry.files()) {
            onDisk += Files.size(file);
        }
        assertThat(entry.bytes()).isEqualTo(onDisk).isGreaterThan(9 * 192);
        assertThat(entry.files()).anySatisfy(f -> assertThat(Files.size(f)).isEqualTo(9 * 192));
        assertThat(entry.lastUse()).isAfter(Instant.now().minusSeconds(60));
        assertThat(DataCache.totalBytes(entries)).isEqualTo(onDisk);
    }

    @Test
    void anEntryWhoseSourceChangedOrVanishedIsSaidSo() throws Exception {
        Path scene = home.resolve("data/scene/seg_train");
        writeFolder(scene);
        readFolder(scene);
        DataCache cache = new DataCache(cacheDir());

        TestData.writeImage(scene.resolve("a/new.png"), 16, 12, 1, 2, 3, "png");
        assertThat(only(cache.entries(), "decoded").source()).isEqualTo(DataCache.SourceState.CHANGED);

        // Reading the changed folder decodes it again into a second entry, the one in use.
        readFolder(scene);
        assertThat(cache.entries()).extracting(DataCache.Entry::source)
                .containsExactlyInAnyOrder(DataCache.SourceState.CHANGED, DataCache.SourceState.UNCHANGED);

        try (Stream<Path> files = Files.walk(scene)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
        assertThat(cache.entries()).extracting(DataCache.Entry::source)
                .containsOnly(DataCache.SourceState.MISSING);
    }

    @Test
    void aResizedSetTooLargeForMemoryIsListedPerSubsetWithItsStatistics() throws Exception {
        Path cifar = home.resolve("data/cifar10");
        TestData.writeFolder(cifar, TestData.cifar10Members(4, 2));
        DataConfig config = new DataConfig("cifar10", null, null, null, List.of(Resize.to(40, 40), new Normalize(null, null)));
        DataPipeline.prepare(DatasetRegistry.standard().get("cifar10"), DataFiles.of(cifar), config,
                new InputShape(3, 40, 40), PrepareOptions.defaults().withCacheDir(cacheDir()).withMemoryBudget(1000));

        List<DataCache.Entry> entries = new DataCache(cacheDir()).entries();

        List<DataCache.Entry> resized = entries.stream().filter(e -> e.kind().equals("resized")).toList();
        assertThat(resized).extracting(e -> e.origin().part()).containsExactlyInAnyOrder("train", "test");
        assertThat(resized).allSatisfy(e -> {
            assertThat(e.dataset()).isEqualTo("cifar10");
            assertThat(e.origin().location()).isEqualTo(cifar.toAbsolutePath().normalize().toString());
            assertThat(e.origin().inputSize()).isEqualTo("3x40x40");
            assertThat(e.source()).isEqualTo(DataCache.SourceState.UNCHANGED);
        });
        assertThat(resized).filteredOn(e -> e.origin().part().equals("train"))
                .singleElement().satisfies(e -> assertThat(e.origin().images()).isEqualTo(20));
        DataCache.Entry statistics = only(entries, "statistics");
        assertThat(statistics.dataset()).isEqualTo("cifar10");
        assertThat(statistics.source()).isEqualTo(DataCache.SourceState.NOT_RECORDED);
        assertThat(statistics.description()).isNotBlank();
    }

    @Test
    void aCacheHitRenewsTheLastUse() throws Exception {
        Path scene = home.resolve("data/scene/seg_train");
        writeFolder(scene);
        readFolder(scene);
        DataCache cache = new DataCache(cacheDir());
        Instant old = Instant.now().minus(Duration.ofDays(40));
        age(only(cache.entries(), "decoded"), old);
        assertThat(only(cache.entries(), "decoded").lastUse()).isBefore(Instant.now().minus(Duration.ofDays(39)));

        readFolder(scene);

        assertThat(only(cache.entries(), "decoded").lastUse()).isAfter(Instant.now().minusSeconds(60));
    }

    @Test
    void cleansByAgeById() throws Exception {
        Path scene = home.resolve("data/scene/seg_train");
        Path other = home.resolve("data/other/train");
        writeFolder(scene);
        writeFolder(other);
        readFolder(scene);
        readFolder(other);
        DataCache cache = new DataCache(cacheDir());
        List<DataCache.Entry> entries = cache.entries();
        assertThat(entries).hasSize(2);
        DataCache.Entry stale = entries.stream().filter(e -> e.origin().location().contains("scene")).findFirst().orElseThrow();
        age(stale, Instant.now().minus(Duration.ofDays(31)));

        List<DataCache.Entry> old = DataCache.lastUsedBefore(cache.entries(), Instant.now().minus(Duration.ofDays(30)));
        assertThat(old).extracting(DataCache.Entry::id).containsExactly(stale.id());
        assertThat(cache.remove(old)).isEqualTo(stale.bytes());
        assertThat(stale.files()).allSatisfy(f -> assertThat(f).doesNotExist());
        assertThat(cache.entries()).extracting(DataCache.Entry::id).doesNotContain(stale.id()).hasSize(1);

        DataCache.Entry left = cache.entries().get(0);
        assertThat(DataCache.matching(cache.entries(), left.id().substring(0, 6))).containsExactly(left);
        assertThat(DataCache.matching(cache.entries(), "zz")).isEmpty();
        cache.remove(DataCache.matching(cache.entries(), left.id()));
        assertThat(cache.entries()).isEmpty();
    }

    @Test
    void entriesWrittenBeforeOriginsWereRecordedAndAMissingCacheAreListedToo() throws Exception {
        DataCache cache = new DataCache(cacheDir());
        assertThat(cache.entries()).isEmpty();
        Path pixels = cacheDir().resolve("pixels/0123456789abcdef0123.u8");
        Files.createDirectories(pixels.getParent());
        Files.write(pixels, new byte[300]);
        Files.write(cacheDir().resolve("pixels/0123456789abcdef0123.u8.part"), new byte[10]);
        new CacheOrigin("fashion-mnist-sample", "classpath:datasets/sample", null, "train", "1x28x28", 3)
                .writeBeside(cacheDir().resolve("pixels/fedcba9876543210.u8"));
        Files.write(cacheDir().resolve("pixels/fedcba9876543210.u8"), new byte[5]);

        List<DataCache.Entry> entries = cache.entries();

        assertThat(entries).hasSize(2);
        assertThat(entries.get(0).id()).isEqualTo("0123456789ab");
        assertThat(entries.get(0).bytes()).isEqualTo(310);
        assertThat(entries.get(0).source()).isEqualTo(DataCache.SourceState.NOT_RECORDED);
        assertThat(entries.get(0).dataset()).isNull();
        assertThat(entries.get(1).source()).isEqualTo(DataCache.SourceState.NOT_CHECKED);
        assertThat(entries.get(1).dataset()).isEqualTo("fashion-mnist-sample");
    }

    private static void age(DataCache.Entry entry, Instant when) throws Exception {
        for (Path file : entry.files()) {
            Files.setLastModifiedTime(file, FileTime.from(when));
        }
    }
}
