package io.github.dl4jclassics.zoo.layers;

import java.util.ArrayList;
import java.util.List;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.ConvolutionMode;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.PoolingType;
import org.deeplearning4j.nn.gradient.DefaultGradient;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.layers.convolution.subsampling.SubsamplingLayer;
import org.deeplearning4j.nn.workspace.ArrayType;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.common.primitives.Pair;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * DL4J 1.0.0-M2.1's pooling layer with its max and average pooling on {@link OneDnnPooling}: primitives made once per
 * input shape, and the backward pass of max pooling reading where the training forward pass found each maximum
 * instead of pooling again (DL4J's oneDNN helper runs libnd4j's {@code maxpool2d_bp}, which does). Everything else
 * (NHWC, Same mode, dilation, p-norm, average pooling with padding, float64, the oneDNN presets switched off or not
 * loaded, {@value #PROPERTY}{@code =false}) takes DL4J's path unchanged.
 */
public class FastSubsamplingLayer extends SubsamplingLayer {

    /** System property: false keeps pooling on DL4J's path (for comparisons; {@link OneDnn#PROPERTY} does too). */
    static final String PROPERTY = "dl4jclassics.oneDnnPooling";

    /** Primitive sets by input shape and phase (training and inference, full batches and an epoch's last one). */
    private final List<OneDnnPooling> poolings = new ArrayList<>(4);
    /** The training primitive set whose workspace holds the maxima of {@link #pooledInput}, and that input. */
    private OneDnnPooling lastTraining;
    private INDArray pooledInput;

    public FastSubsamplingLayer(NeuralNetConfiguration conf, DataType dataType) {
        super(conf, dataType);
    }

    @Override
    public INDArray activate(boolean training, LayerWorkspaceMgr workspaceMgr) {
        lastTraining = null;
        pooledInput = null;
        if (!directPossible()) {
            return super.activate(training, workspaceMgr);
        }
        assertInputSet(false);
        INDArray x = input.castTo(dataType);
        OneDnnPooling pooling = pooling(x.shape(), training);
        INDArray out = workspaceMgr.createUninitialized(ArrayType.ACTIVATIONS, dataType, pooling.outputShape(), 'c');
        pooling.forward(x, out);
        if (training) {
            lastTraining = pooling;
            pooledInput = input;
        }
        return out;
    }

    @Override
    public Pair<Gradient, INDArray> backpropGradient(INDArray epsilon, LayerWorkspaceMgr workspaceMgr) {
        if (!directPossible()) {
            return super.backpropGradient(epsilon, workspaceMgr);
        }
        assertInputSet(true);
        INDArray x = input.castTo(dataType);
        OneDnnPooling pooling = lastTraining;
        if (pooling == null || pooledInput != input || !pooling.fits(x.shape(), true)) {
            // The workspace is not this input's (no training forward pass since it was set): pool it again.
            pooling = pooling(x.shape(), true);
            INDArray scratch = workspaceMgr.createUninitialized(ArrayType.ACTIVATION_GRAD, dataType,
                    pooling.outputShape(), 'c');
            pooling.forward(x, scratch);
        }
        INDArray gradIn = workspaceMgr.createUninitialized(ArrayType.ACTIVATION_GRAD, dataType, x.shape(), 'c');
        pooling.backward(epsilon.castTo(dataType), gradIn);
        lastTraining = null;
        pooledInput = null;
        return new Pair<>(new DefaultGradient(), gradIn);
    }

    /** The primitive set for this input shape and phase, made on first use; at most four are kept. */
    private OneDnnPooling pooling(long[] shape, boolean training) {
        for (OneDnnPooling p : poolings) {
            if (p.fits(shape, training)) {
                return p;
            }
        }
        if (poolings.size() == 4) {
            poolings.remove(0);
        }
        org.deeplearning4j.nn.conf.layers.SubsamplingLayer c = layerConf();
        OneDnnPooling made = new OneDnnPooling(shape, c.getPoolingType() == PoolingType.MAX, c.getKernelSize(),
                c.getStride(), c.getPadding(), training);
        poolings.add(made);
        return made;
    }

    /**
     * Whether this input can take {@link OneDnnPooling}: a rank-4 NCHW float input, truncate or strict mode, no
     * dilation, max pooling or average pooling without padding (where DL4J's divisor options cannot differ), and the
     * presets loaded.
     */
    private boolean directPossible() {
        org.deeplearning4j.nn.conf.layers.SubsamplingLayer c = layerConf();
        if (input == null || input.rank() != 4 || dataType != DataType.FLOAT
                || c.getCnn2dDataFormat() != CNN2DFormat.NCHW
                || (c.getConvolutionMode() != ConvolutionMode.Truncate
                        && c.getConvolutionMode() != ConvolutionMode.Strict)
                || c.getDilation()[0] != 1 || c.getDilation()[1] != 1) {
            return false;
        }
        PoolingType type = c.getPoolingType();
        boolean padded = c.getPadding()[0] != 0 || c.getPadding()[1] != 0;
        if (!(type == PoolingType.MAX || (type == PoolingType.AVG && !padded))) {
            return false;
        }
        long[] shape = input.shape();
        long[] out = OneDnn.outputShape(shape, shape[1], c.getKernelSize(), c.getStride(), c.getPadding());
        if (out[2] < 1 || out[3] < 1) {
            return false; // DL4J's own path gives the error message
        }
        long[] after = OneDnn.padsAfter(shape, out, c.getKernelSize(), c.getStride(), c.getPadding());
        return after[0] >= 0 && after[1] >= 0 && Boolean.parseBoolean(System.getProperty(PROPERTY, "true").trim())
                && OneDnn.available();
    }

    @Override
    public void clear() {
        super.clear();
        lastTraining = null;
        pooledInput = null;
    }
}
