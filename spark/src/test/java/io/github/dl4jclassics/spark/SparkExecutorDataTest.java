package io.github.dl4jclassics.spark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.dl4jclassics.common.InputShape;
import io.github.dl4jclassics.common.Json;
import io.github.dl4jclassics.data.DataConfig;
import io.github.dl4jclassics.data.DataFiles;
import io.github.dl4jclassics.data.DataPipeline;
import io.github.dl4jclassics.data.DatasetRegistry;
import io.github.dl4jclassics.data.DatasetSource;
import io.github.dl4jclassics.data.PrepareOptions;
import io.github.dl4jclassics.data.PreparedData;
import io.github.dl4jclassics.data.iterators.ImageSetIterator;
import io.github.dl4jclassics.data.readers.ImageFolderReader;
import io.github.dl4jclassics.experiments.manifest.DistributedConfig;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.common.loader.FileBatch;
import org.nd4j.linalg.dataset.DataSet;

/**
 * {@code run --spark --spark-data executors}: the splits packed into FileBatch zips under a {@code file://} folder,
 * minibatches prepared on the executors by {@link PackedBatchLoader} exactly as a one-machine run prepares them, and
 * validation and test measured on the executors.
 */
class SparkExecutorDataTest {

    private static final String AUGMENTED = """
            [{"type": "resize"}, {"type": "random-crop", "size": 32, "padding": 4}, {"type": "horizontal-flip", "p": 0.5},
             {"type": "normalize"}, {"type": "mixup", "alpha": 1.0}]""";

    @TempDir
    Path temp;

    @Test
    void packedImageFolderBatchesEqualTheOneMachineBatchesAfterSerialization() throws Exception {
        Path scene = temp.resolve("scene");
        SceneFolders.writeSynthetic(scene, 8, 4, 11);
        DataConfig config = Json.mapper().readValue("{\"dataset\": \"image-folder\", \"split\": {\"validationCount\": 8, \"seed\": 3},"
                + " \"transforms\": " + AUGMENTED + "}", DataConfig.class);
        PackedRun run = pack("image-folder", DataFiles.of(scene.toString()), config, new InputShape(3, 32, 32));
        assertThat(run.packed().format()).isEqualTo("original");
        assertThat(run.packed().images()).containsExactly(40, 8, 24);
        // Train positions of the one-machine set, by file: the packed zips hold the original files.
        List<Path> trainFiles = ImageFolderReader.list(scene.resolve("train"), null).files();
        List<Path> kept = new ArrayList<>();
        int[] trainIndices = run.data().train().labels(); // same length as the train part
        int[] permutationTrain = trainPart(trainFiles.size(), config);
        for (int i : permutationTrain) {
            kept.add(trainFiles.get(i));
        }
        assertThat(kept).hasSize(trainIndices.length);
        assertBatchesEqual(run, 3, entry -> kept.indexOf(Path.of(URI.create(entry))));
    }

    @Test
    void packedIdxBatchesEqualTheOneMachineBatchesAfterSerialization() throws Exception {
        DataConfig config = Json.mapper().readValue("{\"dataset\": \"fashion-mnist\", \"limitTrain\": 150, \"limitTest\": 40,"
                + " \"split\": {\"validationFraction\": 0.2, \"seed\": 3}, \"transforms\": " + AUGMENTED.replace("\"normalize\"},",
                "\"normalize\"}, {\"type\": \"grey-to-rgb\"},") + "}", DataConfig.class);
        PackedRun run = pack("fashion-mnist", DataFiles.of("classpath:datasets/fashion-mnist-sample"), config,
                new InputShape(3, 32, 32));
        assertThat(run.packed().format()).isEqualTo("png");
        assertThat(run.packed().images()).containsExactly(120, 30, 40);
        // PNG entries are named /train/<class index>/<index in the run's training images>.png.
        assertBatchesEqual(run, 5, entry -> {
            String path = URI.create(entry).getPath();
            return Integer.parseInt(path.substring(path.lastIndexOf('/') + 1, path.length() - 4));
        });
    }

    private record PackedRun(PreparedData data, PackedData packed, Path folder, long seed) {
    }

    private PackedRun pack(String dataset, DataFiles files, DataConfig config, InputShape input) throws IOException {
        DatasetSource source = DatasetRegistry.standard().get(dataset);
        PreparedData data = DataPipeline.prepare(source, files, config, input, PrepareOptions.defaults());
        String uri = temp.resolve("packed").toUri().toString();
        PackedData packed = FileBatchPacker.pack(source, files, config, data, uri, 16, new Configuration());
        PackedData again = FileBatchPacker.pack(source, files, config, data, uri, 16, new Configuration());
        assertThat(again.train()).isEqualTo(packed.train());
        Path folder = Path.of(URI.create(packed.folder()));
        assertThat(folder.resolve(FileBatchPacker.INDEX)).isRegularFile();
        return new PackedRun(data, packed, folder, 42);
    }

