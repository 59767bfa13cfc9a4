package io.github.dl4jclassics.experiments;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.dl4jclassics.common.Json;
import io.github.dl4jclassics.data.DataConfig;
import io.github.dl4jclassics.data.DataFiles;
import io.github.dl4jclassics.data.DataPipeline;
import io.github.dl4jclassics.data.DatasetRegistry;
import io.github.dl4jclassics.data.DatasetSource;
import io.github.dl4jclassics.data.PrepareOptions;
import io.github.dl4jclassics.data.PreparedData;
import io.github.dl4jclassics.data.transforms.ChannelStatistics;
import io.github.dl4jclassics.data.transforms.Normalize;
import io.github.dl4jclassics.evaluation.Evaluator;
import io.github.dl4jclassics.evaluation.RunResult;
import io.github.dl4jclassics.evaluation.RunStatus;
import io.github.dl4jclassics.evaluation.SplitMetrics;
import io.github.dl4jclassics.evaluation.Verdict;
import io.github.dl4jclassics.experiments.run.ModelEvaluation;
import io.github.dl4jclassics.zoo.ClassifierNetwork;
import io.github.dl4jclassics.common.InputShape;
import io.github.dl4jclassics.zoo.ModelRegistry;
import io.github.dl4jclassics.zoo.ModelSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.dataset.api.preprocessor.NormalizerStandardize;

class ModelEvaluationTest {

    /** The Fashion-MNIST sample shipped in this module. */
    private static final Path SAMPLE_DATA = Path.of("src/main/resources/datasets/fashion-mnist-sample");
    /**
     * A real run of the default experiment made by this build, with its model.zip: -Devaluation.sampleRun=DIR. Only
     * when given (a run made by another build may differ in the last float bits); the end-to-end suite covers the
     * same with a fresh run (DefaultExperimentTest).
     */
    private static final Path REAL_RUN_ROOT = System.getProperty("evaluation.sampleRun") == null ? null
            : Path.of(System.getProperty("evaluation.sampleRun"));

    @TempDir
    Path tmp;

    @Test
    void reproducesTheTestMetricsOfARealRunExactly() throws IOException {
        assumeTrue(Files.isDirectory(SAMPLE_DATA), "sample data set not found at " + SAMPLE_DATA.toAbsolutePath());
        Path run = realRun();
        assumeTrue(run != null, "no real run with a model.zip under " + REAL_RUN_ROOT);
        RunResult recorded = Json.mapper().readValue(run.resolve("result.json").toFile(), RunResult.class);

        Path out = tmp.resolve("evaluation");
        RunResult evaluated = ModelEvaluation.evaluate(run, out, ModelEvaluation.Options.defaults().withDataDir(SAMPLE_DATA));

        assertSameMetrics(evaluated.test(), recorded.test());
        assertSameMetrics(evaluated.validation(), recorded.validation());
        assertThat(evaluated.status()).isEqualTo(RunStatus.EVALUATED);
        assertThat(evaluated.epochs()).isEqualTo(recorded.epochs());
        assertThat(Files.readString(out.resolve("confusion-test.csv")))
                .isEqualTo(Files.readString(run.resolve("confusion-test.csv")));
        for (String file : new String[]{"result.json", "report.html", "report.md", "loss.png", "confusion-test.png",
                "confusion-test-normalized.csv", "manifest.json", "normalization.json"}) {
            assertThat(out.resolve(file)).exists();
        }
    }

    @Test
    void evaluatesASavedModelWithTheNormalizationSavedBesideIt() throws IOException {
        assumeTrue(Files.isDirectory(SAMPLE_DATA), "sample data set not found at " + SAMPLE_DATA.toAbsolutePath());
        // A run folder made here: an untrained LeNet-5 (weights seeded), the sample run's manifest, its statistics.
        Path run = sampleRun(tmp, "run");
        Files.delete(run.resolve("result.json"));
        ObjectNode manifest = (ObjectNode) Json.mapper().readTree(run.resolve("manifest.json").toFile());
        DataConfig config = Json.mapper().treeToValue(manifest.get("data"), DataConfig.class);
        InputShape input = InputShape.parse(manifest.path("model").path("input").asText());
        DatasetSource source = DatasetRegistry.standard().get(config.dataset());
        PreparedData data = DataPipeline.prepare(source, DataFiles.of(SAMPLE_DATA.toString()), config, input,
                PrepareOptions.defaults().withCacheDir(null));
        Json.writeFile(run.resolve("normalization.json"), data.statistics());
        ClassifierNetwork network = ClassifierNetwork.fromConfiguration(
                ModelRegistry.standard().get("lenet5").configuration(new ModelSpec(10, input, 42)));
        network.save(run.resolve("model.zip").toFile(), false);
        SplitMetrics expected = Evaluator.evaluate(network, data.evalIterator(data.test(), 64), data.classNames(), 5);

        Path out = tmp.resolve("out");
        RunResult evaluated = ModelEvaluation.evaluate(run.resolve("model.zip"), out,
                new ModelEvaluation.Options(SAMPLE_DATA, null, null));

        assertSameMetrics(evaluated.test(), expected);
        assertThat(evaluated.validation().count()).isEqualTo(500);
        assertThat(evaluated.verdict()).isEqualTo(Verdict.NO_REFERENCE);
        assertThat(ImageIO.read(out.resolve("confusion-test.png").toFile())).isNotNull();
        RunResult written = Json.mapper().readValue(out.resolve("result.json").toFile(), RunResult.class);
        assertThat(written.test().top1()).isEqualTo(expected.top1());
    }

