package io.github.dl4jclassics.zoo.layers;

import io.github.dl4jclassics.common.FastPath;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.LocalResponseNormalization;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.nd4j.shade.jackson.databind.JsonNode;
import org.nd4j.shade.jackson.databind.ObjectMapper;
import org.nd4j.shade.jackson.databind.node.ObjectNode;

/**
 * Replaces DL4J's slow layers in an existing network configuration by the faster equivalents of this package
 * (docs/PERFORMANCE.md): every {@link LocalResponseNormalization} by a {@link NativeLocalResponseNormalization}
 * with the same name, n, k, alpha, beta and data format, and every plain {@link ConvolutionLayer} by a
 * {@link FastConvolution} with the same fields (the first layer of a MultiLayerNetwork without input gradient, see
 * {@link FastConvolution}), every plain {@link SubsamplingLayer} by a {@link FastSubsampling}, every plain
 * {@link DenseLayer} by a {@link FastDense} and every plain {@link ActivationLayer} by a {@link FastActivation},
 * with the same fields. Parameters, their order and initialisation are unchanged, so the
 * parameter vector of the network is the same and saved weights load as before; the networks compute the same
 * functions and gradients.
 *
 * <p>The native layers are a CPU run-time matter only: the zoo's {@code NetworkConfiguration.forBackend()} swaps
 * them in ({@link #useNative}) when a network is built or loaded on the CPU backend (on CUDA, DL4J's own layers with
 * their cuDNN helpers run), and {@link #useStock} turns them back into DL4J's layers for everything that is saved, so
 * a saved model opens in plain DL4J. This class works on DL4J's layer configurations only: the network-level swap
 * (copying the configuration, which layers) is {@code NetworkConfiguration}'s, so this package depends on nothing
 * of the zoo above it.
 *
 * <p>Batch normalisation becomes a {@link PyTorchBatchNormalization} on every backend ({@link
 * #usePyTorchBatchNormalization}, called by {@code NetworkConfiguration.forBackend()}: a training-semantics fix, not
 * a speed-up, so not part of {@link #useNative}); {@link #useStock} turns it back too.
 */
public final class NativeLayers {

    private static final String FAST_CONVOLUTION = FastConvolution.class.getName();
    private static final String NATIVE_LRN = NativeLocalResponseNormalization.class.getName();
    private static final String FAST_SUBSAMPLING = FastSubsampling.class.getName();
    private static final String FAST_DENSE = FastDense.class.getName();
    private static final String FAST_ACTIVATION = FastActivation.class.getName();
    private static final String PYTORCH_BATCH_NORM = PyTorchBatchNormalization.class.getName();

    private NativeLayers() {
    }

    /** Whether the native layers are used at run time: on ND4J's CPU backend only. */
    public static boolean onThisBackend() {
        return "CPU".equalsIgnoreCase(FastPath.status().backend());
    }

    /**
     * Puts a {@link PyTorchBatchNormalization} in place of every DL4J {@link BatchNormalization}, in place
     * (PyTorch's training semantics, on every backend).
     */
    public static void usePyTorchBatchNormalization(Collection<NeuralNetConfiguration> layers) {
        for (NeuralNetConfiguration layer : layers) {
            if (layer.getLayer() != null && layer.getLayer().getClass() == BatchNormalization.class) {
                layer.setLayer(PyTorchBatchNormalization.of((BatchNormalization) layer.getLayer()));
            }
        }
    }

    /**
     * Puts DL4J's own layers in place of the native ones (also inside wrappers such as FrozenLayer), in place:
     * {@link FastConvolution} becomes the {@link ConvolutionLayer} it was made from, {@link FastSubsampling} the
     * {@link SubsamplingLayer}, {@link FastDense} the {@link DenseLayer}, {@link FastActivation} the
     * {@link ActivationLayer}, and
     * {@link NativeLocalResponseNormalization} DL4J's {@link LocalResponseNormalization} with the same n, k, alpha,
     * beta and data format. Their fields are DL4J's own, so each such layer is copied through DL4J's JSON form with
     * the class name replaced; the other layers are kept as they are (not through JSON: DL4J 1.0.0-M2.1's
     * {@code ComputationGraphConfiguration.fromJson} turns batch norm's {@code useLogStd=false} into true).
     * Parameters are unaffected (the layers have the same ones).
     */
    public static void useStock(Collection<NeuralNetConfiguration> layers) {
        for (NeuralNetConfiguration layer : layers) {
            layer.setLayer(stockLayer(layer.getLayer()));
        }
    }

    private static Layer stockLayer(Layer layer) {
        if (layer == null) {
            return null;
        }
        ObjectMapper mapper = NeuralNetConfiguration.mapper();
        ObjectNode json = mapper.valueToTree(layer);
        if (!namesNativeLayers(json.toString())) {
            return layer;
        }
        toStock(json);
        try {
            return mapper.treeToValue(json, Layer.class);
        } catch (org.nd4j.shade.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("cannot copy layer " + layer.getLayerName() + " as DL4J's own layer", e);
        }
    }

    /** Whether {@code json} (a network configuration) names one of the native layers. */
    public static boolean namesNativeLayers(String json) {
        return json.contains(FAST_CONVOLUTION) || json.contains(NATIVE_LRN) || json.contains(PYTORCH_BATCH_NORM)
                || json.contains(FAST_SUBSAMPLING) || json.contains(FAST_DENSE) || json.contains(FAST_ACTIVATION);
    }