    private interface EntryIndex {
        int of(String uri);
    }

    /** Every training zip's minibatch (epoch given) from a serialized loader equals the one-machine iterator's. */
    private void assertBatchesEqual(PackedRun run, int epoch, EntryIndex index) throws Exception {
        PreparedData data = run.data();
        PackedBatchLoader loader = roundTrip(new PackedBatchLoader(data.trainTransforms(), data.classNames(),
                data.train().shape(), data.normalizer(), run.seed(), 0, true, run.packed().indexFolders())).forEpoch(epoch);
        DataSet previous = null;
        for (String relative : run.packed().train()) {
            FileBatch batch = FileBatch.readFromZip(run.folder().resolve(relative).toFile());
            int[] indices = batch.getOriginalUris().stream().mapToInt(index::of).toArray();
            assertThat(indices).doesNotContain(-1);
            DataSet executor = loader.prepare(batch, PackedBatchLoader.batchName(run.folder().resolve(relative).toString()));
            ImageSetIterator oneMachine = new ImageSetIterator(data.train().subset(indices, "batch"), indices.length,
                    data.trainTransforms(), data.normalizer(), false, PackedBatchLoader.batchSeed(run.seed(), relative));
            oneMachine.startEpoch(epoch);
            DataSet expected = oneMachine.next();
            assertThat(executor.getFeatures().shape()).containsExactly(expected.getFeatures().shape());
            assertThat(executor.getFeatures().sub(expected.getFeatures()).amaxNumber().doubleValue()).isLessThan(1e-4);
            assertThat(executor.getLabels().sub(expected.getLabels()).amaxNumber().doubleValue()).isLessThan(1e-6);
            // Mixup on: soft labels (more non-zero label values than examples); batches differ from one another.
            assertThat(executor.getLabels().gt(1e-6).castTo(org.nd4j.linalg.api.buffer.DataType.INT).sumNumber()
                    .intValue()).isGreaterThan(executor.numExamples());
            if (previous != null && previous.numExamples() == executor.numExamples()) {
                assertThat(previous.getFeatures().equalsWithEps(executor.getFeatures(), 1e-3)).isFalse();
            }
            previous = executor;
        }
        // Another epoch augments differently.
        FileBatch first = FileBatch.readFromZip(run.folder().resolve(run.packed().train().get(0)).toFile());
        DataSet epochA = loader.prepare(first, run.packed().train().get(0));
        DataSet epochB = loader.forEpoch(epoch + 1).prepare(first, run.packed().train().get(0));
        assertThat(epochA.getFeatures().equalsWithEps(epochB.getFeatures(), 1e-3)).isFalse();
    }

    private static int[] trainPart(int total, DataConfig config) {
        int validation = config.split().validationSize(total);
        int[] permutation = io.github.dl4jclassics.data.TrainValidationSplit.permutation(total, config.split().seed());
        int[] train = java.util.Arrays.copyOfRange(permutation, 0, total - validation);
        java.util.Arrays.sort(train);
        return train;
    }

