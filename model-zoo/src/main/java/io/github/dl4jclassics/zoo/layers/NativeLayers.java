package io.github.dl4jclassics.zoo.layers;

import io.github.dl4jclassics.common.FastPath;
import io.github.dl4jclassics.zoo.NetworkConfiguration;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.LocalResponseNormalization;
import org.nd4j.shade.jackson.databind.JsonNode;
import org.nd4j.shade.jackson.databind.ObjectMapper;
import org.nd4j.shade.jackson.databind.node.ObjectNode;

/**
 * Replaces DL4J's slow layers in an existing network configuration by the faster equivalents of this package
 * (docs/PERFORMANCE.md): every {@link LocalResponseNormalization} by a {@link NativeLocalResponseNormalization}
 * with the same name, n, k, alpha, beta and data format, and every plain {@link ConvolutionLayer} by a
 * {@link FastConvolution} with the same fields (the first layer of a MultiLayerNetwork without input gradient, see
 * {@link FastConvolution}). Parameters, their order and initialisation are unchanged, so the
 * parameter vector of the network is the same and saved weights load as before; the networks compute the same
 * functions and gradients.
 *
 * <p>{@link #forBackend} also makes batch normalisation a {@link PyTorchBatchNormalization}, on every backend (a
 * training-semantics fix, not a speed-up, so not part of {@link #apply}); {@link #stock} turns it back too.
 *
 * <p>The native layers are a CPU run-time matter only: {@link #forBackend} swaps them in when a network is built or
 * loaded on the CPU backend (on CUDA, DL4J's own layers with their cuDNN helpers run), and {@link #stock} turns them
 * back into DL4J's layers for everything that is saved, so a saved model opens in plain DL4J.
 */
public final class NativeLayers {

    private static final String FAST_CONVOLUTION = FastConvolution.class.getName();
    private static final String NATIVE_LRN = NativeLocalResponseNormalization.class.getName();
    private static final String PYTORCH_BATCH_NORM = PyTorchBatchNormalization.class.getName();

    private NativeLayers() {
    }

    /** Whether the native layers are used at run time: on ND4J's CPU backend only. */
    public static boolean onThisBackend() {
        return "CPU".equalsIgnoreCase(FastPath.status().backend());
    }

    /**
     * The configuration to run on this backend: {@link #apply} (native layers) on the CPU, {@link #stock} (DL4J's
     * own layers, which use cuDNN) on any other backend.
     */
    public static NetworkConfiguration forBackend(NetworkConfiguration configuration) {
        return pytorchBatchNormalization(onThisBackend() ? apply(configuration) : stock(configuration));
    }

    /**
     * A copy of {@code configuration} with every DL4J {@link BatchNormalization} replaced by a
     * {@link PyTorchBatchNormalization} (PyTorch's training semantics: {@link #forBackend} does it on every backend;
     * {@link #apply}, the speed-ups alone, does not).
     */
    public static NetworkConfiguration pytorchBatchNormalization(NetworkConfiguration configuration) {
        NetworkConfiguration copy = configuration.copy();
        for (NeuralNetConfiguration layer : copy.layerConfigurations().values()) {
            if (layer.getLayer() != null && layer.getLayer().getClass() == BatchNormalization.class) {
                layer.setLayer(PyTorchBatchNormalization.of((BatchNormalization) layer.getLayer()));
            }
        }
        return copy;
    }

    /**
     * A copy of {@code configuration} with DL4J's own layers in place of the native ones (also inside wrappers such
     * as FrozenLayer): {@link FastConvolution} becomes the {@link ConvolutionLayer} it was made from, and
     * {@link NativeLocalResponseNormalization} DL4J's {@link LocalResponseNormalization} with the same n, k, alpha,
     * beta and data format. Their fields are DL4J's own, so each such layer is copied through DL4J's JSON form with
     * the class name replaced; the other layers are cloned as they are (not through JSON: DL4J 1.0.0-M2.1's
     * {@code ComputationGraphConfiguration.fromJson} turns batch norm's {@code useLogStd=false} into true).
     * Parameters are unaffected (the layers have the same ones).
     */
    public static NetworkConfiguration stock(NetworkConfiguration configuration) {
        NetworkConfiguration copy = configuration.copy();
        for (NeuralNetConfiguration layer : copy.layerConfigurations().values()) {
            layer.setLayer(stockLayer(layer.getLayer()));
        }
        return copy;
    }

    /**
     * {@code conf.clone()} with its iteration and epoch counts, which DL4J 1.0.0-M2.1's clone resets to 0 for a graph
     * (Adam's bias correction and the schedules of a resumed run depend on them).
     */
    public static ComputationGraphConfiguration cloneWithCounts(ComputationGraphConfiguration conf) {
        ComputationGraphConfiguration copy = conf.clone();
        copy.setIterationCount(conf.getIterationCount());
        copy.setEpochCount(conf.getEpochCount());
        return copy;
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
        return json.contains(FAST_CONVOLUTION) || json.contains(NATIVE_LRN) || json.contains(PYTORCH_BATCH_NORM);
    }

    private static void toStock(JsonNode node) {
        if (node instanceof ObjectNode object && object.has("@class")) {
            String type = object.get("@class").asText();
            if (type.equals(FAST_CONVOLUTION)) {
                object.put("@class", ConvolutionLayer.class.getName());
                object.remove("inputGradient");
            } else if (type.equals(NATIVE_LRN)) {
                object.put("@class", LocalResponseNormalization.class.getName());
            } else if (type.equals(PYTORCH_BATCH_NORM)) {
                object.put("@class", BatchNormalization.class.getName());
            }
        }
        for (JsonNode child : node) {
            toStock(child);
        }
    }

    /** A copy of {@code configuration} (a MultiLayer- or ComputationGraphConfiguration) with native layers. */
    public static NetworkConfiguration apply(NetworkConfiguration configuration) {
        NetworkConfiguration copy = configuration.copy();
        for (NeuralNetConfiguration layer : copy.layerConfigurations().values()) {
            replace(layer);
        }
        // The first layer's input is the images: training never needs its gradient.
        if (copy instanceof NetworkConfiguration.Sequential chain && !chain.dl4j().getConfs().isEmpty()
                && chain.dl4j().getInputPreProcess(0) == null
                && chain.dl4j().getConf(0).getLayer() instanceof FastConvolution first) {
            first.setInputGradient(false);
        }
        return copy;
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
        ObjectMapper mapper = NeuralNetConfiguration.mapper();
        ObjectNode json = mapper.valueToTree(convolution);
        json.put("@class", FastConvolution.class.getName());
        try {
            return (FastConvolution) mapper.treeToValue(json, Layer.class);
        } catch (org.nd4j.shade.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("cannot copy convolution layer " + convolution.getLayerName(), e);
        }
    }

    private static void replace(NeuralNetConfiguration conf) {
        Layer layer = conf.getLayer();
        if (layer instanceof LocalResponseNormalization lrn) {
            conf.setLayer(nativeLrn(lrn));
        } else if (layer != null && layer.getClass() == ConvolutionLayer.class) {
            conf.setLayer(fastConvolution((ConvolutionLayer) layer));
        }
    }
}
