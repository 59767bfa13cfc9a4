package io.github.dl4jclassics.experiments;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.dl4jclassics.data.transforms.HorizontalFlip;
import io.github.dl4jclassics.data.transforms.Mixup;
import io.github.dl4jclassics.experiments.manifest.ExperimentCatalog;
import io.github.dl4jclassics.experiments.manifest.ExperimentManifest;
import io.github.dl4jclassics.experiments.manifest.ManifestException;
import io.github.dl4jclassics.experiments.manifest.ManifestLoader;
import io.github.dl4jclassics.training.schedules.MultiStepSchedule;
import io.github.dl4jclassics.training.schedules.ConstantSchedule;
import io.github.dl4jclassics.data.transforms.Normalize;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Manifests composed from parts: merge rules, where parts are found, and errors that name the part. */
class ManifestCompositionTest {

    private static final Path MANIFESTS = Path.of(System.getProperty("project.root", "..")).resolve("experiments/manifests");

    /** Every row of SEEDS.md's "Documented results" table, plus the Fashion-MNIST experiments. */
    static final List<String> EXPECTED = List.of("alexnet1-cifar100", "alexnet2-cifar100", "alexnet2-cifar10",
            "alexnet-cifar10", "vgg16-cifar10", "lenet-scene", "custom-lenet-scene", "alexnet-scene", "resnet18-scene",
            "resnet18-mixup-scene", "resnet18-transfer-scene", "resnet50-transfer-mixup-scene",
            "resnet101-transfer-mixup-scene", "resnet152-transfer-mixup-scene", "alexnet-imagenet", "vgg16-imagenet",
            "alexnet-finetune", "lenet5-fashion-mnist", "lenet5-fashion-mnist-sample");

    private final ManifestLoader loader = new ManifestLoader(MANIFESTS);

    @Test
    void everyDocumentedExperimentHasAManifestAndPartsAreNotExperiments() {
        assertThat(loader.names()).containsExactlyInAnyOrderElementsOf(EXPECTED);
        for (String name : EXPECTED) {
            ExperimentManifest manifest = loader.load(name);
            assertThat(manifest.name()).isEqualTo(name);
            assertThat(manifest.description()).hasSizeGreaterThan(80);
            assertThat(manifest.source()).as(name + " source").isNotNull();
        }
    }

    @Test
    void documentedValuesAreTheNotesNumbers() {
        assertThat(loader.load("alexnet-cifar10").documented().value()).isEqualTo(0.718);
        assertThat(loader.load("alexnet1-cifar100").documented().metric()).isEqualTo("top5");
        assertThat(loader.load("alexnet2-cifar100").documented().value()).isEqualTo(0.638);
        assertThat(loader.load("lenet-scene").documented().value()).isEqualTo(0.7945);
        assertThat(loader.load("resnet50-transfer-mixup-scene").documented().value()).isEqualTo(0.9431);
        assertThat(loader.load("alexnet-imagenet").documented().value()).isEqualTo(0.625);
        assertThat(loader.load("vgg16-cifar10").documented().value()).isNull();
        assertThat(loader.load("alexnet-finetune").documented().value()).isNull();
        for (String name : EXPECTED) {
            ExperimentManifest m = loader.load(name);
            if (m.documented() != null && m.documented().value() != null) {
                assertThat(m.documented().tolerance()).as(name + " tolerance").isBetween(0.005, 0.05);
            }
        }
    }

