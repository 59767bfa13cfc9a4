package io.github.dl4jclassics.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.dl4jclassics.common.InputShape;
import io.github.dl4jclassics.common.Json;
import io.github.dl4jclassics.experiments.cli.Main;
import io.github.dl4jclassics.experiments.manifest.ExperimentManifest;
import io.github.dl4jclassics.experiments.manifest.ManifestLoader;
import io.github.dl4jclassics.experiments.manifest.ModelSection;
import io.github.dl4jclassics.training.OptimizerConfig;
import io.github.dl4jclassics.zoo.ModelRegistry;
import io.github.dl4jclassics.zoo.weights.NpzWeights;
import io.github.dl4jclassics.zoo.weights.NpyArrays;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Training parity with PyTorch, step by step: for each distinct recipe among the manifests, {@code trace} records 20
 * steps on generated data (small input, batch 8) and {@code scripts/pytorch-replay} replays them with
 * {@code torch.optim} on the parity tests' PyTorch model, within its tolerances: float32 on both sides per-step loss
 * 1e-4 relative, final tensors and eval logits 2e-3 of their largest magnitude; the batch-norm networks in float64
 * ({@code trace --float64}; a float32 one parts from PyTorch's within a few steps at ReLU inputs within rounding
 * distance of 0), 1e-8 and 1e-6. The trace files are checked for
 * names and shapes without PyTorch; the replay is skipped when /usr/bin/python3 has no torch and torchvision.
 * {@code docs/FIDELITY.md} tabulates the measured differences (printed at the end of this class).
 */
class TrainingParityTest {

    private static final String PYTHON = "/usr/bin/python3";
    private static final int STEPS = 20;
    private static final int BATCH = 8;

    @TempDir
    static Path work;

    private static final Map<String, Path> DATA = new LinkedHashMap<>();
    private static final Map<String, String> MEASURED = new LinkedHashMap<>();
    private static boolean torch;

    /** The working folder: -Dparity.out=DIR keeps the data, manifests and traces there (for docs/FIDELITY.md). */
    private static Path root() {
        String kept = System.getProperty("parity.out");
        return kept == null || kept.isBlank() ? work : Path.of(kept).toAbsolutePath();
    }

    @BeforeAll
    static void data() throws Exception {
        Path data = root().resolve("data");
        // Enough training images for 20 batches of 8 after the recipes' validation splits.
        DATA.put("fashion-mnist", SmokeData.fashionMnist(data.resolve("fashion-mnist"), 30, 2));
        // Textured images for the batch-norm recipes: no ties or constant channels for float rounding to resolve.
        DATA.put("cifar10", SmokeData.texturedCifar10(data.resolve("cifar10"), 48, 10));
        DATA.put("scene", SmokeData.texturedScene(data.resolve("scene"), 34, 2, 48));
        torch = new File(PYTHON).canExecute() && new ProcessBuilder(PYTHON, "-c", "import torch, torchvision")
                .redirectErrorStream(true).start().waitFor() == 0;
    }

    @AfterAll
    static void table() {
        if (!MEASURED.isEmpty()) {
            System.out.println("| recipe | largest per-step loss difference | final tensors | logits |");
            MEASURED.values().forEach(System.out::println);
        }
    }

    static Stream<Arguments> recipes() {
        return Stream.of(
                Arguments.of("SGD momentum + Nesterov + weight decay (LeNet-5)", "lenet5-fashion-mnist", null, false,
                        optimizer(new OptimizerConfig("sgd", 0.01, 0.9, true, 5e-4, null, null, null, null, null))),
                Arguments.of("Adam + weight decay (LeNet-5, adam-wd-batch64)", "lenet5-fashion-mnist", null, false,
                        optimizer(new OptimizerConfig("adam", 1e-3, null, null, 1e-4, null, null, null, null, null))),
                Arguments.of("AdamW (LeNet-5, decoupled decay 0.01)", "lenet5-fashion-mnist", null, false,
                        optimizer(new OptimizerConfig("adamw", 1e-3, null, null, null, null, null, null, null, null))),
                // Batch-norm networks in float64 (trace --float64): see TrainingTrace.write.
                Arguments.of("batch norm + mixup (soft labels), SGD heavy ball + weight decay on every parameter "
                        + "(resnet18-mixup-scene, float64)", "resnet18-mixup-scene", null, true,
                        optimizer(new OptimizerConfig("sgd", 1e-3, 0.9, null, 5e-4, null, null, null, null, null))));
    }

