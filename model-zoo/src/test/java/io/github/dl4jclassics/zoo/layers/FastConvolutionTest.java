package io.github.dl4jclassics.zoo.layers;

import io.github.dl4jclassics.zoo.NetworkConfiguration;
import static org.assertj.core.api.Assertions.assertThat;

import io.github.dl4jclassics.common.FastPath;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.executioner.OpExecutioner;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Nesterovs;
import org.nd4j.linalg.lossfunctions.LossFunctions;
import org.nd4j.linalg.profiler.OpProfiler;

/** FastConvolution trains exactly like DL4J's ConvolutionLayer, with one forward convolution per step instead of two. */
class FastConvolutionTest {

    @BeforeAll
    static void fastPath() {
        FastPath.enable();
    }

    @AfterEach
    void profilingOff() {
        Nd4j.getExecutioner().setProfilingMode(OpExecutioner.ProfilingMode.DISABLED);
        System.clearProperty(BackwardChoice.PROPERTY);
    }

    @Test
    void copiesEveryFieldOfTheConvolution() {
        ConvolutionLayer conv = new ConvolutionLayer.Builder(5, 3).name("conv1").nIn(3).nOut(8).stride(2, 1)
                .padding(2, 1).dilation(1, 1).hasBias(false).activation(Activation.RELU)
                .convolutionMode(ConvolutionMode.Truncate).build();
        FastConvolution fast = NativeLayers.fastConvolution(conv);
        assertThat(fast.getLayerName()).isEqualTo("conv1");
        assertThat(fast.getKernelSize()).containsExactly(5, 3);
        assertThat(fast.getStride()).containsExactly(2, 1);
        assertThat(fast.getPadding()).containsExactly(2, 1);
        assertThat(fast.hasBias()).isFalse();
        assertThat(fast.getNIn()).isEqualTo(3);
        assertThat(fast.getNOut()).isEqualTo(8);
        assertThat(fast.getActivationFn()).isEqualTo(conv.getActivationFn());
    }

    @Test
    void sameLossGradientsAndParametersAfterTrainingSteps() {
        MultiLayerConfiguration conf = configuration();
        MultiLayerNetwork reference = new MultiLayerNetwork(conf);
        reference.init();
        MultiLayerNetwork fast = new MultiLayerNetwork((MultiLayerConfiguration) NetworkConfiguration.of(conf).withNativeLayers().dl4j());
        fast.init(reference.params().dup(), true);
        assertThat(fast.getLayer(0)).isInstanceOf(FastConvolutionLayer.class);
        assertThat(fast.getLayer(2)).isInstanceOf(FastConvolutionLayer.class);
        DataSet batch = batch();

        reference.setInput(batch.getFeatures());
        reference.setLabels(batch.getLabels());
        fast.setInput(batch.getFeatures());
        fast.setLabels(batch.getLabels());
        reference.computeGradientAndScore();
        fast.computeGradientAndScore();
        assertThat(fast.score()).isEqualTo(reference.score());
        assertThat(relativeDifference(fast.gradient().gradient(), reference.gradient().gradient())).isLessThan(1e-5);

        for (int i = 0; i < 3; i++) {
            reference.fit(batch);
            fast.fit(batch);
        }
        assertThat(maxAbsDifference(fast.params(), reference.params())).isLessThan(1e-5);
        assertThat(maxAbsDifference(fast.output(batch.getFeatures()), reference.output(batch.getFeatures())))
                .isLessThan(1e-5);
    }

    @Test
    void directBackwardGivesDl4jsGradientsAndParameters() {
        System.setProperty(BackwardChoice.PROPERTY, "direct");
        MultiLayerConfiguration conf = deeperConfiguration();
        MultiLayerNetwork reference = new MultiLayerNetwork(conf);
        reference.init();
        MultiLayerNetwork fast = new MultiLayerNetwork((MultiLayerConfiguration) NetworkConfiguration.of(conf).withNativeLayers().dl4j());
        fast.init(reference.params().dup(), true);
        Nd4j.getRandom().setSeed(5);
        INDArray x = Nd4j.rand(DataType.FLOAT, 6, 3, 9, 9);
        INDArray y = Nd4j.zeros(DataType.FLOAT, 6, 4);
        for (int i = 0; i < 6; i++) {
            y.putScalar(i, i % 4, 1.0);
        }
        DataSet batch = new DataSet(x, y);

        OpProfiler.getInstance().reset();
        Nd4j.getExecutioner().setProfilingMode(OpExecutioner.ProfilingMode.OPERATIONS);
        var got = fast.calculateGradients(x, y, null, null);
        Nd4j.getExecutioner().setProfilingMode(OpExecutioner.ProfilingMode.DISABLED);
        assertThat(OpProfiler.getInstance().getOpCounter().getCount("conv2d_bp")).as("no conv2d_bp on the direct path")
                .isZero();
        assertThat(OpProfiler.getInstance().getOpCounter().getCount("deconv2d")).as("input gradients of layers 1 and 4")
                .isEqualTo(2);
        var ref = reference.calculateGradients(x, y, null, null);
        for (String key : ref.getFirst().gradientForVariable().keySet()) {
            assertThat(relativeDifference(got.getFirst().getGradientFor(key), ref.getFirst().getGradientFor(key)))
                    .as(key).isLessThan(1e-5);
        }
        for (int i = 0; i < 3; i++) {
            reference.fit(batch);
            fast.fit(batch);
        }
        assertThat(maxAbsDifference(fast.params(), reference.params())).isLessThan(1e-5);
    }

