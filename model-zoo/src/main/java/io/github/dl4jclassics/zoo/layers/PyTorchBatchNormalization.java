package io.github.dl4jclassics.zoo.layers;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.params.BatchNormalizationParamInitializer;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.learning.regularization.Regularization;
import org.nd4j.shade.jackson.databind.ObjectMapper;
import org.nd4j.shade.jackson.databind.node.ObjectNode;

/**
 * DL4J's batch normalisation with PyTorch's training semantics ({@code nn.BatchNorm2d}), same fields, parameters and
 * forward pass:
 * <ul>
 *   <li>the running variance moves towards the <em>unbiased</em> batch variance ({@code n/(n-1)} times the biased
 *       one, n = N*H*W), as PyTorch's does; DL4J 1.0.0-M2.1 uses the biased one
 *       ({@link PyTorchBatchNormalizationLayer});</li>
 *   <li>gamma and beta take the layer's regularisation (weight decay) like any other parameter, as PyTorch's
 *       {@code weight_decay} does; DL4J 1.0.0-M2.1's {@code getRegularizationByParam} returns none for them. Gamma
 *       takes the weights' terms, beta the biases' (the training module sets both alike).</li>
 * </ul>
 * A run-time layer only, on every backend ({@link NativeLayers#usePyTorchBatchNormalization}); saved models name DL4J's own
 * {@link BatchNormalization} ({@link NativeLayers#useStock}), whose inference is identical.
 */
public class PyTorchBatchNormalization extends BatchNormalization {

    /** For JSON deserialisation; use {@link #of(BatchNormalization)}. */
    public PyTorchBatchNormalization() {
    }

    /** The same batch normalisation layer (every field copied through DL4J's own JSON form) with PyTorch's training. */
    public static PyTorchBatchNormalization of(BatchNormalization stock) {
        ObjectMapper mapper = NeuralNetConfiguration.mapper();
        ObjectNode json = mapper.valueToTree(stock);
        json.put("@class", PyTorchBatchNormalization.class.getName());
        try {
            return (PyTorchBatchNormalization) mapper.treeToValue(json, Layer.class);
        } catch (org.nd4j.shade.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("cannot copy batch normalisation layer " + stock.getLayerName(), e);
        }
    }

    @Override
    public org.deeplearning4j.nn.api.Layer instantiate(NeuralNetConfiguration conf,
            Collection<TrainingListener> trainingListeners, int layerIndex, INDArray layerParamsView,
            boolean initializeParams, DataType networkDataType) {
        if (getNOut() <= 0) {
            throw new IllegalStateException("batch normalisation layer \"" + getLayerName() + "\" (index " + layerIndex
                    + ") needs nOut; got " + getNOut());
        }
        PyTorchBatchNormalizationLayer layer = new PyTorchBatchNormalizationLayer(conf, networkDataType);
        layer.setListeners(trainingListeners);
        layer.setIndex(layerIndex);
        layer.setParamsViewArray(layerParamsView);
        Map<String, INDArray> paramTable = initializer().init(conf, layerParamsView, initializeParams);
        layer.setParamTable(paramTable);
        layer.setConf(conf);
        return layer;
    }

    /** Gamma: the weights' regularisation; beta: the biases'; the running statistics: none (they are not trained). */
    @Override
    public List<Regularization> getRegularizationByParam(String paramName) {
        return switch (paramName) {
            case BatchNormalizationParamInitializer.GAMMA -> getRegularization();
            case BatchNormalizationParamInitializer.BETA -> getRegularizationBias();
            default -> null;
        };
    }

    @Override
    public boolean equals(Object o) {
        return super.equals(o) && o instanceof PyTorchBatchNormalization;
    }

    @Override
    public int hashCode() {
        return 31 * super.hashCode() + 1;
    }

    @Override
    public PyTorchBatchNormalization clone() {
        return (PyTorchBatchNormalization) super.clone();
    }
}