    /** The recipes whose 20 steps take minutes on 2 cores (a 4096-wide AlexNet, float64 batch-norm networks): -Pslow. */
    static Stream<Arguments> slowRecipes() {
        return Stream.of(
                Arguments.of("batch norm, SGD heavy ball + weight decay (ResNet-18, float64)", "resnet18-scene", null, true,
                        optimizer(new OptimizerConfig("sgd", 1e-3, 0.9, null, 5e-4, null, null, null, null, null))),
                Arguments.of("mixup, soft labels + weight decay, none on gamma/beta (resnet18-mixup-scene, "
                        + "batchNormWeightDecay false, float64)", "resnet18-mixup-scene", null, true,
                        optimizer(new OptimizerConfig("sgd", 1e-3, 0.9, null, 5e-4, null, null, null, null, false))),
                Arguments.of("LRN + dropout off (alexnet-scene)", "alexnet-scene", null, false,
                        UnaryOperator.<ExperimentManifest>identity()),
                Arguments.of("batch norm, Adam + weight decay (VGG-11-BN, vgg16-cifar10's recipe, float64)",
                        "vgg16-cifar10", "vgg11-bn", true, UnaryOperator.<ExperimentManifest>identity()));
    }

    @Tag("slow")
    @ParameterizedTest(name = "{0}")
    @MethodSource("slowRecipes")
    void slowTraceReplaysInPyTorch(String label, String name, String modelId, boolean float64,
                                   UnaryOperator<ExperimentManifest> change) throws Exception {
        traceReplaysInPyTorch(label, name, modelId, float64, change);
    }

