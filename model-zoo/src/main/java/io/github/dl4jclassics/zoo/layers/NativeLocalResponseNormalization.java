package io.github.dl4jclassics.zoo.layers;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.deeplearning4j.nn.api.ParamInitializer;
import org.deeplearning4j.nn.conf.CNN2DFormat;
import org.deeplearning4j.nn.conf.GradientNormalization;
import org.deeplearning4j.nn.conf.InputPreProcessor;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.InputTypeUtil;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.memory.LayerMemoryReport;
import org.deeplearning4j.nn.conf.memory.MemoryReport;
import org.deeplearning4j.nn.params.EmptyParamInitializer;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.learning.regularization.Regularization;

/**
 * Local response normalisation across channels, computed by libnd4j's native {@code lrn} / {@code lrn_bp} operations
 * (oneDNN's LRN primitive for the forward pass when the oneDNN build is loaded) instead of the dozen array operations
 * per pass of DL4J's own {@link org.deeplearning4j.nn.conf.layers.LocalResponseNormalization}, whose oneDNN helper is
 * disabled in 1.0.0-M2.1.
 *
 * <p>Same formula and same parameters as DL4J's layer (the paper's, Krizhevsky et al. 2012):
 * {@code y_c = x_c / (k + alpha * sum_{c' = c - n/2 .. c + n/2} x_{c'}^2)^beta}, with {@code n/2} rounded down and the
 * window clipped at the first and last channel. alpha is <em>not</em> divided by n. PyTorch's
 * {@code nn.LocalResponseNorm(size, alpha, beta, k)} divides alpha by size: use {@link #torch} for it, which passes
 * {@code alpha / size}.
 *
 * <p>The layer has no parameters and is serialised in a network's JSON like DL4J's layers (class name, n, k, alpha,
 * beta, dataFormat). Works for NCHW (the default, set from the input type) and NHWC inputs.
 */
public class NativeLocalResponseNormalization extends Layer {

    private double n = 5;
    private double k = 2;
    private double alpha = 1e-4;
    private double beta = 0.75;
    private CNN2DFormat dataFormat = CNN2DFormat.NCHW;

    /** For JSON deserialisation. */
    public NativeLocalResponseNormalization() {
    }

    /**
     * LRN with DL4J's (the paper's) parameters, e.g. {@code new NativeLocalResponseNormalization("LRN1", 5, 2, 1e-4, 0.75)}
     * is the paper's layer and DL4J's {@code new LocalResponseNormalization.Builder().n(5).k(2).alpha(1e-4).beta(0.75)}.
     *
     * @param n window size in channels, odd (an even n behaves as n + 1, as in DL4J's layer)
     * @param k additive constant (PyTorch's {@code k}, TensorFlow's {@code bias})
     * @param alpha scale of the sum of squares, as in DL4J (not divided by n)
     * @param beta exponent
     */
    public NativeLocalResponseNormalization(String name, int n, double k, double alpha, double beta) {
        if (n < 1) {
            throw new IllegalArgumentException("LRN window n must be at least 1, got " + n);
        }
        if (!(k > 0) && !(alpha > 0)) {
            throw new IllegalArgumentException("LRN needs k > 0 or alpha > 0, got k=" + k + ", alpha=" + alpha);
        }
        this.layerName = name;
        this.n = n;
        this.k = k;
        this.alpha = alpha;
        this.beta = beta;
    }

    /**
     * {@code nn.LocalResponseNorm(size, alpha=torchAlpha, beta, k)} of PyTorch, which divides alpha by size: this is
     * {@code new NativeLocalResponseNormalization(name, size, k, torchAlpha / size, beta)}. Arguments in the order of
     * the zoo's {@code Layers.torchLrn(name, size, alpha, beta, k)}.
     */
    public static NativeLocalResponseNormalization torch(String name, int size, double torchAlpha, double beta, double k) {
        return new NativeLocalResponseNormalization(name, size, k, torchAlpha / size, beta);
    }

    /**
     * The paper's LRN (Krizhevsky et al. 2012; DL4J's convention, alpha not divided by n), arguments in the order of
     * the zoo's {@code Layers.paperLrn(name, size, alpha, beta, k)}.
     */
    public static NativeLocalResponseNormalization paper(String name, int size, double alpha, double beta, double k) {
        return new NativeLocalResponseNormalization(name, size, k, alpha, beta);
    }

