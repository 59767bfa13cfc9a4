package io.github.dl4jclassics.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.dl4jclassics.common.Json;
import io.github.dl4jclassics.evaluation.RunResult;
import io.github.dl4jclassics.experiments.manifest.ExperimentManifest;
import io.github.dl4jclassics.experiments.manifest.ManifestLoader;
import io.github.dl4jclassics.experiments.run.ExperimentRunner;
import io.github.dl4jclassics.experiments.run.RunOptions;
import io.github.dl4jclassics.training.transfer.TransferConfig;
import io.github.dl4jclassics.zoo.ClassicModel;
import io.github.dl4jclassics.common.InputShape;
import io.github.dl4jclassics.zoo.ModelRegistry;
import io.github.dl4jclassics.zoo.ModelSpec;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every manifest in experiments/manifests runs end to end (read, train one epoch, evaluate, write the run folder) on
 * tiny generated data in its data set's real format, at the smallest input its model accepts. A broken manifest,
 * reader, transform or model fails here on every commit. A new manifest is picked up automatically; one whose data
 * set has no generator fails with a message saying so.
 */
class SmokeRunsTest {

    private static final int IMAGE_FOLDER_CLASSES = 4;

    @TempDir
    static Path work;

    private static final Map<String, Path> DATA = new LinkedHashMap<>();
    private static final Map<String, String> TIMINGS = new LinkedHashMap<>();

    @BeforeAll
    static void writeSmokeData() throws Exception {
        Path data = work.resolve("data");
        // Small enough for ~5 minutes on 2 cores: the deep ResNets cost about a second per image on CPU.
        DATA.put("fashion-mnist", SmokeData.fashionMnist(data.resolve("fashion-mnist"), 6, 2));
        DATA.put("mnist", DATA.get("fashion-mnist"));
        DATA.put("cifar10", SmokeData.cifar10(data.resolve("cifar10"), 6, 10));
        DATA.put("cifar100", SmokeData.cifar100(data.resolve("cifar100"), 100, 50));
        DATA.put("scene", SmokeData.scene(data.resolve("scene"), 5, 2, 150));
        DATA.put("image-folder", SmokeData.imageFolder(data.resolve("image-folder"), IMAGE_FOLDER_CLASSES, 5, 2, 80));
    }

    @TestFactory
    Stream<DynamicTest> everyManifestRunsOneEpochOnSmokeData() {
        ManifestLoader loader = new ManifestLoader(Paths.manifests());
        // -Dsmoke.only=NAME[,NAME] runs a few, when working on one manifest.
        String only = System.getProperty("smoke.only", "");
        return loader.names().stream()
                .filter(name -> only.isBlank() || java.util.Arrays.asList(only.split(",")).contains(name))
                .map(name -> DynamicTest.dynamicTest(name, () -> smokeRun(loader, name)));
    }

    @Test
    void theSmokeRunsCoverEveryDocumentedExperiment() {
        assertThat(new ManifestLoader(Paths.manifests()).names()).contains("alexnet1-cifar100", "alexnet2-cifar100",
                "alexnet2-cifar10", "alexnet-cifar10", "vgg16-cifar10", "lenet-scene", "custom-lenet-scene",
                "alexnet-scene", "resnet18-scene", "resnet18-mixup-scene", "resnet18-transfer-scene",
                "resnet50-transfer-mixup-scene", "resnet101-transfer-mixup-scene", "resnet152-transfer-mixup-scene",
                "alexnet-imagenet", "vgg16-imagenet", "alexnet-finetune", "lenet5-fashion-mnist",
                "lenet5-fashion-mnist-sample");
    }