    @Test
    void note001ManifestsRunTheRecipesAsTheNoteRanThem() {
        // AlexNet: all 50,000 images, no early stopping, constant 1e-3 (scheduler.step() is never called), and the
        // note's statistics (mean of per-image means, mean of per-image stds).
        ExperimentManifest alexnet = loader.load("alexnet-cifar10");
        assertThat(alexnet.data().split()).isNull();
        assertThat(alexnet.training().earlyStopping()).isNull();
        assertThat(alexnet.training().schedule()).isInstanceOf(ConstantSchedule.class);
        assertThat(alexnet.training().optimizer().learningRate()).isEqualTo(1e-3);
        assertThat(alexnet.data().transforms()).filteredOn(Normalize.class::isInstance).singleElement()
                .satisfies(t -> assertThat(((Normalize) t).statisticsOrDefault()).isEqualTo(Normalize.MEAN_OF_PER_IMAGE_STD));
        assertThat(alexnet.source().documented()).contains("0.813").contains("bug");
        assertThat(alexnet.checks()).as("the buggy test loss is never checked").isEmpty();

        // VGG: the note's fixed 0..1 constants, times 255 for this project's 0..255 pixels; no plateau schedule.
        ExperimentManifest vgg = loader.load("vgg16-cifar10");
        Normalize normalize = (Normalize) vgg.data().transforms().stream().filter(Normalize.class::isInstance)
                .findFirst().orElseThrow();
        double[] noteMean = {0.49139965, 0.48215845, 0.4465309};
        double[] noteStd = {0.060528398, 0.061124973, 0.06764512};
        for (int c = 0; c < 3; c++) {
            assertThat(normalize.mean()[c]).isCloseTo(noteMean[c] * 255, org.assertj.core.api.Assertions.within(1e-6));
            assertThat(normalize.std()[c]).isCloseTo(noteStd[c] * 255, org.assertj.core.api.Assertions.within(1e-6));
        }
        assertThat(vgg.training().schedule()).isInstanceOf(ConstantSchedule.class);
        assertThat(vgg.training().earlyStopping().patience()).isEqualTo(5);
        assertThat(vgg.data().split().validationCount()).isEqualTo(10_000);
    }

    @Test
    void everyDocumentedNumberOfTheNotesIsAManifestCheck() {
        List<String> scene = List.of("lenet-scene", "custom-lenet-scene", "alexnet-scene", "resnet18-scene",
                "resnet18-mixup-scene", "resnet18-transfer-scene", "resnet50-transfer-mixup-scene",
                "resnet101-transfer-mixup-scene", "resnet152-transfer-mixup-scene");
        for (String name : scene) {
            ExperimentManifest m = loader.load(name);
            assertThat(m.checks()).as(name).hasSize(6);
            assertThat(m.checks()).extracting(io.github.dl4jclassics.evaluation.DocumentedValue::className)
                    .containsExactly("buildings", "forest", "glacier", "mountain", "sea", "street");
            // The note's "overall average accuracy" is the sample-weighted one (top-1), not the mean of the classes.
            double mean = m.checks().stream().mapToDouble(io.github.dl4jclassics.evaluation.DocumentedValue::value)
                    .average().orElseThrow();
            assertThat(m.documented().metric()).isEqualTo("top1");
            assertThat(Math.abs(mean - m.documented().value())).as(name).isLessThan(0.006).isGreaterThan(0.0);
        }
        assertThat(loader.load("lenet-scene").checks().get(1).value()).isEqualTo(0.9667);
        ExperimentManifest alexnet1 = loader.load("alexnet1-cifar100");
        assertThat(alexnet1.documented().value()).isEqualTo(0.49);
        assertThat(alexnet1.checks()).singleElement().satisfies(c -> {
            assertThat(c.split()).isEqualTo("validation");
            assertThat(c.metric()).isEqualTo("top5");
            assertThat(c.value()).isEqualTo(0.53);
        });
        assertThat(loader.load("alexnet-imagenet").checks()).singleElement()
                .satisfies(c -> assertThat(c.value()).isEqualTo(0.83));
        assertThat(loader.load("vgg16-imagenet").checks()).singleElement()
                .satisfies(c -> assertThat(c.value()).isEqualTo(0.912));
    }

