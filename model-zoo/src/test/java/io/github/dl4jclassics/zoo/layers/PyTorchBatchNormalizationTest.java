package io.github.dl4jclassics.zoo.layers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.github.dl4jclassics.zoo.ClassifierNetwork;
import io.github.dl4jclassics.zoo.NetworkConfiguration;
import java.io.File;
import java.nio.file.Path;
import java.util.List;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.util.ModelSerializer;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.learning.regularization.L2Regularization;
import org.nd4j.linalg.learning.regularization.Regularization;
import org.nd4j.linalg.lossfunctions.LossFunctions;

class PyTorchBatchNormalizationTest {

    /** BN over 3 channels of 4x4 images, then a softmax layer; plain SGD 0.1 and L2 {@code decay} on every layer. */
    private static MultiLayerConfiguration configuration(boolean useLogStd, double decay) {
        List<Regularization> l2 = decay > 0 ? List.of(new L2Regularization(decay)) : List.of();
        return new NeuralNetConfiguration.Builder().seed(3).dataType(DataType.FLOAT).updater(new Sgd(0.1))
                .regularization(l2).regularizationBias(l2).list()
                .layer(new BatchNormalization.Builder().name("bn").eps(1e-5).decay(0.9).useLogStd(useLogStd).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).name("out").nOut(2)
                        .activation(Activation.SOFTMAX).build())
                .setInputType(InputType.convolutional(4, 4, 3))
                .build();
    }

    private static DataSet batch() {
        Nd4j.getRandom().setSeed(7);
        INDArray x = Nd4j.rand(DataType.FLOAT, 5, 3, 4, 4).muli(3).subi(1);
        INDArray y = Nd4j.zeros(DataType.FLOAT, 5, 2);
        for (int i = 0; i < 5; i++) {
            y.putScalar(i, i % 2, 1);
        }
        return new DataSet(x, y);
    }

    private static MultiLayerNetwork network(MultiLayerConfiguration conf) {
        MultiLayerNetwork network = new MultiLayerNetwork((MultiLayerConfiguration)
                NetworkConfiguration.of(conf).forBackend().dl4j());
        network.init();
        return network;
    }

    private static INDArray runningVariance(MultiLayerNetwork network, boolean useLogStd) {
        if (!useLogStd) {
            return network.getParam("0_var");
        }
        INDArray std = Nd4j.valueArrayOf(network.getParam("0_log10stdev").shape(), 10.0, DataType.FLOAT);
        std = org.nd4j.linalg.ops.transforms.Transforms.pow(std, network.getParam("0_log10stdev"));
        return std.mul(std);
    }

    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void runningVarianceMovesTowardsTheUnbiasedBatchVarianceAsPyTorchs(boolean useLogStd) {
        MultiLayerNetwork network = network(configuration(useLogStd, 0));
        assertThat(network.getLayer(0).conf().getLayer()).isInstanceOf(PyTorchBatchNormalization.class);
        DataSet batch = batch();
        network.fit(batch);
        // PyTorch (momentum 0.1, running_var starts at 1): 0.9 * 1 + 0.1 * var(x, unbiased) over N*H*W = 80 values.
        INDArray unbiased = batch.getFeatures().castTo(DataType.DOUBLE).var(true, 0, 2, 3);
        INDArray biased = batch.getFeatures().castTo(DataType.DOUBLE).var(false, 0, 2, 3);
        INDArray actual = runningVariance(network, useLogStd).castTo(DataType.DOUBLE).reshape(3);
        for (int c = 0; c < 3; c++) {
            double expected = 0.9 + 0.1 * unbiased.getDouble(c);
            assertThat(actual.getDouble(c)).as("channel %d", c).isCloseTo(expected, within(2e-6 * expected));
            // DL4J's own update (biased variance) would be off by 0.1 * var / 79.
            assertThat(Math.abs(actual.getDouble(c) - (0.9 + 0.1 * biased.getDouble(c)))).isGreaterThan(1e-4);
        }
        INDArray mean = batch.getFeatures().castTo(DataType.DOUBLE).mean(0, 2, 3);
        for (int c = 0; c < 3; c++) {
            assertThat(network.getParam("0_mean").getDouble(c)).isCloseTo(0.1 * mean.getDouble(c), within(1e-6));
        }
    }

    @Test
    void gammaAndBetaTakeTheLayersWeightDecay() {
        MultiLayerNetwork decayed = network(configuration(false, 0.5));
        MultiLayerNetwork plain = network(configuration(false, 0));
        decayed.fit(batch());
        plain.fit(batch());
        // Plain SGD, one step: the L2 term adds lr * lambda * value (gamma 1, beta 0) to each parameter's step.
        INDArray gammaDifference = plain.getParam("0_gamma").sub(decayed.getParam("0_gamma"));
        for (int c = 0; c < 3; c++) {
            assertThat(gammaDifference.getDouble(c)).isCloseTo(0.1 * 0.5 * 1.0, within(1e-6));
        }
        assertThat(decayed.getParam("0_beta")).isEqualTo(plain.getParam("0_beta"));
        decayed.fit(batch());
        plain.fit(batch());
        assertThat(decayed.getParam("0_beta")).isNotEqualTo(plain.getParam("0_beta"));
    }

    @Test
    void savedAsDl4jsOwnBatchNormalizationAndSwappedBackOnLoad(@TempDir Path dir) throws Exception {
        MultiLayerNetwork network = network(configuration(false, 0.5));
        network.fit(batch());
        File file = dir.resolve("model.zip").toFile();
        ClassifierNetwork.of(network).save(file, true);
        MultiLayerNetwork plain = ModelSerializer.restoreMultiLayerNetwork(file, true);
        BatchNormalization stock = (BatchNormalization) plain.getLayer(0).conf().getLayer();
        assertThat(stock.getClass()).isEqualTo(BatchNormalization.class);
        assertThat(stock.isUseLogStd()).isFalse();
        assertThat(((BaseLayer) stock).getRegularization()).containsExactly(new L2Regularization(0.5));
        assertThat(plain.params()).isEqualTo(network.params());

        MultiLayerNetwork loaded = ClassifierNetwork.load(file, true).multiLayer();
        assertThat(loaded.getLayer(0).conf().getLayer()).isInstanceOf(PyTorchBatchNormalization.class);
        network.fit(batch());
        loaded.fit(batch());
        assertThat(loaded.params()).isEqualTo(network.params());
    }
}
