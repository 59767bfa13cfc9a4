package io.github.dl4jclassics.zoo.layers;

import java.util.Collection;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.layers.LayerValidation;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * DL4J's dense layer, unchanged in configuration, parameters and results, whose products run oneDNN's inner-product
 * primitives (see {@link FastDenseLayer}). Built by {@link NativeLayers#useNative} from an ordinary
 * {@link DenseLayer} and turned back into one by {@link NativeLayers#useStock} for everything saved; serialised in a
 * network's JSON under this class name with the same fields.
 */
public class FastDense extends DenseLayer {

    /** For JSON deserialisation; use {@link NativeLayers#fastDense(DenseLayer)}. */
    public FastDense() {
    }

    @Override
    public org.deeplearning4j.nn.api.Layer instantiate(NeuralNetConfiguration conf,
            Collection<TrainingListener> trainingListeners, int layerIndex, INDArray layerParamsView,
            boolean initializeParams, DataType networkDataType) {
        LayerValidation.assertNInNOutSet("DenseLayer", getLayerName(), layerIndex, getNIn(), getNOut());
        return LayerWiring.wire(new FastDenseLayer(conf, networkDataType), this, conf, trainingListeners,
                layerIndex, layerParamsView, initializeParams);
    }

    @Override
    public FastDense clone() {
        return (FastDense) super.clone();
    }
}