    private static UnaryOperator<ExperimentManifest> optimizer(OptimizerConfig config) {
        return m -> m.withTraining(m.training().withOptimizer(config));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("recipes")
    void traceReplaysInPyTorch(String label, String name, String modelId, boolean float64,
                               UnaryOperator<ExperimentManifest> change) throws Exception {
        ExperimentManifest manifest = new ManifestLoader(Paths.manifests()).load(name);
        String dataset = manifest.data().dataset();
        int classes = dataset.equals("scene") ? SmokeData.SCENE_CLASSES.size() : 10;
        String id = modelId != null ? modelId : manifest.model().id();
        ExperimentManifest small = SmokeReduction.reduce(manifest, ModelRegistry.standard().get(id),
                DATA.get(dataset).toString(), classes, null);
        small = change.apply(withModel(small, id));
        String only = System.getProperty("parity.only", "");
        Assumptions.assumeTrue(only.isBlank() || label.contains(only), "not selected by -Dparity.only=" + only);
        Path dir = Files.createDirectories(root().resolve("traces").resolve(name + (modelId == null ? "" : "-" + modelId)
                + "-" + Integer.toHexString(label.hashCode())));
        Path file = dir.resolve("manifest.json");
        Files.writeString(file, Json.write(small));
        Path out = dir.resolve("trace");

        List<String> args = new java.util.ArrayList<>(List.of("trace", file.toString(), "--steps", Integer.toString(STEPS),
                "--out", out.toString(), "--batch-size", Integer.toString(BATCH)));
        if (float64) {
            args.add("--float64");
        }
        int code = Main.execute(args.toArray(new String[0]));
        assertThat(code).as("trace exit code").isZero();
        InputShape input = small.model().input();
        boolean mixup = assertTraceFiles(out, id, input, classes);
        assertThat(mixup).isEqualTo(name.contains("mixup"));

        Assumptions.assumeTrue(torch, "no torch/torchvision for " + PYTHON + ": the replay is skipped");
        Process replay = new ProcessBuilder(PYTHON, Paths.projectRoot().resolve("scripts/pytorch-replay").toString(),
                out.toString()).redirectErrorStream(true).start();
        String log = new String(replay.getInputStream().readAllBytes());
        assertThat(replay.waitFor(600, TimeUnit.SECONDS)).isTrue();
        String summary = log.lines().filter(l -> l.startsWith("summary ")).findFirst().orElse(null);
        assertThat(summary).as("pytorch-replay output:\n" + log).isNotNull();
        JsonNode numbers = Json.mapper().readTree(summary.substring("summary ".length()));
        MEASURED.put(label, String.format(java.util.Locale.ROOT, "| %s | %.1e | %.1e (%s) | %.1e |", label,
                numbers.get("loss").asDouble(), numbers.get("weights").asDouble(), numbers.get("worstTensor").asText(),
                numbers.get("logits").asDouble()));
        assertThat(replay.exitValue()).as("pytorch-replay exit code; output:\n" + log).isZero();
        assertThat(numbers.get("steps").asInt()).isEqualTo(STEPS);
        assertThat(numbers.get("dtype").asText()).isEqualTo(float64 ? "float64" : "float32");
    }

    /** The manifest with another zoo model at the same input (VGG-BN in a VGG recipe). */
    private static ExperimentManifest withModel(ExperimentManifest m, String id) {
        if (id.equals(m.model().id())) {
            return m;
        }
        ModelSection section = new ModelSection(id, m.model().classes(), m.model().input(), m.model().init());
        return new ExperimentManifest(m.name(), m.description(), m.tags(), m.source(), section, m.data(), m.training(),
                m.transfer(), m.evaluation(), m.documented(), m.checks(), null, m.distributed());
    }

    /** The five files with the documented names and shapes; returns whether the labels are soft (mixup). */
    private static boolean assertTraceFiles(Path out, String model, InputShape input, int classes) throws Exception {
        JsonNode trace = Json.mapper().readTree(out.resolve("trace.json").toFile());
        assertThat(trace.get("model").asText()).isEqualTo(model);
        assertThat(trace.get("input").asText()).isEqualTo(input.channels() + "x" + input.height() + "x" + input.width());
        assertThat(trace.get("classes").asInt()).isEqualTo(classes);
        assertThat(trace.get("optimizer").get("type").asText()).isIn("sgd", "adam", "adamw");
        for (String field : List.of("lr", "momentum", "nesterov", "weightDecay", "betas", "eps")) {
            assertThat(trace.get("optimizer").has(field)).as("optimizer." + field).isTrue();
        }
        assertThat(trace.get("steps")).hasSize(STEPS);
        for (int i = 0; i < STEPS; i++) {
            JsonNode step = trace.get("steps").get(i);
            assertThat(step.get("step").asInt()).isEqualTo(i + 1);
            assertThat(step.get("lr").asDouble()).isPositive();
            assertThat(step.get("loss").asDouble()).isPositive().isLessThan(100);
        }
        boolean soft = trace.get("mixup").asBoolean();

        Map<String, INDArray> batches = NpzWeights.read(out.resolve("batches.npz")).arrays();
        assertThat(batches).hasSize(2 * STEPS);
        for (int i = 0; i < STEPS; i++) {
            assertThat(batches.get("x" + i).shape()).containsExactly(BATCH, input.channels(), input.height(), input.width());
            assertThat(batches.get("y" + i).shape()).containsExactly(soft ? new long[] {BATCH, classes} : new long[] {BATCH});
        }
        NpzWeights init = NpzWeights.read(out.resolve("init.npz"));
        NpzWeights fin = NpzWeights.read(out.resolve("final.npz"));
        assertThat(fin.arrays().keySet()).containsExactlyElementsOf(init.arrays().keySet());
        for (String key : init.arrays().keySet()) {
            assertThat(fin.arrays().get(key).shape()).as(key).containsExactly(init.arrays().get(key).shape());
        }
        assertThat(init.numClasses()).isEqualTo(classes);
        // The steps trained: some tensor moved.
        assertThat(init.arrays().keySet()).anySatisfy(key ->
                assertThat(fin.arrays().get(key)).isNotEqualTo(init.arrays().get(key)));
        assertThat(NpyArrays.read(out.resolve("logits.npy")).shape()).containsExactly(BATCH, classes);
        return soft;
    }
}
