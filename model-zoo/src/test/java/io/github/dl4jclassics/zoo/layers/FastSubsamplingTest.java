package io.github.dl4jclassics.zoo.layers;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.dl4jclassics.common.FastPath;
import io.github.dl4jclassics.zoo.NetworkConfiguration;
import java.util.stream.Stream;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.executioner.OpExecutioner;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.lossfunctions.LossFunctions;
import org.nd4j.linalg.profiler.OpProfiler;

/** FastSubsampling pools and back-propagates exactly as DL4J's SubsamplingLayer, on oneDNN's primitives directly. */
class FastSubsamplingTest {

    @BeforeAll
    static void fastPath() {
        FastPath.enable();
    }

    @AfterEach
    void reset() {
        Nd4j.getExecutioner().setProfilingMode(OpExecutioner.ProfilingMode.DISABLED);
        System.clearProperty(OneDnn.PROPERTY);
    }

    static Stream<Arguments> poolings() {
        return Stream.of(
                Arguments.of("max 2x2/2 (LeNet, VGG)", SubsamplingLayer.PoolingType.MAX, 2, 2, 0, 6, 28),
                Arguments.of("max 3x3/2 (AlexNet)", SubsamplingLayer.PoolingType.MAX, 3, 2, 0, 20, 13),
                Arguments.of("max 3x3/2 pad 1 (ResNet stem)", SubsamplingLayer.PoolingType.MAX, 3, 2, 1, 16, 32),
                Arguments.of("max 2x2/1 (overlapping)", SubsamplingLayer.PoolingType.MAX, 2, 1, 0, 3, 7),
                Arguments.of("avg 2x2/2 (LeNet-5)", SubsamplingLayer.PoolingType.AVG, 2, 2, 0, 6, 28),
                Arguments.of("avg 3x3/3", SubsamplingLayer.PoolingType.AVG, 3, 3, 0, 5, 9));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("poolings")
    void sameOutputAndInputGradientAsDl4jsLayer(String label, SubsamplingLayer.PoolingType type, int kernel, int stride,
            int pad, int channels, int size) {
        MultiLayerConfiguration conf = pooling(type, kernel, stride, pad, channels, size);
        MultiLayerNetwork reference = new MultiLayerNetwork(conf);
        reference.init();
        MultiLayerNetwork fast = new MultiLayerNetwork(
                (MultiLayerConfiguration) NetworkConfiguration.of(conf).withNativeLayers().dl4j());
        fast.init(reference.params().dup(), true);
        assertThat(fast.getLayer(0)).isInstanceOf(FastSubsamplingLayer.class);
        Nd4j.getRandom().setSeed(11);
        INDArray x = Nd4j.rand(DataType.FLOAT, 4, channels, size, size).subi(0.5);
        INDArray y = labels(4, 3);

        OpProfiler.getInstance().reset();
        Nd4j.getExecutioner().setProfilingMode(OpExecutioner.ProfilingMode.OPERATIONS);
        Pair<Gradient, INDArray> got = fast.calculateGradients(x, y, null, null);
        Nd4j.getExecutioner().setProfilingMode(OpExecutioner.ProfilingMode.DISABLED);
        assertThat(OpProfiler.getInstance().getOpCounter().getCount(type == SubsamplingLayer.PoolingType.MAX
                ? "maxpool2d_bp" : "avgpool2d_bp")).as("libnd4j's pooling backward not used").isZero();
        Pair<Gradient, INDArray> expected = reference.calculateGradients(x, y, null, null);

        assertThat(maxAbsDifference(got.getSecond(), expected.getSecond())).as("input gradient").isLessThan(1e-6);
        for (String key : expected.getFirst().gradientForVariable().keySet()) {
            assertThat(maxAbsDifference(got.getFirst().getGradientFor(key), expected.getFirst().getGradientFor(key)))
                    .as(key).isLessThan(1e-6);
        }
        assertThat(maxAbsDifference(fast.output(x, false), reference.output(x, false))).as("inference").isLessThan(1e-6);
        assertThat(maxAbsDifference(fast.output(x, true), reference.output(x, true))).as("training forward")
                .isLessThan(1e-6);
    }

    @Test
    void maxPoolingSendsTheGradientToOneMaximumPerWindow() {
        MultiLayerConfiguration conf = pooling(SubsamplingLayer.PoolingType.MAX, 2, 2, 0, 1, 4);
        MultiLayerNetwork fast = new MultiLayerNetwork(
                (MultiLayerConfiguration) NetworkConfiguration.of(conf).withNativeLayers().dl4j());
        fast.init();
        INDArray x = Nd4j.create(new float[]{
                1, 2, 0, 0,
                3, 4, 0, 9,
                -1, -2, 5, 5,
                -3, -4, 5, 5}, new long[]{1, 1, 4, 4});
        LayerWorkspaceMgr noWorkspaces = LayerWorkspaceMgr.noWorkspaces();
        org.deeplearning4j.nn.api.Layer layer = fast.getLayer(0);
        layer.setInput(x, noWorkspaces);
        INDArray pooled = layer.activate(true, noWorkspaces);
        assertThat(pooled.reshape(4).toFloatVector()).containsExactly(4, 9, -1, 5);
        INDArray epsilon = Nd4j.create(new float[]{10, 20, 30, 40}, new long[]{1, 1, 2, 2});
        INDArray gradient = layer.backpropGradient(epsilon, noWorkspaces).getSecond();
        float[] g = gradient.reshape(16).toFloatVector();
        assertThat(new float[]{g[0], g[1], g[2], g[3], g[4], g[5], g[6], g[7], g[8], g[9], g[12], g[13]})
                .containsExactly(0, 0, 0, 0, 0, 10, 0, 20, 30, 0, 0, 0);
        // the tied window (all 5): the whole gradient on one of its inputs
        float[] tied = {g[10], g[11], g[14], g[15]};
        assertThat(tied).containsOnly(0f, 40f);
        assertThat(tied[0] + tied[1] + tied[2] + tied[3]).isEqualTo(40f);
    }

    @Test
    void trainsLikeDl4jsLayersForSeveralSteps() {
        MultiLayerConfiguration conf = lenetLike();
        MultiLayerNetwork reference = new MultiLayerNetwork(conf);
        reference.init();
        MultiLayerNetwork fast = new MultiLayerNetwork(
                (MultiLayerConfiguration) NetworkConfiguration.of(conf).withNativeLayers().dl4j());
        fast.init(reference.params().dup(), true);
        assertThat(fast.getLayer(1)).isInstanceOf(FastSubsamplingLayer.class);
        Nd4j.getRandom().setSeed(3);
        DataSet batch = new DataSet(Nd4j.rand(DataType.FLOAT, 8, 3, 12, 12), labels(8, 4));
        DataSet last = new DataSet(Nd4j.rand(DataType.FLOAT, 3, 3, 12, 12), labels(3, 4));
        for (int i = 0; i < 4; i++) {
            reference.fit(batch);
            fast.fit(batch);
            reference.fit(last); // an epoch's smaller last batch: a second primitive shape
            fast.fit(last);
            assertThat(fast.score()).as("step " + i).isCloseTo(reference.score(), org.assertj.core.data.Offset.offset(1e-5));
        }
        assertThat(maxAbsDifference(fast.params(), reference.params())).isLessThan(1e-5);
    }

    @Test
    void float64AndSwitchedOffTakeDl4jsPath() {
        MultiLayerConfiguration conf = pooling(SubsamplingLayer.PoolingType.MAX, 2, 2, 0, 2, 6);
        MultiLayerNetwork fast = new MultiLayerNetwork(
                (MultiLayerConfiguration) NetworkConfiguration.of(conf).withNativeLayers().dl4j());
        fast.init();
        INDArray x = Nd4j.rand(DataType.FLOAT, 2, 2, 6, 6);
        System.setProperty(OneDnn.PROPERTY, "false");
        OpProfiler.getInstance().reset();
        Nd4j.getExecutioner().setProfilingMode(OpExecutioner.ProfilingMode.OPERATIONS);
        fast.calculateGradients(x, labels(2, 3), null, null);
        Nd4j.getExecutioner().setProfilingMode(OpExecutioner.ProfilingMode.DISABLED);
        assertThat(OpProfiler.getInstance().getOpCounter().getCount("maxpool2d_bp")).isEqualTo(1);

        System.clearProperty(OneDnn.PROPERTY);
        MultiLayerNetwork doubles = new MultiLayerNetwork(
                (MultiLayerConfiguration) NetworkConfiguration.of(conf).withNativeLayers().dl4j());
        doubles.init();
        doubles = doubles.convertDataType(DataType.DOUBLE);
        OpProfiler.getInstance().reset();
        Nd4j.getExecutioner().setProfilingMode(OpExecutioner.ProfilingMode.OPERATIONS);
        doubles.calculateGradients(x.castTo(DataType.DOUBLE), labels(2, 3).castTo(DataType.DOUBLE), null, null);
        Nd4j.getExecutioner().setProfilingMode(OpExecutioner.ProfilingMode.DISABLED);
        assertThat(OpProfiler.getInstance().getOpCounter().getCount("maxpool2d_bp")).isEqualTo(1);
    }

    @Test
    void savedAsDl4jsOwnPoolingLayer() {
        MultiLayerConfiguration conf = lenetLike();
        MultiLayerConfiguration swapped = (MultiLayerConfiguration) NetworkConfiguration.of(conf).withNativeLayers().dl4j();
        assertThat(swapped.getConf(1).getLayer()).isInstanceOf(FastSubsampling.class);
        MultiLayerConfiguration stock = (MultiLayerConfiguration) NetworkConfiguration.of(swapped).withStockLayers().dl4j();
        assertThat(stock.getConf(1).getLayer().getClass()).isEqualTo(SubsamplingLayer.class);
        assertThat(stock.getConf(1).getLayer()).isEqualTo(conf.getConf(1).getLayer());
        assertThat(NativeLayers.namesNativeLayers(stock.toJson())).isFalse();
    }

    private static MultiLayerConfiguration pooling(SubsamplingLayer.PoolingType type, int kernel, int stride, int pad,
            int channels, int size) {
        return new NeuralNetConfiguration.Builder().seed(1).dataType(DataType.FLOAT).updater(new Sgd(0.1)).list()
                .layer(new SubsamplingLayer.Builder(type).kernelSize(kernel, kernel).stride(stride, stride)
                        .padding(pad, pad).convolutionMode(ConvolutionMode.Truncate).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(3)
                        .activation(Activation.SOFTMAX).weightInit(WeightInit.XAVIER).build())
                .setInputType(InputType.convolutional(size, size, channels)).build();
    }

    private static MultiLayerConfiguration lenetLike() {
        return new NeuralNetConfiguration.Builder().seed(2).dataType(DataType.FLOAT).updater(new Sgd(0.05)).list()
                .layer(new ConvolutionLayer.Builder(3, 3).nOut(6).activation(Activation.RELU).build())
                .layer(new SubsamplingLayer.Builder(SubsamplingLayer.PoolingType.MAX).kernelSize(2, 2).stride(2, 2).build())
                .layer(new ConvolutionLayer.Builder(3, 3).nOut(8).activation(Activation.RELU).build())
                .layer(new SubsamplingLayer.Builder(SubsamplingLayer.PoolingType.AVG).kernelSize(2, 2).stride(2, 2).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(4)
                        .activation(Activation.SOFTMAX).weightInit(WeightInit.XAVIER).build())
                .setInputType(InputType.convolutional(12, 12, 3)).build();
    }

    private static INDArray labels(int n, int classes) {
        INDArray y = Nd4j.zeros(DataType.FLOAT, n, classes);
        for (int i = 0; i < n; i++) {
            y.putScalar(i, i % classes, 1.0);
        }
        return y;
    }

    private static double maxAbsDifference(INDArray a, INDArray b) {
        return a.castTo(DataType.DOUBLE).sub(b.castTo(DataType.DOUBLE)).amaxNumber().doubleValue();
    }
}
