package io.github.dl4jclassics.zoo.layers;

import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.graph.GraphVertex;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.conf.layers.LocalResponseNormalization;
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
 */
public final class NativeLayers {

    private NativeLayers() {
    }

    /** A copy of {@code configuration} (a MultiLayer- or ComputationGraphConfiguration) with native layers. */
    public static Object apply(Object configuration) {
        if (configuration instanceof MultiLayerConfiguration conf) {
            MultiLayerConfiguration copy = conf.clone();
            for (NeuralNetConfiguration layer : copy.getConfs()) {
                replace(layer);
            }
            // The first layer's input is the images: training never needs its gradient.
            if (!copy.getConfs().isEmpty() && copy.getInputPreProcess(0) == null
                    && copy.getConf(0).getLayer() instanceof FastConvolution first) {
                first.setInputGradient(false);
            }
            return copy;
        }
        if (configuration instanceof ComputationGraphConfiguration conf) {
            ComputationGraphConfiguration copy = conf.clone();
            for (GraphVertex vertex : copy.getVertices().values()) {
                if (vertex instanceof LayerVertex layerVertex) {
                    replace(layerVertex.getLayerConf());
                }
            }
            return copy;
        }
        throw new IllegalArgumentException("not a network configuration: " + configuration);
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
