package io.github.dl4jclassics.zoo.layers;

import static org.bytedeco.dnnl.global.dnnl.dnnl_convolution_auto;
import static org.bytedeco.dnnl.global.dnnl.dnnl_convolution_direct;

import io.github.dl4jclassics.common.CpuIsa;
import java.util.ArrayList;
import java.util.List;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.gradient.DefaultGradient;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.layers.convolution.ConvolutionLayer;
import org.deeplearning4j.nn.params.ConvolutionParamInitializer;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.activations.impl.ActivationReLU;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.scalar.Step;
import org.nd4j.linalg.factory.Nd4j;

/**
 * DL4J 1.0.0-M2.1's convolution layer without its second forward convolution per training step.
 *
 * <p>With a layer helper (oneDNN, cuDNN), {@code ConvolutionLayer.backpropGradient} recomputes the pre-activation
 * {@code z = conv(x, W) + b} to differentiate the activation: one more forward convolution for every forward and
 * backward pair (its {@code CacheMode} does not apply on the helper path). For ReLU and identity activations the
 * layer's own output {@code a = f(z)} carries everything the derivative needs ({@code relu'(z) = relu'(a)}, identity
 * needs nothing), and DL4J applies these activations in place, so {@code a} is {@code f(z)} computed from the very
 * array. This layer remembers {@code a} from the training forward pass and hands it to the backward pass instead of
 * convolving again. Anything else (other activations, no helper, a helper that failed over, a different input)
 * takes DL4J's path unchanged.
 *
 * <p>On that path an undilated NCHW float convolution (any stride) computes its gradients without libnd4j's
 * {@code conv2d_bp}: with oneDNN's backward-weights and backward-data primitives called directly
 * ({@link OneDnnConvolutionBackward}, made once per input shape), or, for stride-1 3x3 layers with many channels on
 * tiny images (and without oneDNN's presets), by {@link ConvolutionGradients} (transposed and forward convolutions).
 * Which one a layer takes is a rule of its shape and the CPU's instruction set ({@link BackwardChoice}).
 *
 * <p>When the configuration says no input gradient is needed ({@link FastConvolution#isInputGradient()}, the first
 * layer), such a convolution computes only its parameter gradients: for the 3-channel first layers of the zoo this is
 * 2-3x cheaper than the full backward pass, most of whose time goes into the input gradient that training throws away.
 */
public class FastConvolutionLayer extends ConvolutionLayer {

    private INDArray lastOutput;
    private INDArray lastInput;
    /** The backward path of the last backward pass (a rule of the shape), null before. */
    private BackwardChoice.Path path;
    /**
     * oneDNN forward primitives, by input shape (full batches and an epoch's last one) and thread count (training's
     * and inference's).
     */
    private final List<OneDnnConvolutionForward> oneDnnForwards = new ArrayList<>(4);
    /** Zeros for a layer without bias (oneDNN's primitive is made with one). */
    private INDArray zeroBias;
    /** oneDNN backward primitives, by input shape (full batches and an epoch's last one). */
    private final List<OneDnnConvolutionBackward> oneDnnBackwards = new ArrayList<>(2);

    public FastConvolutionLayer(NeuralNetConfiguration conf, DataType dataType) {
        super(conf, dataType);
    }

    @Override
    public INDArray activate(boolean training, LayerWorkspaceMgr workspaceMgr) {
        lastOutput = null;
        lastInput = null;
        INDArray out = super.activate(training, workspaceMgr);
        if (training && reusable()) {
            lastOutput = out;
            lastInput = input;
        }
        return out;
    }

    @Override
    protected Pair<INDArray, INDArray> preOutput(boolean training, boolean forBackprop, LayerWorkspaceMgr workspaceMgr) {
        if (forBackprop && lastOutput != null && lastInput == input && reusable()) {
            INDArray output = lastOutput;
            lastOutput = null;
            lastInput = null;
            return new Pair<>(output, null);
        }
        if (oneDnnForwardPossible()) {
            return new Pair<>(oneDnnPreOutput(training, workspaceMgr), null);
        }
        return super.preOutput(training, forBackprop, workspaceMgr);
    }