    @Test
    void partsMergeKeyByKeyAndTheManifestWins() {
        ExperimentManifest alexnet = loader.load("alexnet-cifar10");
        // The schedule part gives optimizer, batch and schedule; the manifest adds the epochs to the same object.
        assertThat(alexnet.training().schedule()).isInstanceOf(ConstantSchedule.class);
        assertThat(alexnet.training().optimizer().weightDecay()).isEqualTo(1e-4);
        assertThat(alexnet.training().batchSize()).isEqualTo(64);
        assertThat(alexnet.training().epochs()).isEqualTo(20);
        assertThat(alexnet.training().seed()).isEqualTo(42);
        assertThat(alexnet.model().input().toString()).isEqualTo("3x128x128");
        assertThat(alexnet.data().transforms()).anyMatch(t -> t instanceof HorizontalFlip f && f.p() == 0.5);

        // A nested base (the sample is the full experiment with another location), and an object merged into.
        ExperimentManifest sample = loader.load("lenet5-fashion-mnist-sample");
        assertThat(sample.data().location()).isEqualTo("classpath:datasets/fashion-mnist-sample");
        assertThat(sample.data().split().validationCount()).isEqualTo(500);
        assertThat(sample.data().split().seed()).isEqualTo(11);
        assertThat(sample.documented()).isNull();
        assertThat(sample.tags()).containsExactly("default", "smoke");

        // Arrays replace: the mixup data part restates its base's transforms and adds mixup.
        ExperimentManifest mixup = loader.load("resnet18-mixup-scene");
        assertThat(mixup.data().transforms()).hasSize(3).anyMatch(t -> t instanceof Mixup m && m.alpha() == 1.0);
        assertThat(((MultiStepSchedule) mixup.training().schedule()).milestones()).containsExactly(10, 20, 30, 40);
    }

    @Test
    void theResolvedTreeHasNoBaseAndRoundTrips() throws Exception {
        String text = Files.readString(MANIFESTS.resolve("resnet18-transfer-scene.json"));
        var tree = loader.resolveTree(text, "resnet18-transfer-scene.json");
        assertThat(tree.has("base")).isFalse();
        assertThat(tree.get("training").get("optimizer").get("type").asText()).isEqualTo("sgd");
        // What a run saves (the record written back as JSON) loads again without its parts.
        String saved = io.github.dl4jclassics.common.Json.write(loader.load("resnet18-transfer-scene"));
        assertThat(saved).doesNotContain("\"base\"");
        assertThat(new ManifestLoader(null).parse(saved, "saved.json", null))
                .isEqualTo(loader.load("resnet18-transfer-scene"));
    }

    @Test
    void partsAreFoundOnTheClassPathToo() {
        // No manifests folder: the manifests and their parts come from target/classes/manifests (the jar's).
        ManifestLoader fromClasspath = new ManifestLoader(null);
        assertThat(fromClasspath.names()).containsAll(EXPECTED).noneMatch(n -> n.contains("/") || n.startsWith("parts"));
        assertThat(fromClasspath.load("alexnet-cifar10")).isEqualTo(loader.load("alexnet-cifar10"));
    }

