package io.github.dl4jclassics.zoo.layers;

import io.github.dl4jclassics.zoo.NetworkConfiguration;
import static org.assertj.core.api.Assertions.assertThat;
import static org.bytedeco.dnnl.global.dnnl.dnnl_convolution_auto;
import static org.bytedeco.dnnl.global.dnnl.dnnl_convolution_direct;

import io.github.dl4jclassics.common.CpuIsa;
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
    void oneDnnPrimitivesAreKeptPerThreadCount() {
        org.junit.jupiter.api.Assumptions.assumeTrue(OneDnn.available(), "oneDNN presets not loaded");
        int before = FastPath.status().threads();
        try {
            FastPath.setThreads(1);
            long[] shape = {4, 3, 12, 12};
            OneDnnConvolutionForward forward = new OneDnnConvolutionForward(shape, 6, new int[]{5, 5},
                    new int[]{1, 1}, new int[]{0, 0});
            OneDnnPooling pooling = new OneDnnPooling(shape, true, new int[]{2, 2}, new int[]{2, 2}, new int[]{0, 0},
                    false);
            assertThat(forward.fits(shape)).isTrue();
            assertThat(pooling.fits(shape, false)).isTrue();
            FastPath.setThreads(2);
            // oneDNN fixed one thread in them when they were made: a two-thread pass needs its own
            assertThat(forward.fits(shape)).isFalse();
            assertThat(pooling.fits(shape, false)).isFalse();
        } finally {
            FastPath.setThreads(before);
        }
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
    void oneDnnBackwardGivesDl4jsGradientsAndParametersWithoutLibnd4jsBackwardOps() {
        System.setProperty(BackwardChoice.PROPERTY, "onednn");
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
        assertThat(OpProfiler.getInstance().getOpCounter().getCount("conv2d_bp")).isZero();
        assertThat(OpProfiler.getInstance().getOpCounter().getCount("deconv2d")).isZero();
        assertThat(((FastConvolutionLayer) fast.getLayer(1)).backwardPath()).startsWith("oneDNN primitives");
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
        // A smaller last batch gets its own primitives; the full batch's are kept beside them.
        fast.fit(new DataSet(x.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(0, 4)).dup(),
                y.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(0, 4)).dup()));
        reference.fit(new DataSet(x.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(0, 4)).dup(),
                y.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(0, 4)).dup()));
        fast.fit(batch);
        reference.fit(batch);
        assertThat(maxAbsDifference(fast.params(), reference.params())).isLessThan(1e-5);
    }

    @Test
    void backwardPathIsARuleOfShapeAndIsaNotATiming() {
        int[] k3 = {3, 3};
        int[] s1 = {1, 1};
        BackwardChoice.Path direct = BackwardChoice.Path.DIRECT;
        BackwardChoice.Path conv2dBp = BackwardChoice.Path.CONV2D_BP;
        BackwardChoice.Path oneDnn = BackwardChoice.Path.ONEDNN;
        // With oneDNN's presets: their primitives everywhere but 3x3 stride-1 layers with many channels on tiny
        // outputs (AVX-512: 512 channels on 2x2; AVX2: 256 channels on up to 4x4).
        for (CpuIsa isa : CpuIsa.values()) {
            assertThat(BackwardChoice.byRule(new int[]{7, 7}, new int[]{2, 2}, 32, 32, 64, isa, true)).isEqualTo(oneDnn);
            assertThat(BackwardChoice.byRule(k3, s1, 8, 8, 512, isa, true)).isEqualTo(oneDnn);
            assertThat(BackwardChoice.byRule(k3, new int[]{2, 2}, 2, 2, 512, isa, true)).isEqualTo(oneDnn);
            assertThat(BackwardChoice.byRule(k3, s1, 2, 2, 512, isa, true)).isEqualTo(direct);
            assertThat(BackwardChoice.byRule(new int[]{1, 1}, s1, 2, 2, 512, isa, true)).isEqualTo(oneDnn);
        }
        assertThat(BackwardChoice.byRule(k3, s1, 4, 4, 512, CpuIsa.AVX512, true)).isEqualTo(oneDnn);
        assertThat(BackwardChoice.byRule(k3, s1, 4, 4, 512, CpuIsa.AVX2, true)).isEqualTo(direct);
        assertThat(BackwardChoice.byRule(k3, s1, 4, 4, 256, CpuIsa.AVX2, true)).isEqualTo(direct);
        assertThat(BackwardChoice.byRule(k3, s1, 4, 4, 128, CpuIsa.AVX2, true)).isEqualTo(oneDnn);
        // Without them: ResNet-18's and VGG's 512-channel layers on 2x2 and 4x4 images direct on both ISAs.
        assertThat(BackwardChoice.byRule(k3, s1, 2, 2, 512, CpuIsa.AVX512, false)).isEqualTo(direct);
        assertThat(BackwardChoice.byRule(k3, s1, 4, 4, 512, CpuIsa.AVX2, false)).isEqualTo(direct);
        // 256 channels on 4x4: direct only on AVX2 (measured: AVX-512's conv2d_bp is faster there).
        assertThat(BackwardChoice.byRule(k3, s1, 4, 4, 256, CpuIsa.AVX2, false)).isEqualTo(direct);
        assertThat(BackwardChoice.byRule(k3, s1, 4, 4, 256, CpuIsa.AVX512, false)).isEqualTo(conv2dBp);
        // Larger images, other kernels, few channels, strides: conv2d_bp.
        assertThat(BackwardChoice.byRule(k3, s1, 8, 8, 512, CpuIsa.AVX2, false)).isEqualTo(conv2dBp);
        assertThat(BackwardChoice.byRule(new int[]{5, 5}, s1, 2, 2, 512, CpuIsa.AVX2, false)).isEqualTo(conv2dBp);
        assertThat(BackwardChoice.byRule(k3, s1, 2, 2, 128, CpuIsa.AVX2, false)).isEqualTo(conv2dBp);
        assertThat(BackwardChoice.byRule(k3, new int[]{2, 2}, 2, 2, 512, CpuIsa.AVX2, false)).isEqualTo(conv2dBp);
    }

    @Test
    void layerReportsItsBackwardPathFromTheFirstStepOnAndKeepsIt() {
        MultiLayerNetwork fast = new MultiLayerNetwork((MultiLayerConfiguration) NetworkConfiguration.of(deeperConfiguration()).withNativeLayers().dl4j());
        fast.init();
        DataSet batch = batch();
        FastConvolutionLayer second = (FastConvolutionLayer) fast.getLayer(1);
        assertThat(second.backwardPath()).isEqualTo("no backward pass yet");
        String first = null;
        for (int i = 0; i < 5; i++) {
            fast.fit(new DataSet(Nd4j.rand(DataType.FLOAT, 6, 3, 9, 9), batch.getLabels().get(
                    org.nd4j.linalg.indexing.NDArrayIndex.interval(0, 6))));
            first = first == null ? second.backwardPath() : first;
            assertThat(second.backwardPath()).isEqualTo(first);
        }
        assertThat(first).isEqualTo("oneDNN primitives (" + CpuIsa.effective().oneDnnName() + " rule)");
        assertThat(((FastConvolutionLayer) fast.getLayer(0)).backwardPath())
                .isEqualTo("oneDNN backward-weights (first layer: parameter gradients only)");
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

    /**
     * {@link OneDnnConvolutionBackward} against libnd4j's {@code conv2d_bp} (float32): weight, bias and input gradients
     * within 1e-5 of the largest value (relative to each gradient's max-abs; different kernels sum in different orders).
     */
    @Test
    void oneDnnBackwardEqualsConv2dBpsForEveryShape() {
        assertThat(OneDnn.available()).as("oneDNN presets load on linux-x86_64").isTrue();
        Nd4j.getRandom().setSeed(11);
        // LeNet-5's conv1 and conv2, a padded 3x3 with odd sizes and 20 channels, a batch of one with a 5x3 kernel,
        // a 1x1 stride-2 downsampling, a 3x3/2 padded one, ResNet's stem (7x7/2, padding 3) and AlexNet's (11x11/4,
        // padding 2) with a truncated last row.
        long[][] inputs = {{16, 3, 32, 32}, {8, 6, 14, 14}, {5, 4, 13, 11}, {1, 3, 9, 9}, {4, 20, 8, 8}, {3, 16, 9, 9},
                {4, 3, 32, 32}, {2, 3, 67, 64}};
        int[][] kernels = {{5, 5}, {5, 5}, {3, 3}, {5, 3}, {1, 1}, {3, 3}, {7, 7}, {11, 11}};
        int[][] strides = {{1, 1}, {1, 1}, {1, 1}, {1, 1}, {2, 2}, {2, 2}, {2, 2}, {4, 4}};
        int[][] pads = {{0, 0}, {0, 0}, {1, 1}, {2, 1}, {0, 0}, {1, 1}, {3, 3}, {2, 2}};
        long[] outs = {6, 16, 20, 3, 32, 24, 64, 8};
        for (int t = 0; t < inputs.length; t++) {
            int[] k = kernels[t];
            int[] p = pads[t];
            int[] st = strides[t];
            long[] in = inputs[t];
            INDArray x = Nd4j.rand(DataType.FLOAT, in);
            INDArray w = Nd4j.randn(DataType.FLOAT, outs[t], in[1], k[0], k[1]);
            INDArray b = Nd4j.randn(DataType.FLOAT, outs[t]);
            long oh = (in[2] + 2L * p[0] - k[0]) / st[0] + 1;
            long ow = (in[3] + 2L * p[1] - k[1]) / st[1] + 1;
            INDArray delta = Nd4j.randn(DataType.FLOAT, in[0], outs[t], oh, ow);
            INDArray expectedW = w.ulike();
            INDArray expectedB = b.ulike();
            INDArray expectedX = x.ulike();
            Nd4j.exec(org.nd4j.linalg.api.ops.DynamicCustomOp.builder("conv2d_bp").addInputs(x, w, b, delta)
                    .addOutputs(expectedX, expectedW, expectedB)
                    .addIntegerArguments(k[0], k[1], st[0], st[1], p[0], p[1], 1, 1, 0, 0, 1).build());
            // Parameter gradients written into views of one larger array, as DL4J's gradient views are.
            long nW = expectedW.length();
            INDArray flat = Nd4j.zeros(DataType.FLOAT, 7 + nW + outs[t] + 3);
            INDArray viewW = flat.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(7, 7 + nW)).reshape('c', expectedW.shape());
            INDArray viewB = flat.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(7 + nW, 7 + nW + outs[t]))
                    .reshape('c', 1, outs[t]);
            // The direct algorithm and oneDNN's own choice (Winograd for 3x3 stride 1 on AVX-512: 1e-4, its transforms
            // round more than the direct sums).
            for (int algorithm : new int[]{dnnl_convolution_direct, dnnl_convolution_auto}) {
                double tolerance = algorithm == dnnl_convolution_direct ? 1e-5 : 1e-4;
                INDArray gotX = x.ulike();
                viewW.assign(0);
                viewB.assign(0);
                OneDnnConvolutionBackward backward = new OneDnnConvolutionBackward(in, outs[t], k, st, p, true, true,
                        algorithm);
                backward.compute(x, w, delta, viewW, viewB, gotX);
                assertThat(relativeDifference(viewW, expectedW)).as("weights, shape %d", t).isLessThan(tolerance);
                assertThat(relativeDifference(viewB.reshape(outs[t]), expectedB)).as("bias, shape %d", t)
                        .isLessThan(tolerance);
                assertThat(relativeDifference(gotX, expectedX)).as("input, shape %d", t).isLessThan(tolerance);
                assertThat(flat.getDouble(6)).as("nothing written before the views").isZero();
                assertThat(flat.getDouble(7 + nW + outs[t])).as("nothing written after the views").isZero();
            }

            // Without bias nor input gradient (a first layer), and with views as input and weights: copied, not misread.
            INDArray wide = Nd4j.rand(DataType.FLOAT, in[0], in[1] + 1, in[2], in[3]);
            INDArray xView = wide.get(org.nd4j.linalg.indexing.NDArrayIndex.all(),
                    org.nd4j.linalg.indexing.NDArrayIndex.interval(0, in[1]));
            xView.assign(x);
            INDArray again = w.ulike();
            OneDnnConvolutionBackward weightsOnly = new OneDnnConvolutionBackward(in, outs[t], k, st, p, false, false);
            assertThat(weightsOnly.fits(in, false, false)).isTrue();
            assertThat(weightsOnly.fits(in, true, false)).isFalse();
            weightsOnly.compute(xView, w, delta, again, null, null);
            assertThat(relativeDifference(again, expectedW)).as("weights only, shape %d", t).isLessThan(1e-5);
            INDArray wWide = Nd4j.randn(DataType.FLOAT, outs[t] + 2, in[1], k[0], k[1]);
            INDArray wView = wWide.get(org.nd4j.linalg.indexing.NDArrayIndex.interval(1, outs[t] + 1));
            wView.assign(w);
            INDArray gotX2 = x.ulike();
            new OneDnnConvolutionBackward(in, outs[t], k, st, p, false, true).compute(xView, wView, delta, again, null,
                    gotX2);
            assertThat(relativeDifference(gotX2, expectedX)).as("input from views, shape %d", t).isLessThan(1e-5);
        }
        OneDnnConvolutionBackward made = new OneDnnConvolutionBackward(inputs[0], 6, kernels[0], strides[0], pads[0],
                true, false);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> made.compute(Nd4j.rand(DataType.FLOAT, 8, 3, 32, 32),
                Nd4j.rand(DataType.FLOAT, 6, 3, 5, 5), Nd4j.rand(DataType.FLOAT, 8, 6, 28, 28),
                Nd4j.create(DataType.FLOAT, 6, 3, 5, 5), Nd4j.create(DataType.FLOAT, 1, 6), null))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("[16, 3, 32, 32]");
    }

    @Test
    void stridedFirstLayerTrainsLikeDl4jsWithoutConv2dBp() {
        // ResNet's stem shape in small: 7x7, stride 2, padding 3, on 10x10 images (a truncated last column).
        MultiLayerConfiguration conf = new NeuralNetConfiguration.Builder().seed(13).dataType(DataType.FLOAT)
                .updater(new Nesterovs(0.01, 0.9)).weightInit(WeightInit.RELU).convolutionMode(ConvolutionMode.Truncate)
                .list()
                .layer(new ConvolutionLayer.Builder(7, 7).nOut(8).stride(2, 2).padding(3, 3).activation(Activation.RELU)
                        .build())
                .layer(new ConvolutionLayer.Builder(3, 3).nOut(6).activation(Activation.RELU).build())
                .layer(new OutputLayer.Builder(LossFunctions.LossFunction.MCXENT).nOut(4).activation(Activation.SOFTMAX).build())
                .setInputType(InputType.convolutional(10, 10, 3))
                .build();
        MultiLayerNetwork reference = new MultiLayerNetwork(conf);
        reference.init();
        MultiLayerNetwork fast = new MultiLayerNetwork((MultiLayerConfiguration) NetworkConfiguration.of(conf).withNativeLayers().dl4j());
        fast.init(reference.params().dup(), true);
        DataSet batch = batch();
        fast.fit(batch); // keeps the forward output for the next backward pass
        reference.fit(batch);
        OpProfiler.getInstance().reset();
        Nd4j.getExecutioner().setProfilingMode(OpExecutioner.ProfilingMode.OPERATIONS);
        fast.fit(batch);
        Nd4j.getExecutioner().setProfilingMode(OpExecutioner.ProfilingMode.DISABLED);
        // Both layers on oneDNN's primitives called directly (the rule); libnd4j's conv2d_bp for neither.
        assertThat(OpProfiler.getInstance().getOpCounter().getCount("conv2d_bp")).as("no conv2d_bp").isZero();
        reference.fit(batch);
        for (int i = 0; i < 2; i++) {
            reference.fit(batch);
            fast.fit(batch);
        }
        assertThat(maxAbsDifference(fast.params(), reference.params())).isLessThan(1e-5);
        var ref = reference.calculateGradients(batch.getFeatures(), batch.getLabels(), null, null);
        var got = fast.calculateGradients(batch.getFeatures(), batch.getLabels(), null, null);
        assertThat(relativeDifference(got.getFirst().gradient(), ref.getFirst().gradient())).isLessThan(1e-5);
    }

    @Test
    void oneDnnForwardEqualsLibnd4jsConvolution() {
        Nd4j.getRandom().setSeed(12);
        long[][] inputs = {{16, 3, 32, 32}, {4, 6, 14, 14}, {2, 3, 67, 64}, {3, 16, 9, 7}};
        int[][] kernels = {{5, 5}, {5, 5}, {11, 11}, {3, 3}};
        int[][] strides = {{1, 1}, {1, 1}, {4, 4}, {2, 1}};
        int[][] pads = {{0, 0}, {2, 2}, {2, 2}, {1, 0}};
        long[] outs = {6, 16, 8, 5};
        for (int t = 0; t < inputs.length; t++) {
            int[] k = kernels[t];
            int[] st = strides[t];
            int[] p = pads[t];
            INDArray x = Nd4j.rand(DataType.FLOAT, inputs[t]);
            INDArray w = Nd4j.randn(DataType.FLOAT, outs[t], inputs[t][1], k[0], k[1]);
            INDArray b = Nd4j.randn(DataType.FLOAT, outs[t]);
            OneDnnConvolutionForward forward = new OneDnnConvolutionForward(inputs[t], outs[t], k, st, p);
            INDArray expected = Nd4j.create(DataType.FLOAT, forward.outputShape());
            Nd4j.exec(org.nd4j.linalg.api.ops.DynamicCustomOp.builder("conv2d").addInputs(x, w, b).addOutputs(expected)
                    .addIntegerArguments(k[0], k[1], st[0], st[1], p[0], p[1], 1, 1, 0, 0, 1).build());
            INDArray got = expected.ulike();
            forward.compute(x, w, b, got);
            assertThat(relativeDifference(got, expected)).as("shape %d", t).isLessThan(1e-5);
            // Into a view (written by a copy) and from a view of the weights.
            INDArray wide = Nd4j.zeros(DataType.FLOAT, expected.size(0), expected.size(1) + 2, expected.size(2),
                    expected.size(3));
            INDArray view = wide.get(org.nd4j.linalg.indexing.NDArrayIndex.all(),
                    org.nd4j.linalg.indexing.NDArrayIndex.interval(1, 1 + expected.size(1)));
            forward.compute(x, w.dup('f'), b, view);
            assertThat(relativeDifference(view, expected)).isLessThan(1e-5);
            assertThat(wide.get(org.nd4j.linalg.indexing.NDArrayIndex.all(), org.nd4j.linalg.indexing.NDArrayIndex.point(0))
                    .amaxNumber().doubleValue()).as("nothing written beside the view").isZero();
        }
    }

    @Test
    void rejectsAnUnknownBackwardSetting() {
        System.setProperty(BackwardChoice.PROPERTY, "winograd");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> BackwardChoice.path(new int[]{3, 3}, new int[]{1, 1}, 2, 2, 512, CpuIsa.AVX2, true))
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
        // Both layers have few input channels: their forward passes are oneDNN's primitive called directly, and so is
        // the first layer's weight gradient (no libnd4j operation); with that switched off, two forward convolutions
        // and the first layer's weight gradient as a forward convolution of swapped axes.
        assertThat(convolutionsInOneStep(fast, batch, "conv2d")).isEqualTo(OneDnn.available() ? 0 : 3);
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