    /** {@code z = conv(x, W) + b} through {@link OneDnnConvolutionForward}, in an ACTIVATIONS array as DL4J's helper. */
    private INDArray oneDnnPreOutput(boolean training, LayerWorkspaceMgr workspaceMgr) {
        INDArray x = input.castTo(dataType);
        INDArray weights = getParamWithNoise(ConvolutionParamInitializer.WEIGHT_KEY, training, workspaceMgr);
        INDArray bias = hasBias() ? getParamWithNoise(ConvolutionParamInitializer.BIAS_KEY, training, workspaceMgr)
                : zeroBias();
        OneDnnConvolutionForward forward = null;
        for (OneDnnConvolutionForward f : oneDnnForwards) {
            if (f.fits(x.shape())) {
                forward = f;
            }
        }
        if (forward == null) {
            if (oneDnnForwards.size() == 4) {
                oneDnnForwards.remove(0);
            }
            forward = new OneDnnConvolutionForward(x.shape(), weights.size(0), layerConf().getKernelSize(),
                    layerConf().getStride(), layerConf().getPadding());
            oneDnnForwards.add(forward);
        }
        INDArray z = workspaceMgr.createUninitialized(ArrayType.ACTIVATIONS, dataType, forward.outputShape(), 'c');
        forward.compute(x, weights, bias, z);
        return z;
    }

    private INDArray zeroBias() {
        if (zeroBias == null) {
            try (MemoryWorkspace ignored = Nd4j.getMemoryManager().scopeOutOfWorkspaces()) {
                zeroBias = Nd4j.zeros(dataType, layerConf().getNOut());
            }
        }
        return zeroBias;
    }

    /** Output pixels of this layer for the current input (truncate mode). */
    private long outputPixels(FastConvolution c) {
        long[] out = OneDnn.outputShape(input.shape(), c.getNOut(), c.getKernelSize(), c.getStride(), c.getPadding());
        return out[2] * out[3];
    }

    /**
     * Whether this forward pass can run {@link OneDnnConvolutionForward}: where DL4J would take its oneDNN helper
     * path, for an undilated, explicitly padded NCHW float convolution of a shape where it is faster.
     */
    private boolean oneDnnForwardPossible() {
        FastConvolution c = (FastConvolution) layerConf();
        return helper != null && helperCountFail == 0
                && input != null && input.rank() == 4
                && dataType == DataType.FLOAT
                && c.getCnn2dDataFormat() == CNN2DFormat.NCHW
                && c.getConvolutionMode() != ConvolutionMode.Same
                && c.getDilation()[0] == 1 && c.getDilation()[1] == 1
                && c.getWeightNoise() == null
                && OneDnnConvolutionForward.suits(c.getNIn(), c.getNOut(), c.getStride(), outputPixels(c));
    }

    @Override
    public Pair<Gradient, INDArray> backpropGradient(INDArray epsilon, LayerWorkspaceMgr workspaceMgr) {
        FastConvolution c = (FastConvolution) layerConf();
        if (!gradientsFromOutputPossible()) {
            return super.backpropGradient(epsilon, workspaceMgr);
        }
        boolean oneDnn = OneDnn.available();
        if (!c.isInputGradient()) {
            // A first layer: parameter gradients only, on any stride with oneDNN's primitive, else stride 1 directly.
            if (oneDnn) {
                return oneDnnBackprop(epsilon, false, workspaceMgr);
            }
            return strideOne() ? directBackprop(epsilon, false, workspaceMgr) : super.backpropGradient(epsilon, workspaceMgr);
        }
        path = BackwardChoice.path(c.getKernelSize(), c.getStride(), epsilon.size(2), epsilon.size(3), epsilon.size(1),
                CpuIsa.effective(), oneDnn);
        return switch (path) {
            case ONEDNN -> oneDnnBackprop(epsilon, true, workspaceMgr);
            case DIRECT -> directBackprop(epsilon, true, workspaceMgr);
            case CONV2D_BP -> super.backpropGradient(epsilon, workspaceMgr);
        };
    }

