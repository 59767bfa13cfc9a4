package io.github.dl4jclassics.zoo.layers;

import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.gradient.DefaultGradient;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.layers.convolution.ConvolutionLayer;
import org.deeplearning4j.nn.params.ConvolutionParamInitializer;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.activations.impl.ActivationReLU;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.DynamicCustomOp;
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
 * <p>When the configuration says no input gradient is needed ({@link FastConvolution#isInputGradient()}, the first
 * layer), a stride-1, undilated, NCHW convolution computes only its parameter gradients: the weight gradient as one
 * forward convolution of the input (batch and channel axes swapped) with the output gradient as kernel, the bias
 * gradient as a sum. For the 3-channel first layers of the zoo this is 2-3x cheaper than oneDNN's full backward pass,
 * most of whose time goes into the input gradient that training throws away.
 */
public class FastConvolutionLayer extends ConvolutionLayer {

    private INDArray lastOutput;
    private INDArray lastInput;

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
        return super.preOutput(training, forBackprop, workspaceMgr);
    }

    @Override
    public Pair<Gradient, INDArray> backpropGradient(INDArray epsilon, LayerWorkspaceMgr workspaceMgr) {
        if (!weightsOnly()) {
            return super.backpropGradient(epsilon, workspaceMgr);
        }
        INDArray output = lastOutput;
        lastOutput = null;
        lastInput = null;
        INDArray x = input;
        INDArray delta = layerConf().getActivationFn().backprop(output, epsilon.castTo(dataType)).getFirst();
        long n = x.size(0);
        long inChannels = x.size(1);
        long outChannels = delta.size(1);
        int[] kernel = layerConf().getKernelSize();
        int[] pad = layerConf().getPadding();

        // dL/dW[o, i, kh, kw] = sum over n, y, x of delta[n, o, y, x] * xpad[n, i, y + kh, x + kw]: a convolution of
        // x with images i and channels n by the kernel delta with outputs o and channels n.
        INDArray xT = workspaceMgr.createUninitialized(ArrayType.BP_WORKING_MEM, dataType,
                new long[]{inChannels, n, x.size(2), x.size(3)}, 'c');
        xT.assign(x.permute(1, 0, 2, 3));
        INDArray deltaT = workspaceMgr.createUninitialized(ArrayType.BP_WORKING_MEM, dataType,
                new long[]{outChannels, n, delta.size(2), delta.size(3)}, 'c');
        deltaT.assign(delta.permute(1, 0, 2, 3));
        INDArray gradT = workspaceMgr.createUninitialized(ArrayType.BP_WORKING_MEM, dataType,
                new long[]{inChannels, outChannels, kernel[0], kernel[1]}, 'c');
        Nd4j.exec(DynamicCustomOp.builder("conv2d")
                .addInputs(xT, deltaT)
                .addOutputs(gradT)
                .addIntegerArguments((int) delta.size(2), (int) delta.size(3), 1, 1, pad[0], pad[1], 1, 1,
                        0, 0, 1) // not same-mode, NCHW, kernel as [out, in, kH, kW]
                .build());

        Gradient gradient = new DefaultGradient();
        if (layerConf().hasBias()) {
            INDArray biasGrad = gradientViews.get(ConvolutionParamInitializer.BIAS_KEY);
            delta.sum(biasGrad.reshape(biasGrad.length()), 0, 2, 3);
            gradient.setGradientFor(ConvolutionParamInitializer.BIAS_KEY, biasGrad);
        }
        INDArray weightGrad = gradientViews.get(ConvolutionParamInitializer.WEIGHT_KEY);
        weightGrad.assign(gradT.permute(1, 0, 2, 3));
        gradient.setGradientFor(ConvolutionParamInitializer.WEIGHT_KEY, weightGrad, 'c');
        return new Pair<>(gradient, null);
    }

    /** The parameter-gradients-only path: no input gradient wanted, and a convolution it handles. */
    private boolean weightsOnly() {
        FastConvolution c = (FastConvolution) layerConf();
        return !c.isInputGradient() && lastOutput != null && lastInput == input && reusable()
                && dataType == DataType.FLOAT
                && c.getCnn2dDataFormat() == CNN2DFormat.NCHW
                && c.getConvolutionMode() != ConvolutionMode.Same
                && c.getStride()[0] == 1 && c.getStride()[1] == 1
                && c.getDilation()[0] == 1 && c.getDilation()[1] == 1
                && c.getWeightNoise() == null;
    }

    @Override
    public void clear() {
        super.clear();
        lastOutput = null;
        lastInput = null;
    }

    /** Whether {@code a = f(z)} may stand for {@code z} in the backward pass of this layer, on the helper path. */
    private boolean reusable() {
        if (helper == null || (helperCountFail > 0 && layerConf().isCudnnAllowFallback())) {
            return false;
        }
        IActivation f = layerConf().getActivationFn();
        if (f instanceof ActivationIdentity) {
            return true;
        }
        return f instanceof ActivationReLU relu && isZeroOrNull(relu.getMax()) && isZeroOrNull(relu.getThreshold())
                && isZeroOrNull(relu.getNegativeSlope());
    }

    private static boolean isZeroOrNull(Double value) {
        return value == null || value == 0.0;
    }
}