    @Test
    void eachLayerMeasuresBothBackwardPathsThenKeepsOne() {
        MultiLayerNetwork fast = new MultiLayerNetwork((MultiLayerConfiguration) NetworkConfiguration.of(deeperConfiguration()).withNativeLayers().dl4j());
        fast.init();
        DataSet batch = batch();
        FastConvolutionLayer second = (FastConvolutionLayer) fast.getLayer(1);
        for (int i = 0; i < BackwardChoice.TRIALS; i++) {
            assertThat(second.backwardPath()).startsWith("measuring");
            fast.fit(new DataSet(Nd4j.rand(DataType.FLOAT, 6, 3, 9, 9), batch.getLabels().get(
                    org.nd4j.linalg.indexing.NDArrayIndex.interval(0, 6))));
        }
        assertThat(second.backwardPath()).matches("(direct|conv2d_bp) \\(best direct .* ms, conv2d_bp .* ms\\)");
        assertThat(((FastConvolutionLayer) fast.getLayer(0)).backwardPath()).as("first layer: always direct, never measured")
                .startsWith("measuring (0/");
    }

    @Test
    void reluBackpropEqualsDl4js() {
        Nd4j.getRandom().setSeed(3);
        INDArray z = Nd4j.randn(DataType.FLOAT, 4, 3, 5, 5);
        INDArray a = z.dup();
        org.nd4j.linalg.activations.impl.ActivationReLU relu = new org.nd4j.linalg.activations.impl.ActivationReLU();
        relu.getActivation(a, true);
        a.putScalar(new long[]{0, 0, 0, 0}, 0.0); // exactly zero: no gradient, as in DL4J
        INDArray epsilon = Nd4j.randn(DataType.FLOAT, 4, 3, 5, 5);
        INDArray expected = relu.backprop(a.dup(), epsilon.dup()).getFirst();
        INDArray actual = FastConvolutionLayer.activationBackprop(relu, a, epsilon);
        assertThat(actual).isEqualTo(expected);
        assertThat(actual.getDouble(0, 0, 0, 0)).isZero();
        assertThat(actual.neq(0).castTo(DataType.INT).sumNumber().intValue())
                .isEqualTo(a.gt(0).castTo(DataType.INT).sumNumber().intValue());
    }