    private static void toStock(JsonNode node) {
        if (node instanceof ObjectNode object && object.has("@class")) {
            String type = object.get("@class").asText();
            if (type.equals(FAST_CONVOLUTION)) {
                object.put("@class", ConvolutionLayer.class.getName());
                object.remove("inputGradient");
            } else if (type.equals(NATIVE_LRN)) {
                object.put("@class", LocalResponseNormalization.class.getName());
            } else if (type.equals(FAST_SUBSAMPLING)) {
                object.put("@class", SubsamplingLayer.class.getName());
            } else if (type.equals(FAST_DENSE)) {
                object.put("@class", DenseLayer.class.getName());
            } else if (type.equals(FAST_ACTIVATION)) {
                object.put("@class", ActivationLayer.class.getName());
            } else if (type.equals(PYTORCH_BATCH_NORM)) {
                object.put("@class", BatchNormalization.class.getName());
            }
        }
        for (JsonNode child : node) {
            toStock(child);
        }
    }

    /**
     * Puts the native layers in place of DL4J's, in place; {@code chain} (null for a graph) is the
     * MultiLayerConfiguration they belong to, whose first convolution then computes no input gradient.
     */
    public static void useNative(Collection<NeuralNetConfiguration> layers, MultiLayerConfiguration chain) {
        for (NeuralNetConfiguration layer : layers) {
            replace(layer);
        }
        // The first layer's input is the images: training never needs its gradient.
        if (chain != null && !chain.getConfs().isEmpty() && chain.getInputPreProcess(0) == null
                && chain.getConf(0).getLayer() instanceof FastConvolution first) {
            first.setInputGradient(false);
        }
    }

    /**
     * In a graph whose layers {@link #useNative} replaced: every {@link FastConvolution} fed by the network's inputs
     * alone, without a preprocessor (ResNet's stem), computes no input gradient; DL4J's graph takes the null gradient
     * of a vertex on an input as it does an embedding layer's.
     */
    public static void skipInputGradients(ComputationGraphConfiguration graph) {
        for (Map.Entry<String, GraphVertex> entry : graph.getVertices().entrySet()) {
            List<String> inputs = graph.getVertexInputs().get(entry.getKey());
            if (entry.getValue() instanceof LayerVertex vertex && vertex.getPreProcessor() == null
                    && vertex.getLayerConf().getLayer() instanceof FastConvolution first
                    && inputs != null && !inputs.isEmpty() && graph.getNetworkInputs().containsAll(inputs)) {
                first.setInputGradient(false);
            }
        }
    }

    /** The native equivalent of DL4J's LRN layer: same parameters, same meaning of alpha. */
    public static NativeLocalResponseNormalization nativeLrn(LocalResponseNormalization lrn) {
        NativeLocalResponseNormalization replacement = new NativeLocalResponseNormalization(lrn.getLayerName(),
                (int) lrn.getN(), lrn.getK(), lrn.getAlpha(), lrn.getBeta());
        replacement.setDataFormat(lrn.getDataFormat());
        replacement.setIDropout(lrn.getIDropout());
        return replacement;
    }

    /** The same convolution layer (every field copied through DL4J's own JSON form) as a {@link FastConvolution}. */
    public static FastConvolution fastConvolution(ConvolutionLayer convolution) {
        return copyAs(convolution, FastConvolution.class);
    }

    /** The same activation layer (every field copied through DL4J's own JSON form) as a {@link FastActivation}. */
    public static FastActivation fastActivation(ActivationLayer activation) {
        return copyAs(activation, FastActivation.class);
    }

    /** The same dense layer (every field copied through DL4J's own JSON form) as a {@link FastDense}. */
    public static FastDense fastDense(DenseLayer dense) {
        return copyAs(dense, FastDense.class);
    }

    /** The same pooling layer (every field copied through DL4J's own JSON form) as a {@link FastSubsampling}. */
    public static FastSubsampling fastSubsampling(SubsamplingLayer pooling) {
        FastSubsampling copy = copyAs(pooling, FastSubsampling.class);
        copy.setDefaultValueOverridden(pooling.isDefaultValueOverridden()); // not in JSON; read by setNIn
        return copy;
    }

    /** {@code layer}'s fields, through DL4J's own JSON form, in a {@code type} (a subclass with the same fields). */
    private static <T extends Layer> T copyAs(Layer layer, Class<T> type) {
        ObjectMapper mapper = NeuralNetConfiguration.mapper();
        ObjectNode json = mapper.valueToTree(layer);
        json.put("@class", type.getName());
        try {
            return type.cast(mapper.treeToValue(json, Layer.class));
        } catch (org.nd4j.shade.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("cannot copy layer " + layer.getLayerName() + " as a "
                    + type.getSimpleName(), e);
        }
    }

    private static void replace(NeuralNetConfiguration conf) {
        Layer layer = conf.getLayer();
        if (layer instanceof LocalResponseNormalization lrn) {
            conf.setLayer(nativeLrn(lrn));
        } else if (layer != null && layer.getClass() == ConvolutionLayer.class) {
            conf.setLayer(fastConvolution((ConvolutionLayer) layer));
        } else if (layer != null && layer.getClass() == SubsamplingLayer.class) {
            conf.setLayer(fastSubsampling((SubsamplingLayer) layer));
        } else if (layer != null && layer.getClass() == DenseLayer.class) {
            conf.setLayer(fastDense((DenseLayer) layer));
        } else if (layer != null && layer.getClass() == ActivationLayer.class) {
            conf.setLayer(fastActivation((ActivationLayer) layer));
        }
    }
}