    private static void smokeRun(ManifestLoader loader, String name) throws Exception {
        long started = System.nanoTime();
        ExperimentManifest manifest = loader.load(name);
        String dataset = manifest.data().dataset();
        Path location = DATA.get(dataset);
        if (location == null) {
            fail(name + ": no smoke data for data set '" + dataset + "': add a writer to SmokeData and a line to writeSmokeData");
        }
        int classes = switch (dataset) {
            case "cifar100" -> manifest.data().coarseLabels() ? 20 : 100;
            case "scene" -> SmokeData.SCENE_CLASSES.size();
            case "image-folder" -> IMAGE_FOLDER_CLASSES;
            default -> 10;
        };
        ClassicModel model = ModelRegistry.standard().get(manifest.model().id());
        TransferConfig transfer = null;
        if (manifest.transfer() != null) {
            transfer = pretrainedStandIn(name, manifest, model);
        }
        ExperimentManifest smoke = SmokeReduction.reduce(manifest, model, location.toString(), classes, transfer);
        Path out = work.resolve("runs");
        RunResult result = new ExperimentRunner().run(smoke,
                RunOptions.builder().outRoot(out).build());

        assertThat(result.status()).as(name + ": " + result.failure()).isEqualTo(io.github.dl4jclassics.evaluation.RunStatus.COMPLETED);
        assertThat(result.epochs()).isEqualTo(1);
        assertThat(result.test().count()).isPositive();
        assertThat(result.test().top1()).isBetween(0.0, 1.0);
        assertThat(result.test().loss()).isFinite();
        Path run = Path.of(result.runDirectory());
        assertThat(run.resolve("result.json")).isRegularFile();
        assertThat(run.resolve("model.zip")).isRegularFile();
        // The run saves the resolved manifest: parts merged, no "base", the smoke input, loadable as a saved run.
        JsonNode saved = Json.mapper().readTree(run.resolve("manifest.json").toFile());
        assertThat(saved.has("base")).isFalse();
        assertThat(saved.get("model").get("input").asText()).isEqualTo(smoke.model().input().toString());
        assertThat(new ManifestLoader(null).loadSavedRun(run.resolve("manifest.json")).training().optimizer())
                .isEqualTo(manifest.training().optimizer());
        // epochs.csv: the usual columns, then the test split's when the manifest asks for a per-epoch test evaluation.
        List<io.github.dl4jclassics.common.EpochRecord> epochs = io.github.dl4jclassics.common.EpochRecord.readCsv(
                run.resolve("epochs.csv"));
        assertThat(java.nio.file.Files.readAllLines(run.resolve("epochs.csv")).get(0)).as(name + " epochs.csv header")
                .isEqualTo(io.github.dl4jclassics.common.EpochRecord.CSV_HEADER + (manifest.evaluation().testPerEpoch()
                        ? "," + io.github.dl4jclassics.common.EpochRecord.TEST_COLUMNS : ""));
        assertThat(epochs).as(name + " per-epoch test").allMatch(e -> manifest.evaluation().testPerEpoch()
                ? e.testTop1() >= 0 && e.testTop1() <= 1 && e.testLoss() > 0 : e.test() == null);
        if (manifest.documented() != null && manifest.documented().value() != null) {
            assertThat(result.measured()).as(name + " measured").isNotNull();
        }
        // Every documented value is measured (the headline first), and the pictures decode.
        int documented = (manifest.documented() != null && manifest.documented().value() != null ? 1 : 0)
                + manifest.checks().size();
        if (documented == 0) {
            assertThat(result.checks()).as(name + " checks").isNull();
        } else {
            assertThat(result.checks()).as(name + " checks").hasSize(documented);
            assertThat(result.checks()).allSatisfy(c -> assertThat(c.measured()).as(name + " " + c).isNotNull());
        }
        assertThat(javax.imageio.ImageIO.read(run.resolve("batch-preview.png").toFile())).as(name + " preview").isNotNull();
        if (smoke.model().input().channels() == 3) {
            assertThat(javax.imageio.ImageIO.read(run.resolve("conv1-filters.png").toFile())).as(name + " filters").isNotNull();
        } else {
            assertThat(run.resolve("conv1-filters.png")).as(name + ": first layer over 1 channel").doesNotExist();
        }
        TIMINGS.put(name, String.format(Locale.ROOT, "| %s | %s | %d | %d | %.1f s |", name, smoke.model().input(),
                result.test().count(), smoke.training().batchSize(), (System.nanoTime() - started) / 1e9));
    }

    /**
     * The experiment's pretrained weights stand-in: the zoo model with random weights and 10 classes at the smoke
     * input, saved as a DL4J zip, so the load, head replacement and fine-tuning path runs without ImageNet weights.
     */
    private static TransferConfig pretrainedStandIn(String name, ExperimentManifest manifest, ClassicModel model)
            throws Exception {
        int side = SmokeReduction.side(model, manifest.model().input(), manifest.data().transforms());
        InputShape input = new InputShape(manifest.model().input().channels(), side, side);
        Path weights = work.resolve("weights").resolve(name + ".zip");
        Files.createDirectories(weights.getParent());
        model.create(new ModelSpec(10, input, 7, manifest.model().init())).save(weights.toFile(), false);
        TransferConfig t = manifest.transfer();
        return new TransferConfig(weights.toString(), "dl4j", t.headLayer(), t.freezeUpTo(), t.fineTuneLearningRate(), null);
    }

    @AfterAll
    static void reportTimings() throws Exception {
        StringBuilder table = new StringBuilder("| experiment | smoke input | test images | batch | time |\n|---|---|---:|---:|---:|\n");
        TIMINGS.values().forEach(row -> table.append(row).append('\n'));
        System.out.println("Smoke run timings:\n" + table);
        Path target = Path.of("target");
        if (Files.isDirectory(target)) {
            Files.writeString(target.resolve("smoke-timings.md"), table);
        }
    }
}