    @Test
    void aManifestInAnotherFolderUsesTheShippedParts(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("mine.json"), """
                { "base": ["parts/models/lenet-scene.json", "parts/data/scene-64.json",
                           "parts/schedules/sgd-1e-3-multistep-50.json", "parts/runtime/default.json"],
                  "name": "mine", "description": "d", "training": { "epochs": 5 } }
                """);
        ExperimentManifest mine = new ManifestLoader(dir).load("mine");
        assertThat(mine.model().id()).isEqualTo("lenet-scene");
        assertThat(mine.training().epochs()).isEqualTo(5);
        assertThat(mine.training().batchSize()).isEqualTo(64);
    }

    @Test
    void unknownFieldInAPartNamesThePartFile(@TempDir Path dir) throws Exception {
        Files.createDirectories(dir.resolve("parts"));
        Files.writeString(dir.resolve("parts/typo.json"), """
                { "training": { "optimizer": { "type": "adam", "learningRate": 0.001, "learningrate": 0.1 } } }
                """);
        Files.writeString(dir.resolve("x.json"), """
                { "base": ["parts/models/lenet-scene.json", "parts/data/scene-64.json", "parts/typo.json"],
                  "name": "x", "description": "d", "training": { "batchSize": 8, "epochs": 1, "seed": 1 } }
                """);
        assertThatThrownBy(() -> new ManifestLoader(dir).load("x"))
                .isInstanceOf(ManifestException.class)
                .hasMessageContaining("x.json")
                .hasMessageContaining("part parts/typo.json")
                .hasMessageContaining("unknown field 'learningrate'")
                .hasMessageContaining("learningRate");
    }

    @Test
    void invalidValueFromAPartNamesThePartAndAManifestFieldNamesOnlyTheManifest(@TempDir Path dir) throws Exception {
        Files.createDirectories(dir.resolve("parts"));
        Files.writeString(dir.resolve("parts/model.json"), "{ \"model\": { \"id\": \"lenet6\", \"classes\": 6, \"input\": \"3x64x64\" } }");
        Files.writeString(dir.resolve("x.json"), """
                { "base": ["parts/model.json", "parts/data/scene-64.json", "parts/schedules/sgd-1e-3-multistep-50.json"],
                  "name": "x", "description": "d", "training": { "seed": 1, "epochs": "many" } }
                """);
        assertThatThrownBy(() -> new ManifestLoader(dir).load("x"))
                .hasMessageContaining("training.epochs").hasMessageContaining("integer")
                .hasMessageNotContaining("comes from part");
        Files.writeString(dir.resolve("x.json"), Files.readString(dir.resolve("x.json")).replace("\"many\"", "2"));
        assertThatThrownBy(() -> new ManifestLoader(dir).load("x"))
                .hasMessageContaining("part parts/model.json").hasMessageContaining("model.id")
                .hasMessageContaining("'lenet6'").hasMessageContaining("lenet-scene");
    }

    @Test
    void missingPartAndCyclesAreExplained(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("x.json"), "{ \"base\": [\"parts/nope.json\"], \"name\": \"x\" }");
        assertThatThrownBy(() -> new ManifestLoader(dir).load("x"))
                .hasMessageContaining("x.json").hasMessageContaining("part 'parts/nope.json' not found")
                .hasMessageContaining("classpath:manifests/parts/nope.json");
        Files.createDirectories(dir.resolve("parts"));
        Files.writeString(dir.resolve("parts/a.json"), "{ \"base\": [\"b.json\"] }");
        Files.writeString(dir.resolve("parts/b.json"), "{ \"base\": [\"a.json\"] }");
        Files.writeString(dir.resolve("y.json"), "{ \"base\": [\"parts/a.json\"], \"name\": \"y\" }");
        assertThatThrownBy(() -> new ManifestLoader(dir).load("y")).hasMessageContaining("includes itself")
                .hasMessageContaining("a.json -> ").hasMessageContaining("b.json");
        Files.writeString(dir.resolve("w.json"), "{ \"base\": [1], \"name\": \"w\" }");
        assertThatThrownBy(() -> new ManifestLoader(dir).load("w")).hasMessageContaining("base[0]")
                .hasMessageContaining("path of a part");
    }

    @Test
    void aMalformedManifestIsListedWithItsErrorAndDoesNotHideTheOthers(@TempDir Path dir) throws Exception {
        Files.copy(MANIFESTS.resolve("lenet-scene.json"), dir.resolve("lenet-scene.json"));
        Files.writeString(dir.resolve("broken.json"), "{ \"name\": \"broken\", ");
        Files.writeString(dir.resolve("bad-part.json"), Files.readString(MANIFESTS.resolve("alexnet-scene.json"))
                .replace("\"name\": \"alexnet-scene\"", "\"name\": \"bad-part\"")
                .replace("parts/models/alexnet-scene.json", "parts/models/no-such-model.json"));
        ExperimentCatalog catalog = new ExperimentCatalog(new ManifestLoader(dir), dir.resolve("no-data"));
        List<ExperimentCatalog.Entry> entries = catalog.entries();
        assertThat(entries).extracting(ExperimentCatalog.Entry::name).contains("lenet-scene", "broken", "bad-part");
        ExperimentCatalog.Entry lenet = entries.stream().filter(e -> e.name().equals("lenet-scene")).findFirst().orElseThrow();
        assertThat(lenet.manifest().model().id()).isEqualTo("lenet-scene");
        assertThat(lenet.error()).isNull();
        assertThat(entries.stream().filter(e -> e.name().equals("broken")).findFirst().orElseThrow().error())
                .contains("broken.json");
        assertThat(entries.stream().filter(e -> e.name().equals("bad-part")).findFirst().orElseThrow().error())
                .contains("parts/models/no-such-model.json");
        String table = catalog.table();
        assertThat(table).contains("lenet-scene").contains("79.45%").contains("INVALID").contains("broken");
    }

    @Test
    void theJsonSchemaDocumentsExactlyTheFieldsTheLoaderAccepts() throws Exception {
        var schema = io.github.dl4jclassics.common.Json.mapper().readTree(MANIFESTS.resolve("schema/manifest.schema.json").toFile());
        var props = schema.get("properties");
        assertThat(names(props)).containsExactlyInAnyOrderElementsOf(concat(components(ExperimentManifest.class), "base"));
        assertThat(names(props.get("model").get("properties"))).containsExactlyInAnyOrderElementsOf(
                components(io.github.dl4jclassics.experiments.manifest.ModelSection.class));
        var data = props.get("data").get("properties");
        assertThat(names(data)).containsExactlyInAnyOrderElementsOf(components(io.github.dl4jclassics.data.DataConfig.class));
        assertThat(names(data.get("split").get("properties"))).containsExactlyInAnyOrderElementsOf(
                components(io.github.dl4jclassics.data.SplitConfig.class));
        var training = props.get("training").get("properties");
        assertThat(names(training)).containsExactlyInAnyOrderElementsOf(components(io.github.dl4jclassics.training.TrainingConfig.class));
        assertThat(names(training.get("optimizer").get("properties"))).containsExactlyInAnyOrderElementsOf(
                components(io.github.dl4jclassics.training.OptimizerConfig.class));
        assertThat(names(training.get("earlyStopping").get("properties"))).containsExactlyInAnyOrderElementsOf(
                components(io.github.dl4jclassics.training.EarlyStoppingConfig.class));
        assertThat(names(props.get("transfer").get("properties"))).containsExactlyInAnyOrderElementsOf(
                components(io.github.dl4jclassics.training.transfer.TransferConfig.class));
        assertThat(names(props.get("evaluation").get("properties"))).containsExactlyInAnyOrderElementsOf(
                components(io.github.dl4jclassics.experiments.manifest.EvaluationConfig.class));
        assertThat(names(props.get("documented").get("properties"))).containsExactlyInAnyOrderElementsOf(
                components(io.github.dl4jclassics.evaluation.DocumentedResult.class));
        // Every transform and schedule type the loader knows is documented, and no other.
        List<String> transformTypes = new java.util.ArrayList<>();
        data.get("transforms").get("items").get("oneOf").forEach(t -> transformTypes.add(t.get("properties").get("type").get("const").asText()));
        assertThat(transformTypes).containsExactlyInAnyOrderElementsOf(subtypes(io.github.dl4jclassics.data.transforms.BatchTransform.class));
        List<String> scheduleTypes = new java.util.ArrayList<>();
        training.get("schedule").get("oneOf").forEach(t -> scheduleTypes.add(t.get("properties").get("type").get("const").asText()));
        assertThat(scheduleTypes).containsExactlyInAnyOrderElementsOf(subtypes(io.github.dl4jclassics.training.schedules.ScheduleConfig.class));
    }

    private static List<String> names(com.fasterxml.jackson.databind.JsonNode node) {
        List<String> names = new java.util.ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    private static List<String> components(Class<?> record) {
        return java.util.Arrays.stream(record.getRecordComponents()).map(java.lang.reflect.RecordComponent::getName).toList();
    }

    private static List<String> concat(List<String> list, String extra) {
        List<String> all = new java.util.ArrayList<>(list);
        all.add(extra);
        return all;
    }

    private static List<String> subtypes(Class<?> type) {
        return java.util.Arrays.stream(type.getAnnotation(com.fasterxml.jackson.annotation.JsonSubTypes.class).value())
                .map(com.fasterxml.jackson.annotation.JsonSubTypes.Type::name).toList();
    }
}