    private static PackedBatchLoader roundTrip(PackedBatchLoader loader) throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(loader);
        }
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            return (PackedBatchLoader) in.readObject();
        }
    }

    @Test
    void lenetTrainsFromPackedPathsAndASecondRunReusesThem() throws IOException {
        Path manifestFile = temp.resolve("lenet-executors.json");
        Files.writeString(manifestFile, """
                {"name": "lenet-executors", "base": ["lenet5-fashion-mnist-sample.json"],
                 "data": {"transforms": [{"type": "resize"}, {"type": "random-crop", "size": 32, "padding": 2},
                                         {"type": "normalize"}, {"type": "mixup", "alpha": 0.2}]},
                 "training": {"epochs": 2, "batchSize": 32}}
                """);
        String packedUri = temp.resolve("packed").toUri().toString();
        String out = temp.resolve("runs").toString();
        JsonNode result = Json.mapper().readTree(SparkRunTest.run(0, "run", manifestFile.toString(), "--spark",
                "--master", "local[2]", "--spark-data", "executors", "--spark-data-uri", packedUri,
                "--limit-train", "900", "--limit-test", "200", "--out", out, "--json"));
        assertThat(result.get("status").asText()).isEqualTo("COMPLETED");
        // 400 training images, 2 epochs, mixup: well above the 0.1 of chance, measured on the executors.
        assertThat(result.get("test").get("top1").asDouble()).isGreaterThan(0.3);
        assertThat(result.get("validation").get("top1").asDouble()).isGreaterThan(0.3);
        Path runFolder = Path.of(result.get("runDirectory").asText());
        for (String file : List.of("manifest.json", "environment.json", "epochs.csv", "model.zip", "result.json",
                "report.html")) {
            assertThat(runFolder.resolve(file)).as(file).isRegularFile();
        }
        JsonNode spark = Json.mapper().readTree(runFolder.resolve("environment.json").toFile()).get("spark");
        assertThat(spark.get("data").asText()).isEqualTo("executors");
        assertThat(spark.get("dataUri").asText()).isEqualTo(packedUri);
        JsonNode distributed = Json.mapper().readTree(runFolder.resolve("manifest.json").toFile()).get("distributed");
        assertThat(distributed.get("data").asText()).isEqualTo("executors");
        List<String> epochs = Files.readAllLines(runFolder.resolve("epochs.csv"));
        assertThat(epochs).hasSize(3);
        for (String row : epochs.subList(1, 3)) {
            assertThat(Double.parseDouble(row.split(",")[2])).isPositive().isLessThan(10);
        }
        Path index;
        try (Stream<Path> files = Files.walk(temp.resolve("packed"))) {
            index = files.filter(p -> p.getFileName().toString().equals(FileBatchPacker.INDEX)).findFirst().orElseThrow();
        }
        JsonNode packing = Json.mapper().readTree(index.toFile());
        // The sample's validationCount 500 of 6000 keeps its share of the first 900: 825 train, 75 validation.
        assertThat(packing.get("images").get(0).asInt() + packing.get("images").get(1).asInt()).isEqualTo(900);
        assertThat(packing.get("images").get(2).asInt()).isEqualTo(200);
        FileTime packedAt = Files.getLastModifiedTime(index);

        // The second run finds the packing and writes nothing there.
        JsonNode second = Json.mapper().readTree(SparkRunTest.run(0, "run", manifestFile.toString(), "--spark",
                "--master", "local[2]", "--spark-data", "executors", "--spark-data-uri", packedUri, "--epochs", "1",
                "--limit-train", "900", "--limit-test", "200", "--out", out, "--json"));
        assertThat(second.get("status").asText()).isEqualTo("COMPLETED");
        assertThat(Files.getLastModifiedTime(index)).isEqualTo(packedAt);
        try (Stream<Path> folders = Files.list(temp.resolve("packed"))) {
            assertThat(folders.count()).isEqualTo(1);
        }
    }

    @Test
    void resnet18GraphTrainsFromPackedImageFolderWithMixup() throws IOException {
        Path scene = temp.resolve("scene");
        SceneFolders.writeSynthetic(scene, 8, 4, 7);
        Path manifestFile = temp.resolve("resnet18-executors.json");
        Files.writeString(manifestFile, """
                {"name": "resnet18-executors", "base": ["resnet18-mixup-scene.json"],
                 "model": {"input": "3x32x32"},
                 "data": {"transforms": [{"type": "resize"}, {"type": "horizontal-flip", "p": 0.5},
                                         {"type": "normalize"}, {"type": "mixup", "alpha": 1.0}]},
                 "training": {"epochs": 1, "batchSize": 16},
                 "distributed": {"batchSizePerWorker": 8, "averagingFrequency": 3, "workerPrefetch": 0,
                                 "data": "executors", "dataUri": "%s"}}
                """.formatted(temp.resolve("packed").toUri()));
        JsonNode result = Json.mapper().readTree(SparkRunTest.run(0, "run", manifestFile.toString(), "--spark",
                "--master", "local[2]", "--data-dir", scene.toString(), "--out", temp.resolve("runs").toString(), "--json"));
        assertThat(result.get("status").asText()).isEqualTo("COMPLETED");
        assertThat(result.get("test").get("top1").asDouble()).isBetween(0.0, 1.0);
        // The test split's 24 images were all measured on the executors (confusion matrix total).
        long measured = 0;
        for (JsonNode row : result.get("test").get("confusionMatrix")) {
            for (JsonNode cell : row) {
                measured += cell.asLong();
            }
        }
        assertThat(measured).isEqualTo(24);
        Path runFolder = Path.of(result.get("runDirectory").asText());
        assertThat(Json.mapper().readTree(runFolder.resolve("environment.json").toFile()).get("spark").get("data")
                .asText()).isEqualTo("executors");
        assertThat(Files.readAllLines(runFolder.resolve("epochs.csv"))).hasSize(2);
    }

    @Test
    void prepareSparkDataPacksAheadAndTheRunReusesIt() throws IOException {
        String packedUri = temp.resolve("ahead").toUri().toString();
        String printed = SparkRunTest.run(0, "prepare-spark-data", "lenet5-fashion-mnist-sample", "--to", packedUri,
                "--limit-train", "600", "--limit-test", "100");
        assertThat(printed).contains("lenet5-fashion-mnist-sample: 550 / 50 / 100 train / validation / test images (png)");
        Path index;
        try (Stream<Path> files = Files.walk(temp.resolve("ahead"))) {
            index = files.filter(p -> p.getFileName().toString().equals(FileBatchPacker.INDEX)).findFirst().orElseThrow();
        }
        FileTime packedAt = Files.getLastModifiedTime(index);
        JsonNode result = Json.mapper().readTree(SparkRunTest.run(0, "run", "lenet5-fashion-mnist-sample", "--spark",
                "--master", "local[2]", "--spark-data", "executors", "--spark-data-uri", packedUri, "--epochs", "1",
                "--limit-train", "600", "--limit-test", "100", "--out", temp.resolve("runs").toString(), "--json"));
        assertThat(result.get("status").asText()).isEqualTo("COMPLETED");
        assertThat(Files.getLastModifiedTime(index)).isEqualTo(packedAt);
        try (Stream<Path> folders = Files.list(temp.resolve("ahead"))) {
            assertThat(folders.count()).isEqualTo(1);
        }
        assertThat(SparkRunTest.runErr(1, "prepare-spark-data", "lenet5-fashion-mnist-sample", "--to", "/no/scheme"))
                .contains("needs a scheme and a path");
    }

    @Test
    void aRunContinuedWithFromTrainsOnFromThePackedData() throws IOException {
        // --from takes the recipe from NAME (as for every other setting), so the data mode is given again.
        String packedUri = temp.resolve("packed").toUri().toString();
        String out = temp.resolve("runs").toString();
        JsonNode first = Json.mapper().readTree(SparkRunTest.run(0, "run", "lenet5-fashion-mnist-sample", "--spark",
                "--master", "local[2]", "--spark-data", "executors", "--spark-data-uri", packedUri, "--epochs", "1",
                "--limit-train", "700", "--limit-test", "100", "--out", out, "--json"));
        Path firstRun = Path.of(first.get("runDirectory").asText());
        JsonNode continued = Json.mapper().readTree(SparkRunTest.run(0, "run", "lenet5-fashion-mnist-sample", "--spark",
                "--master", "local[2]", "--spark-data", "executors", "--spark-data-uri", packedUri, "--from",
                firstRun.toString(), "--epochs", "+1", "--limit-train", "700", "--limit-test", "100", "--out", out,
                "--json"));
        assertThat(continued.get("status").asText()).isEqualTo("COMPLETED");
        assertThat(continued.get("epochs").asInt()).isEqualTo(2);
        Path secondRun = Path.of(continued.get("runDirectory").asText());
        assertThat(Files.readAllLines(secondRun.resolve("epochs.csv"))).hasSize(3);
        JsonNode spark = Json.mapper().readTree(secondRun.resolve("environment.json").toFile()).get("spark");
        assertThat(spark.get("data").asText()).isEqualTo("executors");
        assertThat(spark.get("dataUri").asText()).isEqualTo(packedUri);
        try (Stream<Path> folders = Files.list(temp.resolve("packed"))) {
            assertThat(folders.count()).as("one packing, reused by the continuation").isEqualTo(1);
        }
        // Continued from epoch 1's weights: the second epoch's training loss is below the first's.
        List<String> rows = Files.readAllLines(secondRun.resolve("epochs.csv"));
        assertThat(Double.parseDouble(rows.get(2).split(",")[2])).isLessThan(Double.parseDouble(rows.get(1).split(",")[2]));
    }

    @Test
    void dataSettingsAreValidatedWithClearMessages() {
        assertThatThrownBy(() -> new DistributedConfig(null, null, null, null, null, null, "everywhere", null))
                .hasMessageContaining("distributed.data must be \"driver\" or \"executors\", got \"everywhere\"");
        assertThatThrownBy(() -> new DistributedConfig(null, null, null, null, null, null, "executors", null))
                .hasMessageContaining("needs distributed.dataUri");
        assertThatThrownBy(() -> new DistributedConfig(null, null, null, null, null, null, "executors", "/no/scheme"))
                .hasMessageContaining("needs a scheme and a path");
        assertThatThrownBy(() -> new DistributedConfig(null, null, null, null, null, null, "driver", "file:///x"))
                .hasMessageContaining("read only with distributed.data \"executors\"");
        assertThat(SparkRunTest.runErr(1, "run", "lenet5-fashion-mnist-sample", "--spark-data", "executors"))
                .contains("--spark-data needs --spark");
        assertThat(SparkRunTest.runErr(1, "run", "lenet5-fashion-mnist-sample", "--spark", "--master", "local[1]",
                "--spark-data", "sideways")).contains("--spark-data must be driver or executors, got 'sideways'");
    }
}
