package io.github.dl4jclassics.zoo;

import io.github.dl4jclassics.common.InputShape;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.dl4jclassics.common.FastPath;
import io.github.dl4jclassics.zoo.layers.FastConvolution;
import io.github.dl4jclassics.zoo.layers.NativeLayers;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.ZipFile;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.shade.jackson.databind.JsonNode;
import org.nd4j.shade.jackson.databind.node.ObjectNode;

/**
 * A saved model names DL4J's classes only (no native layer, no zoo initialiser), holds exactly the trained parameters
 * and computes the same outputs in plain DL4J; loading it back for training swaps the native layers in (CPU).
 */
class PortableModelTest {

    @BeforeAll
    static void enable() {
        FastPath.enable();
    }

    @ParameterizedTest
    @CsvSource({"lenet5, 1x32x32, 10", "alexnet-scene, 3x64x64, 6", "resnet18, 3x64x64, 6"})
    void savedModelOpensInPlainDl4jWithTheTrainedParameters(String id, String input, int classes, @TempDir Path dir)
            throws IOException {
        ClassicModel model = ModelRegistry.standard().get(id);
        ModelSpec spec = new ModelSpec(classes, InputShape.parse(input), 3);
        ClassifierNetwork network = model.create(spec);
        if (NativeLayers.onThisBackend()) {
            assertThat(NativeLayers.namesNativeLayers(configurationJson(network))).as("runs with native layers").isTrue();
        }
        DataSet batch = randomBatch(spec, 4);
        network.fit(batch);

        File file = dir.resolve("model.zip").toFile();
        network.save(file, false);

        String saved = savedConfiguration(file);
        assertThat(saved).doesNotContain("io.github.dl4jclassics");
        Model restored = network.isGraph() ? ModelSerializer.restoreComputationGraph(file)
                : ModelSerializer.restoreMultiLayerNetwork(file);
        assertThat(restored.params()).isEqualTo(network.params());
        INDArray expected = network.output(batch.getFeatures(), false);
        INDArray actual = restored instanceof ComputationGraph graph ? graph.outputSingle(batch.getFeatures())
                : ((MultiLayerNetwork) restored).output(batch.getFeatures());
        assertThat(actual.shape()).containsExactly(4, classes);
        assertThat(actual.equalsWithEps(expected, 1e-5)).as("plain DL4J computes the trained network's outputs").isTrue();

        ClassifierNetwork loaded = ClassifierNetwork.load(file, false);
        assertThat(loaded.params()).isEqualTo(network.params());
        assertThat(NativeLayers.namesNativeLayers(configurationJson(loaded))).isEqualTo(NativeLayers.onThisBackend());
        assertThat(loaded.output(batch.getFeatures(), false).equalsWithEps(expected, 1e-5)).isTrue();
    }

    @ParameterizedTest
    @CsvSource({"lenet5, 1x32x32, 10", "resnet18, 3x32x32, 6"})
    void checkpointKeepsTheUpdaterStateAndLoadsBitIdentical(String id, String input, int classes, @TempDir Path dir)
            throws IOException {
        ClassicModel model = ModelRegistry.standard().get(id);
        ModelSpec spec = new ModelSpec(classes, InputShape.parse(input), 3);
        NetworkConfiguration configuration = model.configuration(spec).forBackend();
        // A stateful updater, so that there is updater state to keep.
        for (Layer layer : configuration.layers().values()) {
            if (layer instanceof BaseLayer base) {
                base.setIUpdater(new Adam(1e-3));
                base.setBiasUpdater(new Adam(1e-3));
            }
        }
        ClassifierNetwork network = ClassifierNetwork.fromConfiguration(configuration);
        DataSet batch = randomBatch(spec, 4);
        network.fit(batch);
        assertThat(updaterState(network)).isNotNull();
        File file = dir.resolve("checkpoint.zip").toFile();
        network.save(file, true);
        assertThat(NativeLayers.namesNativeLayers(savedConfiguration(file))).isFalse();

        ClassifierNetwork resumed = ClassifierNetwork.load(file, true);
        assertThat(resumed.params()).isEqualTo(network.params());
        assertThat(updaterState(resumed)).isEqualTo(updaterState(network));
        // One more identical step on both: a resumed network continues exactly as the original.
        assertThat(iterations(resumed)).as("iterations (Adam's bias correction)").isEqualTo(iterations(network))
                .isEqualTo(1);
        network.fit(batch);
        resumed.fit(batch);
        assertThat(resumed.params()).isEqualTo(network.params());
    }

    @ParameterizedTest
    @CsvSource({"lenet5, 1x32x32, 10", "resnet18, 3x32x32, 6"})
    void stockAndBackAgainIsTheSameConfiguration(String id, String input, int classes) {
        ClassicModel model = ModelRegistry.standard().get(id);
        NetworkConfiguration zoo = model.configuration(new ModelSpec(classes, InputShape.parse(input), 3));
        NetworkConfiguration fast = zoo.withNativeLayers();
        NetworkConfiguration stock = fast.withStockLayers();
        assertThat(NativeLayers.namesNativeLayers(json(fast))).isTrue();
        assertThat(tree(stock)).isEqualTo(tree(zoo));
        assertThat(tree(stock.withNativeLayers())).isEqualTo(tree(fast));
        if (fast.dl4j() instanceof MultiLayerConfiguration conf) {
            assertThat(conf.getConf(0).getLayer()).isInstanceOf(FastConvolution.class);
        }
    }

    static DataSet randomBatch(ModelSpec spec, int size) {
        Nd4j.getRandom().setSeed(11);
        InputShape in = spec.input();
        INDArray features = Nd4j.rand(size, in.channels(), in.height(), in.width());
        INDArray labels = Nd4j.zeros(size, spec.numClasses());
        for (int i = 0; i < size; i++) {
            labels.putScalar(i, i % spec.numClasses(), 1.0);
        }
        return new DataSet(features, labels);
    }

    private static INDArray updaterState(ClassifierNetwork network) {
        return network.isGraph() ? network.graph().getUpdater().getStateViewArray()
                : network.multiLayer().getUpdater().getStateViewArray();
    }

    private static String configurationJson(ClassifierNetwork network) {
        return json(network.configuration());
    }

    private static String json(NetworkConfiguration configuration) {
        return configuration.toJson();
    }

    /** The JSON tree (field order ignored) without the graph's cached topological order, which a copy recomputes. */
    private static JsonNode tree(NetworkConfiguration configuration) {
        try {
            JsonNode tree = NeuralNetConfiguration.mapper().readTree(json(configuration));
            if (tree instanceof ObjectNode object) {
                object.remove(List.of("topologicalOrder", "topologicalOrderStr"));
            }
            return tree;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static String savedConfiguration(File file) throws IOException {
        try (ZipFile zip = new ZipFile(file)) {
            return new String(zip.getInputStream(zip.getEntry("configuration.json")).readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static int iterations(ClassifierNetwork network) {
        return network.isGraph() ? network.graph().getIterationCount() : network.multiLayer().getIterationCount();
    }
}
