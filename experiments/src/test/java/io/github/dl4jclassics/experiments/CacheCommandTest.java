package io.github.dl4jclassics.experiments;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.dl4jclassics.common.InputShape;
import io.github.dl4jclassics.common.Json;
import io.github.dl4jclassics.data.LoadOptions;
import io.github.dl4jclassics.data.readers.ImageFolderReader;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code cache} and {@code cache clean} on a temporary home folder's .dl4j-classics/cache. */
class CacheCommandTest {

    @TempDir
    Path home;

    private String savedCacheDir;

    /**
     * The cache of a temporary home folder, through the property the runs also honour. Not by changing user.home in
     * this JVM: JavaCPP keeps the native-library cache it derives from user.home on first use, for every later test.
     */
    @BeforeEach
    void useTemporaryHome() {
        savedCacheDir = System.setProperty("dl4j-classics.cache.dir", cacheDir().toString());
    }

    @AfterEach
    void restoreCacheDir() {
        if (savedCacheDir != null) {
            System.setProperty("dl4j-classics.cache.dir", savedCacheDir);
        } else {
            System.clearProperty("dl4j-classics.cache.dir");
        }
    }

    private Path cacheDir() {
        return home.resolve(".dl4j-classics").resolve("cache");
    }

    /** Decodes a 2-class folder of 16x12 PNGs into the default cache, as a run of an image-folder data set does. */
    private Path decodeFolder(String name, int perClass) throws Exception {
        Path root = home.resolve("data").resolve(name).resolve("seg_train");
        for (String cls : new String[]{"forest", "street"}) {
            for (int i = 0; i < perClass; i++) {
                BufferedImage image = new BufferedImage(16, 12, BufferedImage.TYPE_3BYTE_BGR);
                image.setRGB(i % 16, 0, 0xFF00FF);
                Path file = root.resolve(cls).resolve(i + ".png");
                Files.createDirectories(file.getParent());
                ImageIO.write(image, "png", file.toFile());
            }
        }
        assertThat(LoadOptions.defaultCacheDir()).isEqualTo(cacheDir());
        ImageFolderReader.read(ImageFolderReader.list(root, null), null,
                new LoadOptions(new InputShape(3, 8, 8), LoadOptions.defaultCacheDir(), 1L << 30), name + " train", name);
        return root;
    }

    @Test
    void listsEachEntryWithItsSourceSizeAndLastUse() throws Exception {
        assertThat(run(0, "cache")).isEqualTo("Cache " + cacheDir() + ": empty\n");
        Path scene = decodeFolder("scene", 3);
        decodeFolder("flowers", 2);

        JsonNode json = Json.mapper().readTree(run(0, "cache", "--json"));

        assertThat(json.get("directory").asText()).isEqualTo(cacheDir().toString());
        assertThat(json.get("entries")).hasSize(2);
        long total = 0;
        for (JsonNode entry : json.get("entries")) {
            total += entry.get("bytes").asLong();
            assertThat(entry.get("kind").asText()).isEqualTo("decoded");
            assertThat(entry.get("inputSize").asText()).isEqualTo("3x8x8");
            assertThat(entry.get("source").asText()).isEqualTo("UNCHANGED");
            assertThat(Instant.parse(entry.get("lastUse").asText())).isAfter(Instant.now().minusSeconds(120));
            long onDisk = 0;
            for (JsonNode file : entry.get("files")) {
                onDisk += Files.size(Path.of(file.asText()));
            }
            assertThat(entry.get("bytes").asLong()).isEqualTo(onDisk);
        }
        assertThat(json.get("totalBytes").asLong()).isEqualTo(total);
        JsonNode sceneEntry = entry(json, "scene");
        assertThat(sceneEntry.get("images").asInt()).isEqualTo(6);
        assertThat(sceneEntry.get("location").asText()).isEqualTo(scene.toAbsolutePath().normalize().toString());
        assertThat(entry(json, "flowers").get("images").asInt()).isEqualTo(4);

        // A changed source is said so in the table, with where each entry was decoded from.
        Files.delete(scene.resolve("forest/0.png"));
        String table = run(0, "cache");
        assertThat(table).contains("Cache " + cacheDir() + ": 2 entries", sceneEntry.get("id").asText(), "3x8x8",
                "CHANGED since", "unchanged", "from " + scene.toAbsolutePath().normalize() + " (scene train)");
    }

    @Test
    void cleansOneEntryOldEntriesOrAll() throws Exception {
        decodeFolder("scene", 2);
        decodeFolder("flowers", 2);
        decodeFolder("cars", 2);
        JsonNode json = Json.mapper().readTree(run(0, "cache", "--json"));
        JsonNode scene = entry(json, "scene");
        for (JsonNode file : scene.get("files")) {
            Files.setLastModifiedTime(Path.of(file.asText()), FileTime.from(Instant.now().minus(Duration.ofDays(10))));
        }

        assertThat(run(0, "cache", "clean", "--older-than", "30")).contains("Nothing to delete in " + cacheDir() + " last used more than 30 days ago");
        assertThat(run(0, "cache", "clean", "--older-than", "7")).contains("Deleted 1 entry", scene.get("id").asText());
        for (JsonNode file : scene.get("files")) {
            assertThat(Path.of(file.asText())).doesNotExist();
        }
        String flowers = entry(json, "flowers").get("id").asText();
        assertThat(run(0, "cache", "clean", flowers.substring(0, 8))).contains("Deleted 1 entry", flowers);
        json = Json.mapper().readTree(run(0, "cache", "--json"));
        assertThat(json.get("entries")).hasSize(1);
        assertThat(json.get("entries").get(0).get("dataset").asText()).isEqualTo("cars");

        assertThat(run(0, "cache", "clean", "--all")).contains("Deleted 1 entry");
        assertThat(run(0, "cache")).isEqualTo("Cache " + cacheDir() + ": empty\n");
    }

    @Test
    void cleanWithoutOrWithSeveralChoicesOrAnUnknownIdIsAClearError() throws Exception {
        decodeFolder("scene", 2);
        assertThat(runErr(2, "cache", "clean")).contains("cache clean needs one of: --all, --older-than DAYS, or an entry ID");
        assertThat(runErr(2, "cache", "clean", "--all", "--older-than", "3")).contains("only one of");
        assertThat(runErr(2, "cache", "clean", "--older-than", "-1")).contains("--older-than must be a number of days >= 0");
        assertThat(runErr(1, "cache", "clean", "zz99")).contains("no cache entry 'zz99' in " + cacheDir());
        assertThat(Json.mapper().readTree(run(0, "cache", "--json")).get("entries")).hasSize(1);
    }

    private static JsonNode entry(JsonNode json, String dataset) {
        for (JsonNode entry : json.get("entries")) {
            if (dataset.equals(entry.get("dataset").asText())) {
                return entry;
            }
        }
        throw new AssertionError("no entry of " + dataset + " in " + json);
    }

    private static String run(int expectedCode, String... args) {
        return CommandOutput.out(expectedCode, args);
    }

    private static String runErr(int expectedCode, String... args) {
        return CommandOutput.err(expectedCode, args);
    }
}