    @Test
    void rejectsAnUnknownBackwardSetting() {
        System.setProperty(BackwardChoice.PROPERTY, "winograd");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new BackwardChoice().nextIsDirect())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("winograd");
    }

    @Test
    void trainingStepConvolvesForwardOncePerLayer() {
        System.setProperty(BackwardChoice.PROPERTY, "conv2d_bp");
        MultiLayerConfiguration conf = configuration();
        MultiLayerNetwork reference = new MultiLayerNetwork(conf);
        reference.init();
        MultiLayerNetwork fast = new MultiLayerNetwork((MultiLayerConfiguration) NetworkConfiguration.of(conf).withNativeLayers().dl4j());
        fast.init();
        DataSet batch = batch();
        reference.fit(batch);
        fast.fit(batch);

        assertThat(convolutionsInOneStep(reference, batch, "conv2d")).as("DL4J's layer: forward again in backprop").isEqualTo(4);
        assertThat(convolutionsInOneStep(reference, batch, "conv2d_bp")).isEqualTo(2);
        // Two forward convolutions, and the first layer's weight gradient as a forward convolution instead of conv2d_bp.
        assertThat(convolutionsInOneStep(fast, batch, "conv2d")).isEqualTo(3);
        assertThat(convolutionsInOneStep(fast, batch, "conv2d_bp")).isEqualTo(1);
    }

    @Test
    void firstLayerSkipsOnlyTheInputGradient() {
        MultiLayerConfiguration fastConf = (MultiLayerConfiguration) NetworkConfiguration.of(configuration()).withNativeLayers().dl4j();
        assertThat(((FastConvolution) fastConf.getConf(0).getLayer()).isInputGradient()).isFalse();
        assertThat(((FastConvolution) fastConf.getConf(2).getLayer()).isInputGradient()).isTrue();

        MultiLayerNetwork reference = new MultiLayerNetwork(configuration());
        reference.init();
        MultiLayerNetwork fast = new MultiLayerNetwork(fastConf);
        fast.init(reference.params().dup(), true);
        DataSet batch = batch();
        var ref = reference.calculateGradients(batch.getFeatures(), batch.getLabels(), null, null);
        var got = fast.calculateGradients(batch.getFeatures(), batch.getLabels(), null, null);
        assertThat(ref.getSecond()).as("DL4J returns the input gradient").isNotNull();
        assertThat(got.getSecond()).as("documented: no input gradient from the first layer").isNull();
        assertThat(relativeDifference(got.getFirst().gradient(), ref.getFirst().gradient())).isLessThan(1e-5);
    }

    @Test
    void survivesJsonRoundTrip() {
        MultiLayerConfiguration fast = (MultiLayerConfiguration) NetworkConfiguration.of(configuration()).withNativeLayers().dl4j();
        String json = fast.toJson();
        assertThat(json).contains(FastConvolution.class.getName()).contains("\"inputGradient\" : false");
        assertThat(MultiLayerConfiguration.fromJson(json)).isEqualTo(fast);
    }

    private static long convolutionsInOneStep(MultiLayerNetwork net, DataSet batch, String op) {
        OpProfiler.getInstance().reset();
        Nd4j.getExecutioner().setProfilingMode(OpExecutioner.ProfilingMode.OPERATIONS);
        net.fit(batch);
        Nd4j.getExecutioner().setProfilingMode(OpExecutioner.ProfilingMode.DISABLED);
        return OpProfiler.getInstance().getOpCounter().getCount(op);
    }

    /** conv(ReLU) -> max pool -> conv(identity) -> batch norm -> ReLU -> softmax, as in the zoo's networks. */
    private static MultiLayerConfiguration configuration() {
        return new NeuralNetConfiguration.Builder().seed(11).dataType(DataType.FLOAT)
                .updater(new Nesterovs(0.01, 0.9)).weightInit(WeightInit.RELU).convolutionMode(ConvolutionMode.Truncate)
                .list()
                .layer(new ConvolutionLayer.Builder(3, 3).nOut(8).padding(1, 1).activation(Activation.RELU).build())
                .layer(new SubsamplingLayer.Builder(SubsamplingLayer.PoolingType.MAX).kernelSize(2, 2).stride(2, 2).build())
                .layer(new ConvolutionLayer.Builder(3, 3).nOut(6).hasBias(false).activation(Activation.IDENTITY).build())
                .layer(new BatchNormalization.Builder().build())
                .layer(new ActivationLayer.Builder().activation(Activation.RELU).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(4).activation(Activation.SOFTMAX).build())
                .setInputType(InputType.convolutional(10, 10, 3))
                .build();
    }

    /** conv(ReLU) -> conv(identity, padded) -> batch norm -> ReLU -> conv 5x5 (ReLU, padded) -> softmax. */
    private static MultiLayerConfiguration deeperConfiguration() {
        return new NeuralNetConfiguration.Builder().seed(12).dataType(DataType.FLOAT)
                .updater(new Nesterovs(0.01, 0.9)).weightInit(WeightInit.RELU).convolutionMode(ConvolutionMode.Truncate)
                .list()
                .layer(new ConvolutionLayer.Builder(3, 3).nOut(8).padding(1, 1).activation(Activation.RELU).build())
                .layer(new ConvolutionLayer.Builder(3, 3).nOut(16).padding(1, 1).hasBias(false)
                        .activation(Activation.IDENTITY).build())
                .layer(new BatchNormalization.Builder().build())
                .layer(new ActivationLayer.Builder().activation(Activation.RELU).build())
                .layer(new ConvolutionLayer.Builder(5, 5).nOut(6).padding(2, 1).activation(Activation.RELU).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(4).activation(Activation.SOFTMAX).build())
                .setInputType(InputType.convolutional(9, 9, 3))
                .build();
    }

    private static DataSet batch() {
        Nd4j.getRandom().setSeed(3);
        INDArray x = Nd4j.rand(DataType.FLOAT, 8, 3, 10, 10);
        INDArray y = Nd4j.zeros(DataType.FLOAT, 8, 4);
        for (int i = 0; i < 8; i++) {
            y.putScalar(i, i % 4, 1.0);
        }
        return new DataSet(x, y);
    }

    /** max |a - b| / max |b|: float32 sums in another order differ in the last bits. */
    private static double relativeDifference(INDArray a, INDArray b) {
        return maxAbsDifference(a, b) / b.amaxNumber().doubleValue();
    }

    private static double maxAbsDifference(INDArray a, INDArray b) {
        return a.sub(b).amaxNumber().doubleValue();
    }
}