    @Test
    void evaluatesFromTheNormalizerInsideModelZipAlone() throws IOException {
        assumeTrue(Files.isDirectory(SAMPLE_DATA), "sample data set not found at " + SAMPLE_DATA.toAbsolutePath());
        Path run = sampleRun(tmp, "zip-only");
        Files.deleteIfExists(run.resolve("result.json"));
        Files.deleteIfExists(run.resolve("normalization.json"));
        ObjectNode manifest = (ObjectNode) Json.mapper().readTree(run.resolve("manifest.json").toFile());
        DataConfig config = Json.mapper().treeToValue(manifest.get("data"), DataConfig.class);
        InputShape input = InputShape.parse(manifest.path("model").path("input").asText());
        DatasetSource source = DatasetRegistry.standard().get(config.dataset());
        // Statistics far from the real ones: results can only match when evaluate uses the zip's normalizer.
        NormalizerStandardize own = Normalize.normalizer(new ChannelStatistics(new double[]{20}, new double[]{40}), 1);
        PreparedData data = DataPipeline.prepare(source, DataFiles.of(SAMPLE_DATA.toString()), config, input,
                PrepareOptions.defaults().withCacheDir(null).withSavedNormalizer(own));
        ClassifierNetwork network = ClassifierNetwork.fromConfiguration(
                ModelRegistry.standard().get("lenet5").configuration(new ModelSpec(10, input, 7)));
        Path model = run.resolve("model.zip");
        network.save(model.toFile(), false);
        ModelSerializer.addNormalizerToModel(model.toFile(), own);
        SplitMetrics expected = Evaluator.evaluate(network, data.evalIterator(data.test(), 64), data.classNames(), 5);

        assertThat(ModelEvaluation.restoreNormalizer(model)).isExactlyInstanceOf(NormalizerStandardize.class);
        RunResult evaluated = ModelEvaluation.evaluate(model, tmp.resolve("out-zip"),
                new ModelEvaluation.Options(SAMPLE_DATA, null, null));

        assertSameMetrics(evaluated.test(), expected);
        // Plain DL4J reads the same normalizer back without this project.
        NormalizerStandardize restored = ModelSerializer.restoreNormalizerFromFile(model.toFile());
        assertThat(restored.getMean().getDouble(0)).isEqualTo(20.0);
        assertThat(restored.getStd().getDouble(0)).isEqualTo(40.0);
    }

    @Test
    void clearErrorsForWhatIsMissing() throws IOException {
        assertThatThrownBy(() -> ModelEvaluation.evaluate(tmp, tmp.resolve("out"), ModelEvaluation.Options.defaults()))
                .hasMessageContaining("no model file model.zip in it");
        Path model = tmp.resolve("model.zip");
        Files.writeString(model, "not really a model");
        assertThatThrownBy(() -> ModelEvaluation.evaluate(model, tmp.resolve("out"), ModelEvaluation.Options.defaults()))
                .hasMessageContaining("no manifest.json beside it");
        assertThatThrownBy(() -> ModelEvaluation.evaluate(tmp, tmp, ModelEvaluation.Options.defaults()))
                .hasMessageContaining("overwrite the run's own result.json");
        // The run's manifest is read as a manifest (as resume reads it): what is wrong in it is named.
        Files.writeString(tmp.resolve("manifest.json"), "{\"name\": \"broken\", \"description\": \"d\"}");
        assertThatThrownBy(() -> ModelEvaluation.evaluate(model, tmp.resolve("out"), ModelEvaluation.Options.defaults()))
                .hasMessageContaining(tmp.resolve("manifest.json").toString()).hasMessageContaining("model");
    }

    private static Path realRun() throws IOException {
        if (REAL_RUN_ROOT == null || !Files.isDirectory(REAL_RUN_ROOT)) {
            return null;
        }
        try (Stream<Path> runs = Files.list(REAL_RUN_ROOT)) {
            return runs.filter(r -> Files.isRegularFile(r.resolve("model.zip")) && Files.isRegularFile(r.resolve("result.json")))
                    .sorted().findFirst().orElse(null);
        }
    }

    private static void assertSameMetrics(SplitMetrics actual, SplitMetrics expected) {
        assertThat(actual.count()).isEqualTo(expected.count());
        assertThat(actual.top1()).isEqualTo(expected.top1());
        assertThat(actual.top5()).isEqualTo(expected.top5());
        assertThat(actual.topK()).isEqualTo(expected.topK());
        assertThat(actual.loss()).isEqualTo(expected.loss());
        assertThat(actual.classes()).isEqualTo(expected.classes());
        assertThat(actual.confusionMatrix()).isDeepEqualTo(expected.confusionMatrix());
        assertThat(actual.perClassAccuracy()).containsExactly(expected.perClassAccuracy());
        assertThat(actual.precision()).containsExactly(expected.precision());
        assertThat(actual.f1()).containsExactly(expected.f1());
        assertThat(actual.macro()).isEqualTo(expected.macro());
        assertThat(actual.weighted()).isEqualTo(expected.weighted());
    }

    /** The small files of the real sample run (test resources) in a new run folder {@code parent/name}. */
    private static Path sampleRun(Path parent, String name) throws IOException {
        Path run = parent.resolve(name);
        Files.createDirectories(run);
        for (String file : new String[]{"result.json", "epochs.csv", "manifest.json", "environment.json"}) {
            try (java.io.InputStream in = ModelEvaluationTest.class.getResourceAsStream(
                    "/sample-run/lenet5-fashion-mnist-sample/" + file)) {
                if (in == null) {
                    throw new IOException("test resource sample-run/lenet5-fashion-mnist-sample/" + file + " is missing");
                }
                Files.copy(in, run.resolve(file));
            }
        }
        return run;
    }
}
