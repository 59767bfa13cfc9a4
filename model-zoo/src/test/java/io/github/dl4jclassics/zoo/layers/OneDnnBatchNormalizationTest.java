package io.github.dl4jclassics.zoo.layers;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.dl4jclassics.zoo.NetworkConfiguration;
import java.util.Arrays;
import java.util.function.Supplier;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.OutputLayer;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.params.BatchNormalizationParamInitializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Sgd;
import org.nd4j.linalg.lossfunctions.LossFunctions;

/**
 * The direct oneDNN batch normalisation ({@link OneDnnBatchNormalization} inside {@link PyTorchBatchNormalizationLayer})
 * against the same layer on DL4J's path ({@value PyTorchBatchNormalizationLayer#PROPERTY}{@code =false}), float32 on
 * the CPU. Tolerances: {@code |a - b| <= 1e-5 + 1e-4 max|b|} for outputs and running statistics (one float rounding of
 * differently ordered sums), {@code 1e-6 + 1e-3 max|b|} for gradients (sums over up to 16,384 values per channel).
 */
class OneDnnBatchNormalizationTest {

    private static MultiLayerConfiguration bnThenSoftmax(long c, long h, long w, DataType type, boolean useLogStd) {
        return new NeuralNetConfiguration.Builder().seed(3).dataType(type).updater(new Sgd(0.1)).list()
                .layer(new BatchNormalization.Builder().name("bn").eps(1e-5).decay(0.9).useLogStd(useLogStd).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).name("out").nOut(3)
                        .activation(Activation.SOFTMAX).build())
                .setInputType(h == 0 ? InputType.feedForward(c) : InputType.convolutional(h, w, c))
                .build();
    }

    private static MultiLayerNetwork network(MultiLayerConfiguration conf) {
        MultiLayerNetwork network = new MultiLayerNetwork((MultiLayerConfiguration)
                NetworkConfiguration.of(conf).forBackend().dl4j());
        network.init();
        // Gamma and beta away from 1 and 0, running statistics away from 0 and 1, so that every term counts.
        Nd4j.getRandom().setSeed(11);
        INDArray gamma = network.getParam("0_gamma");
        gamma.assign(Nd4j.rand(DataType.FLOAT, gamma.shape()).addi(0.5));
        network.getParam("0_beta").assign(Nd4j.randn(DataType.FLOAT, gamma.shape()));
        network.getParam("0_mean").assign(Nd4j.randn(DataType.FLOAT, gamma.shape()));
        if (network.paramTable().containsKey("0_var")) {
            network.getParam("0_var").assign(Nd4j.rand(DataType.FLOAT, gamma.shape()).addi(0.5));
        }
        return network;
    }

    private static DataSet batch(long[] shape, DataType type, int seed) {
        Nd4j.getRandom().setSeed(seed);
        INDArray x = Nd4j.randn(DataType.FLOAT, shape).muli(2).addi(0.7).castTo(type);
        INDArray y = Nd4j.zeros(type, shape[0], 3);
        for (int i = 0; i < shape[0]; i++) {
            y.putScalar(i, (i * 7 + seed) % 3, 1);
        }
        return new DataSet(x, y);
    }

    /** Runs {@code action} with the direct path on for training and inference, or off. */
    private static <T> T withDirect(boolean on, Supplier<T> action) {
        return withProperty(on ? "all" : "false", action);
    }

    private static <T> T withProperty(String value, Supplier<T> action) {
        String before = System.getProperty(PyTorchBatchNormalizationLayer.PROPERTY);
        System.setProperty(PyTorchBatchNormalizationLayer.PROPERTY, value);
        try {
            return action.get();
        } finally {
            if (before == null) {
                System.clearProperty(PyTorchBatchNormalizationLayer.PROPERTY);
            } else {
                System.setProperty(PyTorchBatchNormalizationLayer.PROPERTY, before);
            }
        }
    }

    private static void assertClose(String what, INDArray actual, INDArray expected, double atol, double rtol) {
        assertThat(actual.shape()).as(what + " shape").isEqualTo(expected.shape());
        double scale = expected.castTo(DataType.DOUBLE).amaxNumber().doubleValue();
        double diff = actual.castTo(DataType.DOUBLE).sub(expected.castTo(DataType.DOUBLE)).amaxNumber().doubleValue();
        assertThat(diff).as("%s: max |difference| (max |expected| %s)", what, scale).isLessThanOrEqualTo(atol + rtol * scale);
    }

    private static long directPasses(MultiLayerNetwork network) {
        Layer layer = network.getLayer(0);
        return ((PyTorchBatchNormalizationLayer) layer).directPasses();
    }

    @ParameterizedTest
    @CsvSource({"8,16,5,5,false", "64,64,16,16,false", "4,6,7,3,false", "16,20,4,4,true", "32,20,0,0,false",
            "8,32,32,32,false", "32,32,0,0,true", "64,512,2,2,false"})
    void directPassesMatchDl4jsPath(long n, long c, long h, long w, boolean useLogStd) {
        long[] shape = h == 0 ? new long[] {n, c} : new long[] {n, c, h, w};
        MultiLayerNetwork direct = network(bnThenSoftmax(c, h, w, DataType.FLOAT, useLogStd));
        MultiLayerNetwork dl4j = direct.clone();
        DataSet data = batch(shape, DataType.FLOAT, 5);

        // Forward, training and inference.
        INDArray trainDirect = withDirect(true, () -> direct.feedForward(data.getFeatures(), true).get(1).dup());
        INDArray trainDl4j = withDirect(false, () -> dl4j.feedForward(data.getFeatures(), true).get(1).dup());
        assertThat(directPasses(direct)).isEqualTo(1);
        assertThat(directPasses(dl4j)).isZero();
        assertClose("training output", trainDirect, trainDl4j, 1e-5, 1e-4);
        INDArray testDirect = withDirect(true, () -> direct.feedForward(data.getFeatures(), false).get(1).dup());
        INDArray testDl4j = withDirect(false, () -> dl4j.feedForward(data.getFeatures(), false).get(1).dup());
        assertClose("inference output", testDirect, testDl4j, 1e-5, 1e-4);

        // Gradients of gamma, beta, the running statistics and the input.
        Pair<Gradient, INDArray> gradDirect = withDirect(true, () ->
                direct.calculateGradients(data.getFeatures(), data.getLabels(), null, null));
        Pair<Gradient, INDArray> gradDl4j = withDirect(false, () ->
                dl4j.calculateGradients(data.getFeatures(), data.getLabels(), null, null));
        assertThat(directPasses(direct)).isEqualTo(4);
        for (String param : new String[] {BatchNormalizationParamInitializer.GAMMA, BatchNormalizationParamInitializer.BETA,
                BatchNormalizationParamInitializer.GLOBAL_MEAN,
                useLogStd ? BatchNormalizationParamInitializer.GLOBAL_LOG_STD : BatchNormalizationParamInitializer.GLOBAL_VAR}) {
            assertClose(param + " gradient", gradDirect.getFirst().getGradientFor("0_" + param),
                    gradDl4j.getFirst().getGradientFor("0_" + param), 1e-6, 1e-3);
        }
        assertClose("input gradient", gradDirect.getSecond(), gradDl4j.getSecond(), 1e-6, 1e-3);

        // Running statistics (PyTorch's unbiased variance on both paths) after a few steps.
        for (int step = 0; step < 3; step++) {
            DataSet next = batch(shape, DataType.FLOAT, 20 + step);
            withDirect(true, () -> { direct.fit(next); return null; });
            withDirect(false, () -> { dl4j.fit(next); return null; });
        }
        String variance = useLogStd ? "0_log10stdev" : "0_var";
        assertClose("running mean", direct.getParam("0_mean"), dl4j.getParam("0_mean"), 1e-5, 1e-4);
        assertClose("running variance", direct.getParam(variance), dl4j.getParam(variance), 1e-5, 1e-4);
        assertClose("gamma", direct.getParam("0_gamma"), dl4j.getParam("0_gamma"), 1e-5, 1e-4);
    }

    @Test
    void layoutIsARuleOfShapeAndIsa() {
        int block = OneDnnBatchNormalization.blockOf(new long[] {64, 64, 16, 16});
        assertThat(block).isIn(0, 8, 16);
        if (block != 0) { // AVX2 or AVX-512
            assertThat(OneDnnBatchNormalization.blockOf(new long[] {64, 512, 2, 2})).isEqualTo(block);
            assertThat(OneDnnBatchNormalization.blockOf(new long[] {64, 32, 1, 1})).isEqualTo(block);
        }
        assertThat(OneDnnBatchNormalization.blockOf(new long[] {64, 64, 32, 32})).as("large images").isZero();
        assertThat(OneDnnBatchNormalization.blockOf(new long[] {64, 20, 4, 4})).as("channels not a multiple of 8").isZero();
        assertThat(OneDnnBatchNormalization.blockOf(new long[] {64, 64, 16, 16})).isEqualTo(block);
    }

    /** The blocked layouts (with their reorders and in-place work buffer) against the plain one, same shape. */
    @ParameterizedTest
    @ValueSource(ints = {8, 16})
    void blockedLayoutsMatchThePlainOne(int block) {
        long[] shape = {6, 32, 5, 3};
        Nd4j.getRandom().setSeed(4);
        INDArray x = Nd4j.randn(DataType.FLOAT, shape).muli(3).addi(1);
        INDArray eps = Nd4j.randn(DataType.FLOAT, shape);
        INDArray gamma = Nd4j.rand(DataType.FLOAT, 32).addi(0.5);
        INDArray beta = Nd4j.randn(DataType.FLOAT, 32);
        INDArray[] plain = runAll(new OneDnnBatchNormalization(shape, 1e-5, 0), x, eps, gamma, beta);
        INDArray[] blocked = runAll(new OneDnnBatchNormalization(shape, 1e-5, block), x, eps, gamma, beta);
        String[] names = {"training output", "batch mean", "batch variance", "input gradient", "gamma gradient",
            "beta gradient", "inference output"};
        for (int i = 0; i < names.length; i++) {
            assertClose(names[i], blocked[i], plain[i], 1e-6, 1e-5);
        }
        // The batch statistics are the biased ones over N, H and W.
        assertClose("batch mean vs ND4J", plain[1], x.mean(0, 2, 3), 1e-6, 1e-5);
        assertClose("batch variance vs ND4J", plain[2], x.var(false, 0, 2, 3), 1e-6, 1e-5);
    }

    private static INDArray[] runAll(OneDnnBatchNormalization bn, INDArray x, INDArray eps, INDArray gamma, INDArray beta) {
        INDArray out = Nd4j.createUninitializedDetached(DataType.FLOAT, x.shape());
        INDArray mean = Nd4j.createUninitializedDetached(DataType.FLOAT, gamma.shape());
        INDArray var = Nd4j.createUninitializedDetached(DataType.FLOAT, gamma.shape());
        INDArray dx = Nd4j.createUninitializedDetached(DataType.FLOAT, x.shape());
        INDArray dGamma = Nd4j.createUninitializedDetached(DataType.FLOAT, gamma.shape());
        INDArray dBeta = Nd4j.createUninitializedDetached(DataType.FLOAT, gamma.shape());
        INDArray inference = Nd4j.createUninitializedDetached(DataType.FLOAT, x.shape());
        bn.forwardTraining(x, gamma, beta, out, mean, var);
        // An inference pass between forward and backward must not disturb the kept input.
        bn.forwardInference(x, gamma, beta, mean.add(0.5), var.add(1), inference);
        bn.backward(x, gamma, beta, mean, var, eps, dx, dGamma, dBeta);
        return new INDArray[] {out, mean, var, dx, dGamma, dBeta, inference};
    }

    @Test
    void runningVarianceIsPyTorchsUnbiasedOne() {
        long[] shape = {8, 6, 3, 3};
        MultiLayerNetwork network = network(bnThenSoftmax(6, 3, 3, DataType.FLOAT, false));
        INDArray varBefore = network.getParam("0_var").dup();
        INDArray meanBefore = network.getParam("0_mean").dup();
        DataSet data = batch(shape, DataType.FLOAT, 9);
        withDirect(true, () -> { network.fit(data); return null; });
        assertThat(directPasses(network)).isEqualTo(2);
        INDArray x = data.getFeatures().castTo(DataType.DOUBLE);
        INDArray batchMean = x.mean(0, 2, 3);
        INDArray unbiased = x.var(true, 0, 2, 3);
        // PyTorch, momentum 0.1: running = 0.9 running + 0.1 batch statistic.
        assertClose("running mean", network.getParam("0_mean"),
                meanBefore.castTo(DataType.DOUBLE).mul(0.9).addi(batchMean.mul(0.1)).castTo(DataType.FLOAT), 1e-6, 1e-5);
        assertClose("running variance", network.getParam("0_var"),
                varBefore.castTo(DataType.DOUBLE).mul(0.9).addi(unbiased.mul(0.1)).castTo(DataType.FLOAT), 1e-6, 1e-5);
    }

    @Test
    void float64AndSwitchedOffStayOnDl4jsPath() {
        long[] shape = {8, 4, 3, 3};
        MultiLayerNetwork doubles = network(bnThenSoftmax(4, 3, 3, DataType.DOUBLE, false));
        withDirect(true, () -> { doubles.fit(batch(shape, DataType.DOUBLE, 1)); return null; });
        assertThat(directPasses(doubles)).isZero();

        MultiLayerNetwork floats = network(bnThenSoftmax(4, 3, 3, DataType.FLOAT, false));
        withDirect(false, () -> { floats.fit(batch(shape, DataType.FLOAT, 1)); return null; });
        assertThat(directPasses(floats)).isZero();
        String before = System.getProperty(OneDnn.PROPERTY);
        System.setProperty(OneDnn.PROPERTY, "false");
        try {
            withDirect(true, () -> { floats.fit(batch(shape, DataType.FLOAT, 1)); return null; });
        } finally {
            if (before == null) {
                System.clearProperty(OneDnn.PROPERTY);
            } else {
                System.setProperty(OneDnn.PROPERTY, before);
            }
        }
        assertThat(directPasses(floats)).isZero();
    }

    @Test
    void byDefaultOnlyTrainingRunsDirect() {
        MultiLayerNetwork network = network(bnThenSoftmax(16, 4, 4, DataType.FLOAT, false));
        DataSet data = batch(new long[] {8, 16, 4, 4}, DataType.FLOAT, 2);
        String before = System.getProperty(PyTorchBatchNormalizationLayer.PROPERTY);
        System.clearProperty(PyTorchBatchNormalizationLayer.PROPERTY);
        try {
            network.fit(data);
            assertThat(directPasses(network)).isEqualTo(2);
            network.output(data.getFeatures());
            assertThat(directPasses(network)).isEqualTo(2);
        } finally {
            if (before != null) {
                System.setProperty(PyTorchBatchNormalizationLayer.PROPERTY, before);
            }
        }
        withProperty("all", () -> network.output(data.getFeatures()));
        assertThat(directPasses(network)).isEqualTo(3);
    }

    /** A small CNN with two batch normalisations (one after a convolution, one after a dense layer), 6 SGD steps. */
    @Test
    void smallCnnTrainsToTheSameLosses() {
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder().seed(42).dataType(DataType.FLOAT)
                .updater(new Sgd(0.05)).list()
                .layer(new ConvolutionLayer.Builder(3, 3).nOut(20).activation(Activation.IDENTITY).build())
                .layer(new BatchNormalization.Builder().build())
                .layer(new ActivationLayer(Activation.RELU))
                .layer(new DenseLayer.Builder().nOut(12).activation(Activation.IDENTITY).build())
                .layer(new BatchNormalization.Builder().build())
                .layer(new ActivationLayer(Activation.RELU))
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(3).activation(Activation.SOFTMAX).build())
                .setInputType(InputType.convolutional(8, 8, 3))
                .build();
        MultiLayerNetwork direct = new MultiLayerNetwork((MultiLayerConfiguration)
                NetworkConfiguration.of(conf).forBackend().dl4j());
        direct.init();
        MultiLayerNetwork dl4j = direct.clone();
        double[] lossesDirect = new double[6];
        double[] lossesDl4j = new double[6];
        for (int step = 0; step < 6; step++) {
            DataSet data = batch(new long[] {16, 3, 8, 8}, DataType.FLOAT, 100 + step);
            withDirect(true, () -> { direct.fit(data); return null; });
            withDirect(false, () -> { dl4j.fit(data); return null; });
            lossesDirect[step] = direct.score();
            lossesDl4j[step] = dl4j.score();
        }
        assertThat(((PyTorchBatchNormalizationLayer) direct.getLayer(1)).directPasses()).isEqualTo(12);
        assertThat(((PyTorchBatchNormalizationLayer) direct.getLayer(4)).directPasses()).isEqualTo(12);
        for (int step = 0; step < 6; step++) {
            assertThat(lossesDirect[step]).as("loss at step %d: %s vs %s", step, Arrays.toString(lossesDirect),
                    Arrays.toString(lossesDl4j)).isCloseTo(lossesDl4j[step], org.assertj.core.api.Assertions.within(1e-4));
        }
        assertClose("parameters after 6 steps", direct.params(), dl4j.params(), 1e-5, 1e-3);
        assertClose("inference output", withDirect(true, () -> direct.output(batch(new long[] {16, 3, 8, 8}, DataType.FLOAT, 1).getFeatures())),
                withDirect(false, () -> dl4j.output(batch(new long[] {16, 3, 8, 8}, DataType.FLOAT, 1).getFeatures())), 1e-5, 1e-4);
    }
}
