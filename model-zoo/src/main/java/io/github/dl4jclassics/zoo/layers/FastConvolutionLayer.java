package io.github.dl4jclassics.zoo.layers;

import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.layers.convolution.ConvolutionLayer;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.activations.impl.ActivationReLU;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

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
