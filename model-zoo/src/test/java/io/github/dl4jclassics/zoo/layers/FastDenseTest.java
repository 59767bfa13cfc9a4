package io.github.dl4jclassics.zoo.layers;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.dl4jclassics.common.FastPath;
import io.github.dl4jclassics.zoo.NetworkConfiguration;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.executioner.OpExecutioner;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Nesterovs;
import org.nd4j.linalg.lossfunctions.LossFunctions;
import org.nd4j.linalg.profiler.OpProfiler;

/** FastDense computes DL4J's dense layer (outputs, gradients, training) on oneDNN's inner-product primitives. */
class FastDenseTest {

    @BeforeAll
    static void fastPath() {
        FastPath.enable();
    }

    @AfterEach
    void reset() {
        Nd4j.getExecutioner().setProfilingMode(OpExecutioner.ProfilingMode.DISABLED);
        System.clearProperty(FastDenseLayer.PROPERTY);
    }

    @Test
    void sameGradientsAsDl4jsDenseLayersWithoutItsMatrixProducts() {
        MultiLayerConfiguration conf = network(0.0);
        MultiLayerNetwork reference = new MultiLayerNetwork(conf);
        reference.init();
        MultiLayerNetwork fast = swapped(conf);
        fast.init(reference.params().dup(), true);
        assertThat(fast.getLayer(1)).isInstanceOf(FastDenseLayer.class);
        assertThat(fast.getLayer(2)).isInstanceOf(FastDenseLayer.class);
        assertThat(fast.getLayer(3)).isInstanceOf(FastDenseLayer.class);
        Nd4j.getRandom().setSeed(7);
        INDArray x = Nd4j.rand(DataType.FLOAT, 5, 2, 6, 6).subi(0.5);
        INDArray y = labels(5, 3);

        Pair<Gradient, INDArray> got = fast.calculateGradients(x, y, null, null);
        for (int i = 1; i <= 3; i++) {
            assertThat(((FastDenseLayer) fast.getLayer(i)).primitiveSets()).as("layer " + i + " on oneDNN")
                    .isEqualTo(1);
        }
        Pair<Gradient, INDArray> expected = reference.calculateGradients(x, y, null, null);
        for (String key : expected.getFirst().gradientForVariable().keySet()) {
            assertThat(relative(got.getFirst().getGradientFor(key), expected.getFirst().getGradientFor(key))).as(key)
                    .isLessThan(1e-5);
        }
        assertThat(maxAbs(fast.output(x, false), reference.output(x, false))).isLessThan(1e-6);
    }

    @Test
    void trainsLikeDl4jsLayersIncludingDropoutAndAnEpochsLastBatch() {
        MultiLayerConfiguration conf = network(0.5);
        MultiLayerNetwork reference = new MultiLayerNetwork(conf);
        reference.init();
        MultiLayerNetwork fast = swapped(conf);
        fast.init(reference.params().dup(), true);
        Nd4j.getRandom().setSeed(9);
        DataSet batch = new DataSet(Nd4j.rand(DataType.FLOAT, 8, 2, 6, 6), labels(8, 3));
        DataSet last = new DataSet(Nd4j.rand(DataType.FLOAT, 3, 2, 6, 6), labels(3, 3));
        for (int i = 0; i < 4; i++) {
            for (DataSet d : new DataSet[]{batch, last}) {
                Nd4j.getRandom().setSeed(100 + i); // the same dropout masks on both sides
                reference.fit(d);
                Nd4j.getRandom().setSeed(100 + i);
                fast.fit(d);
                assertThat(fast.score()).as("step " + i).isCloseTo(reference.score(),
                        org.assertj.core.data.Offset.offset(1e-5));
            }
        }
        assertThat(relative(fast.params(), reference.params())).isLessThan(1e-5);
    }

