package io.github.dl4jclassics.training.updaters;

import io.github.dl4jclassics.zoo.NetworkConfiguration;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.github.dl4jclassics.training.LearningRates;
import io.github.dl4jclassics.training.OptimizerConfig;
import io.github.dl4jclassics.training.Optimizers;
import io.github.dl4jclassics.zoo.ClassifierNetwork;
import java.io.File;
import java.nio.file.Path;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.updater.UpdaterBlock;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.GradientUpdater;
import org.nd4j.linalg.lossfunctions.LossFunctions;

class SgdMomentumTest {

    /**
     * torch.optim.SGD([w], lr=0.1, momentum=0.9, nesterov=..., weight_decay=0.01) from w = [1, -2] with gradients
     * [0.5, -1], [0.25, 0.75], [-1, 2] and the rate lowered to 0.05 before the third step (PyTorch 1.13, float64).
     */
    private static final double[][] HEAVY_BALL = {{0.949, -1.898}, {0.8771509999999999, -1.8793019999999998},
            {0.8943803744999999, -1.9699482489999998}};
    private static final double[][] NESTEROV = {{0.9031, -1.8062}, {0.81257411, -1.86264822},
            {0.8777219090955001, -2.043343193191}};

    private static void assertSteps(boolean nesterov, double[][] expected) {
        SgdMomentum config = new SgdMomentum(0.1, 0.9, nesterov);
        INDArray state = Nd4j.zeros(DataType.DOUBLE, 1, 2);
        GradientUpdater<?> updater = config.instantiate(state, true);
        INDArray w = Nd4j.createFromArray(1.0, -2.0).reshape(1, 2);
        double[][] grads = {{0.5, -1.0}, {0.25, 0.75}, {-1.0, 2.0}};
        double[] rates = {0.1, 0.1, 0.05};
        for (int step = 0; step < 3; step++) {
            config.setLrAndSchedule(rates[step], null);
            // DL4J adds the L2 term (PyTorch's weight_decay) to the gradient before the updater.
            INDArray g = Nd4j.createFromArray(grads[step]).reshape(1, 2).addi(w.mul(0.01));
            updater.applyUpdater(g, step, 0);
            w.subi(g);
            assertThat(w.getDouble(0)).as("step %d", step).isCloseTo(expected[step][0], within(1e-12));
            assertThat(w.getDouble(1)).as("step %d", step).isCloseTo(expected[step][1], within(1e-12));
        }
    }

    @Test
    void heavyBallMatchesPyTorch() {
        assertSteps(false, HEAVY_BALL);
    }

    @Test
    void nesterovMatchesPyTorch() {
        assertSteps(true, NESTEROV);
    }

    private static MultiLayerNetwork tinyNetwork() {
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder().seed(1).list()
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).name("out").nIn(3).nOut(2)
                        .activation(Activation.SOFTMAX).build())
                .build();
        Optimizers.apply(NetworkConfiguration.of(conf), new OptimizerConfig("sgd", 0.1, 0.9, true, 1e-3, null, null, null, null, null), null);
        MultiLayerNetwork network = new MultiLayerNetwork(conf);
        network.init();
        return network;
    }

    @Test
    void deliverableModelNamesDl4jsNesterovsAndTheCheckpointKeepsTheBuffer(@TempDir Path dir) throws Exception {
        MultiLayerNetwork network = tinyNetwork();
        network.fit(batch());
        File deliverable = dir.resolve("model.zip").toFile();
        io.github.dl4jclassics.zoo.ClassifierNetwork.of(network).save(deliverable, false);
        MultiLayerNetwork plain = ModelSerializer.restoreMultiLayerNetwork(deliverable, false);
        assertThat(plain.getLayerWiseConfigurations().toJson()).doesNotContain("io.github.dl4jclassics");
        assertThat(((BaseLayer) plain.getLayer(0).conf().getLayer()).getIUpdater())
                .isEqualTo(new org.nd4j.linalg.learning.config.Nesterovs(0.1, 0.9));
        assertThat(plain.params()).isEqualTo(network.params());

        File checkpoint = dir.resolve("checkpoint.zip").toFile();
        io.github.dl4jclassics.zoo.ClassifierNetwork.of(network).save(checkpoint, true);
        MultiLayerNetwork resumed = io.github.dl4jclassics.zoo.ClassifierNetwork.load(checkpoint, true).multiLayer();
        assertThat(((BaseLayer) resumed.getLayer(0).conf().getLayer()).getIUpdater()).isEqualTo(new SgdMomentum(0.1, 0.9, true));
        assertThat(resumed.getUpdater().getStateViewArray()).isEqualTo(network.getUpdater().getStateViewArray());
    }

    private static DataSet batch() {
        return new DataSet(Nd4j.createFromArray(new float[][]{{1, 2, 3}, {-1, 0, 2}}),
                Nd4j.createFromArray(new float[][]{{1, 0}, {0, 1}}));
    }

    @Test
    void savedWithItsMomentumBufferAndContinuesIdentically(@TempDir Path dir) throws Exception {
        MultiLayerNetwork network = tinyNetwork();
        assertThat(MultiLayerConfiguration.fromJson(network.getLayerWiseConfigurations().toJson()))
                .isEqualTo(network.getLayerWiseConfigurations());
        network.fit(batch());
        File file = dir.resolve("m.zip").toFile();
        ModelSerializer.writeModel(network, file, true);
        MultiLayerNetwork restored = ModelSerializer.restoreMultiLayerNetwork(file, true);
        assertThat(((BaseLayer) restored.getLayer(0).conf().getLayer()).getIUpdater())
                .isEqualTo(new SgdMomentum(0.1, 0.9, true));
        assertThat(restored.getUpdater().getStateViewArray()).isEqualTo(network.getUpdater().getStateViewArray());
        network.fit(batch());
        restored.fit(batch());
        assertThat(restored.params()).isEqualTo(network.params());
    }

    @Test
    void learningRatesReachTheLiveWeightAndBiasUpdaters() {
        MultiLayerNetwork network = tinyNetwork();
        network.fit(batch());
        LearningRates.set(ClassifierNetwork.of(network), 0.0123);
        int blocks = 0;
        for (UpdaterBlock block : ((org.deeplearning4j.nn.updater.BaseMultiLayerUpdater<?>) network.getUpdater())
                .getUpdaterBlocks()) {
            assertThat(block.getGradientUpdater().getConfig().getLearningRate(0, 0)).isEqualTo(0.0123);
            blocks++;
        }
        assertThat(blocks).isGreaterThanOrEqualTo(1);
        BaseLayer layer = (BaseLayer) network.getLayer(0).conf().getLayer();
        assertThat(layer.getIUpdater().getLearningRate(0, 0)).isEqualTo(0.0123);
        assertThat(layer.getBiasUpdater().getLearningRate(0, 0)).isEqualTo(0.0123);
        // The step really uses it: with the momentum buffer saved, the bias moves by lr * (m * buf + g).
        INDArray before = network.params().dup();
        network.fit(batch());
        assertThat(network.params()).isNotEqualTo(before);
    }
}