    private boolean strideOne() {
        return layerConf().getStride()[0] == 1 && layerConf().getStride()[1] == 1;
    }

    /** Gradients through {@link OneDnnConvolutionBackward}; the input gradient only when asked for. */
    private Pair<Gradient, INDArray> oneDnnBackprop(INDArray epsilon, boolean withInputGradient,
            LayerWorkspaceMgr workspaceMgr) {
        INDArray output = lastOutput;
        lastOutput = null;
        lastInput = null;
        INDArray x = input.castTo(dataType);
        // a = f(z) stands for z (see reusable()); DL4J's helper path differentiates the activation the same way.
        INDArray delta = activationBackprop(layerConf().getActivationFn(), output, epsilon.castTo(dataType));
        INDArray weights = getParam(ConvolutionParamInitializer.WEIGHT_KEY);
        INDArray weightGrad = gradientViews.get(ConvolutionParamInitializer.WEIGHT_KEY);
        INDArray biasGrad = layerConf().hasBias() ? gradientViews.get(ConvolutionParamInitializer.BIAS_KEY) : null;
        INDArray gradIn = withInputGradient
                ? workspaceMgr.createUninitialized(ArrayType.ACTIVATION_GRAD, dataType, x.shape(), 'c') : null;
        oneDnnBackward(x.shape(), weights.size(0), biasGrad != null, withInputGradient)
                .compute(x, weights, delta, weightGrad, biasGrad, gradIn);
        if (gradIn != null) {
            gradIn = backpropDropOutIfPresent(gradIn);
        }
        Gradient gradient = new DefaultGradient();
        if (biasGrad != null) {
            gradient.setGradientFor(ConvolutionParamInitializer.BIAS_KEY, biasGrad);
        }
        gradient.setGradientFor(ConvolutionParamInitializer.WEIGHT_KEY, weightGrad, 'c');
        return new Pair<>(gradient, gradIn);
    }

    /** The primitives for this input shape, made on first use; at most two shapes are kept. */
    private OneDnnConvolutionBackward oneDnnBackward(long[] inputShape, long outChannels, boolean withBias,
            boolean withInputGradient) {
        for (OneDnnConvolutionBackward b : oneDnnBackwards) {
            if (b.fits(inputShape, withBias, withInputGradient)) {
                return b;
            }
        }
        if (oneDnnBackwards.size() == 2) {
            oneDnnBackwards.remove(0);
        }
        // oneDNN's own algorithm choice (Winograd for most 3x3 stride-1 layers on AVX-512, where it beats the direct one
        // by up to 50 %; a rule of the shape, ISA and threads inside oneDNN); a first layer's weight gradient stays
        // direct (measured in round 4: 4-5x faster than the alternatives, bit-identical to conv2d_bp's).
        int algorithm = withInputGradient ? dnnl_convolution_auto : dnnl_convolution_direct;
        OneDnnConvolutionBackward made = new OneDnnConvolutionBackward(inputShape, outChannels,
                layerConf().getKernelSize(), layerConf().getStride(), layerConf().getPadding(), withBias,
                withInputGradient, algorithm);
        oneDnnBackwards.add(made);
        return made;
    }

