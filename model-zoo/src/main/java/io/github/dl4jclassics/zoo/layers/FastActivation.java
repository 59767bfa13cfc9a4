package io.github.dl4jclassics.zoo.layers;

import java.util.Collection;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.ActivationLayer;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * DL4J's activation layer, unchanged in configuration and results, whose ReLU takes fewer passes over the data (see
 * {@link FastActivationLayer}). Built by {@link NativeLayers#useNative} from an ordinary {@link ActivationLayer} and
 * turned back into one by {@link NativeLayers#useStock}; serialised under this class name with the same fields.
 */
public class FastActivation extends ActivationLayer {

    /** For JSON deserialisation; use {@link NativeLayers#fastActivation(ActivationLayer)}. */
    public FastActivation() {
    }

    @Override
    public org.deeplearning4j.nn.api.Layer instantiate(NeuralNetConfiguration conf,
            Collection<TrainingListener> trainingListeners, int layerIndex, INDArray layerParamsView,
            boolean initializeParams, DataType networkDataType) {
        return LayerWiring.wire(new FastActivationLayer(conf, networkDataType), this, conf, trainingListeners,
                layerIndex, layerParamsView, initializeParams);
    }

    @Override
    public FastActivation clone() {
        return (FastActivation) super.clone();
    }
}
