package io.github.dl4jclassics.zoo.layers;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.dl4jclassics.common.FastPath;
import io.github.dl4jclassics.zoo.NetworkConfiguration;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/** FastActivation gives DL4J's activation layer's outputs and gradients. */
class FastActivationTest {

    @BeforeAll
    static void fastPath() {
        FastPath.enable();
    }

    @ParameterizedTest
    @EnumSource(value = Activation.class, names = {"RELU", "TANH"})
    void sameOutputsAndGradientsAsDl4jsLayer(Activation activation) {
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder().seed(3).dataType(DataType.FLOAT)
                .updater(new Sgd(0.1)).weightInit(WeightInit.XAVIER).list()
                // (DL4J's own activation layer cannot be a network's first in inference: its output is not in the
                // workspace DL4J's validation expects)
                .layer(new ConvolutionLayer.Builder(1, 1).nOut(4).activation(Activation.IDENTITY).build())
                .layer(new ActivationLayer.Builder().activation(activation).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(3)
                        .activation(Activation.SOFTMAX).build())
                .setInputType(InputType.convolutional(5, 5, 4)).build();
        MultiLayerNetwork reference = new MultiLayerNetwork(conf);
        reference.init();
        MultiLayerNetwork fast = new MultiLayerNetwork(
                (MultiLayerConfiguration) NetworkConfiguration.of(conf).withNativeLayers().dl4j());
        fast.init(reference.params().dup(), true);
        assertThat(fast.getLayer(1)).isInstanceOf(FastActivationLayer.class);
        Nd4j.getRandom().setSeed(1);
        INDArray x = Nd4j.rand(DataType.FLOAT, 6, 4, 5, 5).subi(0.5);
        INDArray y = Nd4j.zeros(DataType.FLOAT, 6, 3);
        for (int i = 0; i < 6; i++) {
            y.putScalar(i, i % 3, 1.0);
        }
        INDArray before = x.dup();
        var got = fast.calculateGradients(x, y, null, null);
        var expected = reference.calculateGradients(x, y, null, null);
        assertThat(got.getFirst().gradient().sub(expected.getFirst().gradient()).amaxNumber().doubleValue())
                .isLessThan(1e-5); // the first convolution's weight gradient rounds differently (oneDNN directly)
        assertThat(fast.output(x, false).sub(reference.output(x, false)).amaxNumber().doubleValue()).isLessThan(1e-6);
        assertThat(x).as("input untouched").isEqualTo(before);
    }

    @Test
    void reluLayerAloneKeepsItsInputAndGivesStepTimesEpsilon() {
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder().dataType(DataType.FLOAT).list()
                .layer(new ActivationLayer.Builder().activation(Activation.RELU).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MSE).nOut(2).activation(Activation.IDENTITY)
                        .build())
                .setInputType(InputType.feedForward(4)).build();
        MultiLayerNetwork fast = new MultiLayerNetwork(
                (MultiLayerConfiguration) NetworkConfiguration.of(conf).withNativeLayers().dl4j());
        fast.init();
        LayerWorkspaceMgr none = LayerWorkspaceMgr.noWorkspaces();
        var layer = fast.getLayer(0);
        INDArray x = Nd4j.createFromArray(new float[][]{{-1f, 0f, 2f, 3f}}); // relu'(0) = 0, as DL4J's relu_bp
        layer.setInput(x, none);
        assertThat(layer.activate(true, none).toFloatVector()).containsExactly(0f, 0f, 2f, 3f);
        INDArray eps = Nd4j.createFromArray(new float[][]{{5f, 6f, 7f, 8f}});
        assertThat(layer.backpropGradient(eps, none).getSecond().toFloatVector()).containsExactly(0f, 0f, 7f, 8f);
        assertThat(x.toFloatVector()).containsExactly(-1f, 0f, 2f, 3f);
    }
}
