package io.github.dl4jclassics.training.updaters;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.github.dl4jclassics.training.OptimizerConfig;
import io.github.dl4jclassics.training.Optimizers;
import io.github.dl4jclassics.zoo.ClassifierNetwork;
import io.github.dl4jclassics.zoo.NetworkConfiguration;
import java.io.File;
import java.nio.file.Path;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.GradientUpdater;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.lossfunctions.LossFunctions;

class PyTorchAdamTest {

    /**
     * torch.optim.Adam / AdamW([w], lr=0.1, betas=(0.9, 0.999), eps=1e-8, weight_decay=0.01) from w = [1, -2, 1e-3]
     * with gradients [0.5, -1, 1e-6], [0.25, 0.75, -2e-6], [-1, 2, 3e-7], the rate lowered to 0.05 before the third
     * step (PyTorch 1.13, float64). The third element's gradients are tiny: there DL4J's epsilon placement shows.
     */
    private static final double[][] ADAM = {{0.9000000019607843, -1.9000000009803921, -0.09890917347865576},
            {0.8065550410499319, -1.8889074717226813, -0.025244391641407155},
            {0.8162014054908172, -1.9136039981731794, 0.010225669809436067}};
    private static final double[][] ADAMW = {{0.899000002, -1.898000001, -0.09801090099009901},
            {0.8048830404754623, -1.8871695003595355, -0.06153259207004145},
            {0.8147984501591992, -1.9114890944480305, -0.051801893221339046}};
    private static final double[][] GRADIENTS = {{0.5, -1.0, 1e-6}, {0.25, 0.75, -2e-6}, {-1.0, 2.0, 3e-7}};
    private static final double[] RATES = {0.1, 0.1, 0.05};

    /** The weights after each step as DL4J's updater block applies {@code updater}, L2 or decoupled decay 0.01. */
    private static double[][] steps(IUpdater config, boolean decoupled) {
        INDArray state = Nd4j.zeros(DataType.DOUBLE, 1, 2 * 3);
        GradientUpdater<?> updater = config.instantiate(state, true);
        INDArray w = Nd4j.createFromArray(1.0, -2.0, 1e-3).reshape(1, 3);
        double[][] out = new double[3][];
        for (int step = 0; step < 3; step++) {
            config.setLrAndSchedule(RATES[step], null);
            INDArray g = Nd4j.createFromArray(GRADIENTS[step]).reshape(1, 3);
            if (!decoupled) {
                g.addi(w.mul(0.01)); // L2Regularization, before the updater (Adam's weight_decay)
            }
            updater.applyUpdater(g, step, 0);
            if (decoupled) {
                g.addi(w.mul(0.01 * RATES[step])); // WeightDecay(0.01, applyLR=true), after the updater (AdamW)
            }
            w.subi(g);
            out[step] = w.toDoubleVector();
        }
        return out;
    }

    private static void assertClose(double[][] actual, double[][] expected, double tolerance) {
        for (int step = 0; step < expected.length; step++) {
            for (int i = 0; i < expected[step].length; i++) {
                assertThat(actual[step][i]).as("step %d element %d", step, i).isCloseTo(expected[step][i], within(tolerance));
            }
        }
    }

    @Test
    void adamMatchesPyTorch() {
        assertClose(steps(new PyTorchAdam(0.1, 0.9, 0.999, 1e-8), false), ADAM, 1e-12);
    }

    @Test
    void adamWithDecoupledDecayMatchesPyTorchsAdamW() {
        assertClose(steps(new PyTorchAdam(0.1, 0.9, 0.999, 1e-8), true), ADAMW, 1e-12);
    }

    @Test
    void dl4jsOwnAdamDoesNotOnElementsWithSmallGradients() {
        double[][] dl4j = steps(new Adam(0.1, 0.9, 0.999, 1e-8), false);
        // Its effective epsilon at step 1 is 1e-8 / sqrt(0.001): the tiny-gradient element moves visibly less.
        assertThat(Math.abs(dl4j[0][2] - ADAM[0][2])).isGreaterThan(1e-4);
    }

    @Test
    void optimizersUseItForAdamAndAdamW() {
        for (String type : new String[]{"adam", "adamw"}) {
            OptimizerConfig config = new OptimizerConfig(type, 1e-3, null, null, null, null, null, null, 1e-7, null);
            assertThat(Optimizers.updater(config)).isEqualTo(new PyTorchAdam(1e-3, 0.9, 0.999, 1e-7));
        }
    }

    @Test
    void deliverableModelNamesDl4jsAdamAndTheCheckpointKeepsTheExactUpdater(@TempDir Path dir) throws Exception {
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder().seed(1).list()
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).name("out").nIn(3).nOut(2)
                        .activation(Activation.SOFTMAX).build())
                .build();
        Optimizers.apply(NetworkConfiguration.of(conf), OptimizerConfig.adam(0.01), null);
        MultiLayerNetwork network = new MultiLayerNetwork(conf);
        network.init();
        DataSet batch = new DataSet(Nd4j.createFromArray(new float[][]{{1, 2, 3}, {-1, 0, 2}}),
                Nd4j.createFromArray(new float[][]{{1, 0}, {0, 1}}));
        network.fit(batch);
        // The moments live in the network's updater state (views, not copies).
        assertThat(network.getUpdater().getStateViewArray().amaxNumber().doubleValue()).isGreaterThan(0);

        File deliverable = dir.resolve("model.zip").toFile();
        ClassifierNetwork.of(network).save(deliverable, false);
        MultiLayerNetwork plain = ModelSerializer.restoreMultiLayerNetwork(deliverable, false);
        assertThat(plain.getLayerWiseConfigurations().toJson()).doesNotContain("io.github.dl4jclassics");
        assertThat(((BaseLayer) plain.getLayer(0).conf().getLayer()).getIUpdater()).isEqualTo(new Adam(0.01, 0.9, 0.999, 1e-8));

        File checkpoint = dir.resolve("checkpoint.zip").toFile();
        ClassifierNetwork.of(network).save(checkpoint, true);
        MultiLayerNetwork resumed = ClassifierNetwork.load(checkpoint, true).multiLayer();
        assertThat(((BaseLayer) resumed.getLayer(0).conf().getLayer()).getIUpdater()).isEqualTo(new PyTorchAdam(0.01, 0.9, 0.999, 1e-8));
        assertThat(resumed.getUpdater().getStateViewArray()).isEqualTo(network.getUpdater().getStateViewArray());
        network.fit(batch);
        resumed.fit(batch);
        assertThat(resumed.params()).isEqualTo(network.params());
    }
}
