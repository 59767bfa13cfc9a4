package io.github.dl4jclassics.zoo.layers;

import java.util.ArrayList;
import java.util.List;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.gradient.DefaultGradient;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.layers.feedforward.dense.DenseLayer;
import org.deeplearning4j.nn.params.DefaultParamInitializer;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.activations.IActivation;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * DL4J 1.0.0-M2.1's dense layer with its products on {@link OneDnnInnerProduct}: ReLU fused into the forward
 * primitive, the backward pass starting from the kept output (DL4J's computes {@code x W + b} again) and no OpenBLAS.
 * Takes DL4J's path unchanged for anything else: other activations, layer norm, weight noise, masks, float64, the
 * oneDNN presets switched off or not loaded ({@value #PROPERTY}{@code =false} too, for comparisons).
 */
public class FastDenseLayer extends DenseLayer {

    /** System property: false keeps dense layers on DL4J's path. */
    static final String PROPERTY = "dl4jclassics.oneDnnDense";

    /** Primitive sets by batch size, phase and thread count. */
    private final List<OneDnnInnerProduct> products = new ArrayList<>(4);
    private INDArray lastOutput;
    private INDArray lastInput;

    public FastDenseLayer(NeuralNetConfiguration conf, DataType dataType) {
        super(conf, dataType);
    }

    @Override
    public INDArray activate(boolean training, LayerWorkspaceMgr workspaceMgr) {
        lastOutput = null;
        lastInput = null;
        if (!directPossible()) {
            return super.activate(training, workspaceMgr);
        }
        assertInputSet(false);
        applyDropOutIfNecessary(training, workspaceMgr);
        INDArray x = denseInput();
        INDArray w = getParam(DefaultParamInitializer.WEIGHT_KEY);
        INDArray b = hasBias() ? getParam(DefaultParamInitializer.BIAS_KEY) : null;
        INDArray out = workspaceMgr.createUninitialized(ArrayType.ACTIVATIONS, dataType,
                new long[]{x.size(0), w.size(1)}, 'c');
        product(x.size(0), training).forward(x, w, b, out);
        if (training) {
            lastOutput = out;
            lastInput = input;
        }
        return out;
    }

    @Override
    public Pair<Gradient, INDArray> backpropGradient(INDArray epsilon, LayerWorkspaceMgr workspaceMgr) {
        if (lastOutput == null || lastInput != input || !directPossible()) {
            return super.backpropGradient(epsilon, workspaceMgr);
        }
        INDArray output = lastOutput;
        lastOutput = null;
        lastInput = null;
        INDArray x = denseInput();
        INDArray w = getParam(DefaultParamInitializer.WEIGHT_KEY);
        INDArray delta = FastConvolutionLayer.activationBackprop(layerConf().getActivationFn(), output,
                epsilon.castTo(dataType));
        if (OneDnn.address(delta, 'c') == null) {
            delta = delta.dup('c');
        }
        INDArray weightGrad = gradientViews.get(DefaultParamInitializer.WEIGHT_KEY);
        INDArray biasGrad = hasBias() ? gradientViews.get(DefaultParamInitializer.BIAS_KEY) : null;
        INDArray inputGrad = workspaceMgr.createUninitialized(ArrayType.ACTIVATION_GRAD, dataType, x.shape(), 'c');
        product(x.size(0), true).backward(x, w, delta, weightGrad, biasGrad, inputGrad);
        Gradient gradient = new DefaultGradient();
        if (biasGrad != null) {
            gradient.gradientForVariable().put(DefaultParamInitializer.BIAS_KEY, biasGrad);
        }
        gradient.gradientForVariable().put(DefaultParamInitializer.WEIGHT_KEY, weightGrad);
        weightNoiseParams.clear();
        return new Pair<>(gradient, backpropDropOutIfPresent(inputGrad));
    }

    /** The (dropped-out) input as a dense c-order float matrix, copied only when it is not one. */
    private INDArray denseInput() {
        INDArray x = input.castTo(dataType);
        return OneDnn.address(x, 'c') != null ? x : x.dup('c');
    }

    private OneDnnInnerProduct product(long batch, boolean training) {
        for (OneDnnInnerProduct p : products) {
            if (p.fits(batch, training)) {
                return p;
            }
        }
        if (products.size() == 4) {
            products.remove(0);
        }
        OneDnnInnerProduct made = new OneDnnInnerProduct(batch, layerConf().getNIn(), layerConf().getNOut(),
                hasBias(), !(layerConf().getActivationFn() instanceof ActivationIdentity), training);
        products.add(made);
        return made;
    }

    /**
     * Whether this pass can take {@link OneDnnInnerProduct}: a rank-2 float input of the layer's width, ReLU or
     * identity, no layer norm, weight noise or mask, weights and gradients addressable in place, presets loaded.
     */
    private boolean directPossible() {
        IActivation f = layerConf().getActivationFn();
        INDArray w = getParam(DefaultParamInitializer.WEIGHT_KEY);
        INDArray b = hasBias() ? getParam(DefaultParamInitializer.BIAS_KEY) : null;
        return input != null && input.rank() == 2 && input.size(1) == layerConf().getNIn()
                && dataType == DataType.FLOAT
                && (f instanceof ActivationIdentity || FastConvolutionLayer.isPlainRelu(f))
                && !hasLayerNorm() && layerConf().getWeightNoise() == null && maskArray == null
                && OneDnn.address(w, 'f') != null && (b == null || OneDnn.address(b, 'c') != null)
                && gradientsAddressable()
                && Boolean.parseBoolean(System.getProperty(PROPERTY, "true").trim()) && OneDnn.available();
    }

    private boolean gradientsAddressable() {
        if (gradientViews == null) {
            return true; // inference-only network: no gradients to write
        }
        INDArray wg = gradientViews.get(DefaultParamInitializer.WEIGHT_KEY);
        INDArray bg = hasBias() ? gradientViews.get(DefaultParamInitializer.BIAS_KEY) : null;
        return (wg == null || OneDnn.address(wg, 'f') != null) && (bg == null || OneDnn.address(bg, 'c') != null);
    }

    /** How many oneDNN primitive sets this layer made (0: every pass took DL4J's path). */
    int primitiveSets() {
        return products.size();
    }

    @Override
    public void clear() {
        super.clear();
        lastOutput = null;
        lastInput = null;
    }
}