    @Test
    void switchedOffOrFloat64TakesDl4jsPath() {
        MultiLayerConfiguration conf = network(0.0);
        MultiLayerNetwork reference = new MultiLayerNetwork(conf);
        reference.init();
        INDArray x = Nd4j.rand(DataType.FLOAT, 4, 2, 6, 6);
        System.setProperty(FastDenseLayer.PROPERTY, "false");
        MultiLayerNetwork off = swapped(conf);
        off.init(reference.params().dup(), true);
        Pair<Gradient, INDArray> got = off.calculateGradients(x, labels(4, 3), null, null);
        assertThat(((FastDenseLayer) off.getLayer(1)).primitiveSets()).isZero();
        assertThat(relative(got.getFirst().gradient(), reference.calculateGradients(x, labels(4, 3), null, null)
                .getFirst().gradient())).isLessThan(1e-6);

        System.clearProperty(FastDenseLayer.PROPERTY);
        MultiLayerNetwork doubles = swapped(conf);
        doubles.init();
        doubles = doubles.convertDataType(DataType.DOUBLE);
        doubles.calculateGradients(x.castTo(DataType.DOUBLE), labels(4, 3).castTo(DataType.DOUBLE), null, null);
        assertThat(((FastDenseLayer) doubles.getLayer(1)).primitiveSets()).isZero();
    }

    @Test
    void savedAsDl4jsOwnDenseLayer() {
        MultiLayerConfiguration conf = network(0.5);
        MultiLayerConfiguration swapped = (MultiLayerConfiguration) NetworkConfiguration.of(conf).withNativeLayers().dl4j();
        assertThat(swapped.getConf(1).getLayer()).isInstanceOf(FastDense.class);
        MultiLayerConfiguration stock = (MultiLayerConfiguration) NetworkConfiguration.of(swapped).withStockLayers().dl4j();
        assertThat(stock.getConf(1).getLayer().getClass()).isEqualTo(DenseLayer.class);
        assertThat(stock.getConf(1).getLayer()).isEqualTo(conf.getConf(1).getLayer());
        assertThat(NativeLayers.namesNativeLayers(stock.toJson())).isFalse();
    }

    /** conv -> dense ReLU (dropout on its input) -> dense identity without bias -> dense ReLU -> softmax output. */
    private static MultiLayerConfiguration network(double dropOut) {
        NeuralNetConfiguration.ListBuilder list = new NeuralNetConfiguration.Builder().seed(4).dataType(DataType.FLOAT)
                .updater(new Nesterovs(0.05, 0.9)).weightInit(WeightInit.XAVIER).list()
                .layer(new ConvolutionLayer.Builder(3, 3).nOut(4).activation(Activation.RELU).build());
        DenseLayer.Builder first = new DenseLayer.Builder().nOut(20).activation(Activation.RELU);
        if (dropOut > 0) {
            first.dropOut(dropOut);
        }
        return list.layer(first.build())
                .layer(new DenseLayer.Builder().nOut(12).hasBias(false).activation(Activation.IDENTITY).build())
                .layer(new DenseLayer.Builder().nOut(10).activation(Activation.RELU).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(3)
                        .activation(Activation.SOFTMAX).build())
                .setInputType(InputType.convolutional(6, 6, 2)).build();
    }

    private static MultiLayerNetwork swapped(MultiLayerConfiguration conf) {
        return new MultiLayerNetwork((MultiLayerConfiguration) NetworkConfiguration.of(conf).withNativeLayers().dl4j());
    }

    private static INDArray labels(int n, int classes) {
        INDArray y = Nd4j.zeros(DataType.FLOAT, n, classes);
        for (int i = 0; i < n; i++) {
            y.putScalar(i, i % classes, 1.0);
        }
        return y;
    }

    private static double maxAbs(INDArray a, INDArray b) {
        return a.castTo(DataType.DOUBLE).sub(b.castTo(DataType.DOUBLE)).amaxNumber().doubleValue();
    }

    private static double relative(INDArray a, INDArray b) {
        return maxAbs(a, b) / Math.max(1e-12, b.castTo(DataType.DOUBLE).amaxNumber().doubleValue());
    }
}
