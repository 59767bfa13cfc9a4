package io.github.dl4jclassics.zoo.layers;

import java.util.Collection;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.SubsamplingLayer;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * DL4J's 2-D pooling layer, unchanged in configuration and results, whose max and average pooling run oneDNN's
 * primitives directly (see {@link FastSubsamplingLayer}). Built by {@link NativeLayers#useNative} from an ordinary
 * {@link SubsamplingLayer} and turned back into one by {@link NativeLayers#useStock} for everything saved; serialised
 * in a network's JSON under this class name with the same fields.
 */
public class FastSubsampling extends SubsamplingLayer {

    /** For JSON deserialisation; use {@link NativeLayers#fastSubsampling(SubsamplingLayer)}. */
    public FastSubsampling() {
    }

    @Override
    public org.deeplearning4j.nn.api.Layer instantiate(NeuralNetConfiguration conf,
            Collection<TrainingListener> trainingListeners, int layerIndex, INDArray layerParamsView,
            boolean initializeParams, DataType networkDataType) {
        return LayerWiring.wire(new FastSubsamplingLayer(conf, networkDataType), this, conf, trainingListeners,
                layerIndex, layerParamsView, initializeParams);
    }

    @Override
    public FastSubsampling clone() {
        return (FastSubsampling) super.clone();
    }
}