    @Override
    public org.deeplearning4j.nn.api.Layer instantiate(NeuralNetConfiguration conf,
            Collection<TrainingListener> trainingListeners, int layerIndex, INDArray layerParamsView,
            boolean initializeParams, DataType networkDataType) {
        NativeLocalResponseNormalizationLayer layer = new NativeLocalResponseNormalizationLayer(conf, networkDataType);
        layer.setListeners(trainingListeners);
        layer.setIndex(layerIndex);
        layer.setParamsViewArray(layerParamsView);
        Map<String, INDArray> paramTable = initializer().init(conf, layerParamsView, initializeParams);
        layer.setParamTable(paramTable);
        layer.setConf(conf);
        return layer;
    }

    @Override
    public ParamInitializer initializer() {
        return EmptyParamInitializer.getInstance();
    }

    @Override
    public InputType getOutputType(int layerIndex, InputType inputType) {
        if (inputType == null || inputType.getType() != InputType.Type.CNN) {
            throw new IllegalStateException("Invalid input type for LRN layer (layer index = " + layerIndex
                    + ", layer name = \"" + getLayerName() + "\"): expected input of type CNN, got " + inputType);
        }
        return inputType;
    }

    @Override
    public void setNIn(InputType inputType, boolean override) {
        if (inputType == null || inputType.getType() != InputType.Type.CNN) {
            throw new IllegalStateException("LRN layer \"" + getLayerName() + "\" needs a CNN input, got " + inputType);
        }
        this.dataFormat = ((InputType.InputTypeConvolutional) inputType).getFormat();
    }

    @Override
    public InputPreProcessor getPreProcessorForInputType(InputType inputType) {
        if (inputType == null) {
            throw new IllegalStateException("Invalid input type for LRN layer (layer name = \"" + getLayerName() + "\"): null");
        }
        return InputTypeUtil.getPreProcessorForInputTypeCnnLayers(inputType, getLayerName());
    }

    @Override
    public List<Regularization> getRegularizationByParam(String paramName) {
        return null;
    }

    @Override
    public boolean isPretrainParam(String paramName) {
        return false;
    }

    @Override
    public GradientNormalization getGradientNormalization() {
        return GradientNormalization.None;
    }

    @Override
    public double getGradientNormalizationThreshold() {
        return 0;
    }

    @Override
    public LayerMemoryReport getMemoryReport(InputType inputType) {
        long perExample = inputType.arrayElementsPerExample();
        return new LayerMemoryReport.Builder(layerName, NativeLocalResponseNormalization.class, inputType, inputType)
                .standardMemory(0, 0)
                .workingMemory(0, 0, 0, perExample)
                .cacheMemory(MemoryReport.CACHE_MODE_ALL_ZEROS, MemoryReport.CACHE_MODE_ALL_ZEROS)
                .build();
    }

    @Override
    public NativeLocalResponseNormalization clone() {
        return (NativeLocalResponseNormalization) super.clone();
    }

    /** Window size in channels. A double, as in DL4J's layer. */
    public double getN() {
        return n;
    }

    public void setN(double n) {
        this.n = n;
    }

    public double getK() {
        return k;
    }

    public void setK(double k) {
        this.k = k;
    }

    /** alpha as in DL4J's layer and the paper: not divided by n. */
    public double getAlpha() {
        return alpha;
    }

    public void setAlpha(double alpha) {
        this.alpha = alpha;
    }

    public double getBeta() {
        return beta;
    }

    public void setBeta(double beta) {
        this.beta = beta;
    }

    public CNN2DFormat getDataFormat() {
        return dataFormat;
    }

    public void setDataFormat(CNN2DFormat dataFormat) {
        this.dataFormat = dataFormat;
    }

    /** libnd4j's {@code depth} argument: the half-width of the window. */
    int depthRadius() {
        return (int) n / 2;
    }

    @Override
    public boolean equals(Object o) {
        if (this == o) {
            return true;
        }
        if (!(o instanceof NativeLocalResponseNormalization other) || !super.equals(o)) {
            return false;
        }
        return n == other.n && k == other.k && alpha == other.alpha && beta == other.beta
                && dataFormat == other.dataFormat;
    }

    @Override
    public int hashCode() {
        return Objects.hash(super.hashCode(), n, k, alpha, beta, dataFormat);
    }

    @Override
    public String toString() {
        return "NativeLocalResponseNormalization(name=" + layerName + ", n=" + n + ", k=" + k + ", alpha=" + alpha
                + ", beta=" + beta + ", dataFormat=" + dataFormat + ")";
    }
}
