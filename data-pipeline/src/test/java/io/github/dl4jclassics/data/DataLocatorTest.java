package io.github.dl4jclassics.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A data folder the user named that does not exist is an error naming it, not a silent fall-back elsewhere. */
class DataLocatorTest {

    private static final String SAMPLE = "classpath:datasets/fashion-mnist-sample";

    @Test
    void missingExplicitDataDirIsAnErrorEvenWhenTheDataIsElsewhere(@TempDir Path dir) throws Exception {
        Path elsewhere = dir.resolve("env");
        Files.createDirectories(elsewhere);
        Path missing = dir.resolve("typo");
        DatasetSource source = DatasetRegistry.standard().get("fashion-mnist");
        DataLocator locator = new DataLocator(missing, Map.of(DataLocator.ENVIRONMENT, elsewhere.toString()), null, dir);
        assertThatThrownBy(() -> locator.locate(source, SAMPLE)).isInstanceOf(DataNotFoundException.class)
                .hasMessageContaining("--data-dir " + missing + " does not exist")
                .hasMessageContaining("train-images-idx3-ubyte.gz");
    }

    @Test
    void missingDataDirPropertyIsNamedToo(@TempDir Path dir) {
        Path missing = dir.resolve("nowhere");
        DataLocator locator = new DataLocator(null, Map.of(), missing.toString(), dir);
        assertThatThrownBy(() -> locator.locate(DatasetRegistry.standard().get("fashion-mnist"), SAMPLE))
                .hasMessageContaining("-Ddata.dir " + missing + " does not exist");
    }

    @Test
    void anExistingExplicitFolderIsSearchedFirst(@TempDir Path dir) throws Exception {
        DatasetSource source = DatasetRegistry.standard().get("fashion-mnist");
        Path given = dir.resolve("given");
        Files.createDirectories(given.resolve("fashion-mnist"));
        for (String file : source.expectedFiles()) {
            Files.createFile(given.resolve("fashion-mnist").resolve(file));
        }
        DataLocator locator = new DataLocator(given, Map.of(), null, dir);
        assertThat(locator.locate(source, SAMPLE).toString()).isEqualTo(given.resolve("fashion-mnist").toString());
    }
}