    /** Gradients through {@link ConvolutionGradients} (stride 1); the input gradient only when asked for. */
    private Pair<Gradient, INDArray> directBackprop(INDArray epsilon, boolean withInputGradient,
            LayerWorkspaceMgr workspaceMgr) {
        INDArray output = lastOutput;
        lastOutput = null;
        lastInput = null;
        INDArray x = input.castTo(dataType);
        // a = f(z) stands for z (see reusable()); DL4J's helper path differentiates the activation the same way.
        INDArray delta = activationBackprop(layerConf().getActivationFn(), output, epsilon.castTo(dataType));
        int[] kernel = layerConf().getKernelSize();
        int[] pad = layerConf().getPadding();
        INDArray weightGrad = gradientViews.get(ConvolutionParamInitializer.WEIGHT_KEY);
        INDArray biasGrad = layerConf().hasBias() ? gradientViews.get(ConvolutionParamInitializer.BIAS_KEY) : null;
        ConvolutionGradients.parameterGradients(x, delta, kernel, pad, weightGrad, biasGrad, workspaceMgr);
        INDArray gradIn = null;
        if (withInputGradient) {
            gradIn = ConvolutionGradients.inputGradient(delta, getParam(ConvolutionParamInitializer.WEIGHT_KEY),
                    x.shape(), kernel, pad, workspaceMgr);
            gradIn = backpropDropOutIfPresent(gradIn);
        }
        Gradient gradient = new DefaultGradient();
        if (biasGrad != null) {
            gradient.setGradientFor(ConvolutionParamInitializer.BIAS_KEY, biasGrad);
        }
        gradient.setGradientFor(ConvolutionParamInitializer.WEIGHT_KEY, weightGrad, 'c');
        return new Pair<>(gradient, gradIn);
    }

    /**
     * {@code dL/dz} from {@code a = f(z)} and {@code dL/da}. For a plain ReLU as two vectorised passes, {@code step(a)}
     * then a product: DL4J's {@code ActivationReLU.backprop} runs libnd4j's {@code relu_bp}, which calls a
     * {@code std::function} per element (8.6 % of a LeNet-5 step, async-profiler). Same result: 1 where a > 0.
     */
    static INDArray activationBackprop(IActivation activation, INDArray output, INDArray epsilon) {
        if (isPlainRelu(activation)) {
            INDArray delta = output.ulike();
            Nd4j.getExecutioner().exec(new Step(output, delta, 0.0));
            return delta.muli(epsilon);
        }
        return activation.backprop(output, epsilon).getFirst();
    }

    /** What this layer's last backward pass used and the rule, or that none ran yet. */
    String backwardPath() {
        FastConvolution c = (FastConvolution) layerConf();
        if (!c.isInputGradient()) {
            return OneDnn.available() ? "oneDNN backward-weights (first layer: parameter gradients only)"
                    : "direct (first layer: parameter gradients only)";
        }
        return path == null ? "no backward pass yet" : BackwardChoice.describe(path);
    }

    /** The forward output is kept (helper path, ReLU or identity); an undilated, explicitly padded NCHW float one. */
    private boolean gradientsFromOutputPossible() {
        FastConvolution c = (FastConvolution) layerConf();
        return lastOutput != null && lastInput == input && reusable()
                && dataType == DataType.FLOAT
                && c.getCnn2dDataFormat() == CNN2DFormat.NCHW
                && c.getConvolutionMode() != ConvolutionMode.Same
                && c.getDilation()[0] == 1 && c.getDilation()[1] == 1
                && c.getWeightNoise() == null
                && c.getPadding()[0] < c.getKernelSize()[0] && c.getPadding()[1] < c.getKernelSize()[1];
    }

    @Override
    public void clear() {
        super.clear();
        lastOutput = null;
        lastInput = null;
    }

    /**
     * Whether {@code a = f(z)} may stand for {@code z} in the backward pass of this layer, on the helper path. The only
     * place that reads DL4J's helper state ({@code helper}, {@code helperCountFail}: protected fields of
     * ConvolutionLayer, inherited, no reflection), because DL4J decides the helper path from them too.
     */
    private boolean reusable() {
        if (helper == null || (helperCountFail > 0 && layerConf().isCudnnAllowFallback())) {
            return false;
        }
        IActivation f = layerConf().getActivationFn();
        if (f instanceof ActivationIdentity) {
            return true;
        }
        return isPlainRelu(f);
    }

    /** max(0, z) with no cap, threshold or negative slope. */
    static boolean isPlainRelu(IActivation f) {
        return f instanceof ActivationReLU relu && isZeroOrNull(relu.getMax()) && isZeroOrNull(relu.getThreshold())
                && isZeroOrNull(relu.getNegativeSlope());
    }

    private static boolean isZeroOrNull(Double value) {
        return value == null || value == 0.0;
    }
}
