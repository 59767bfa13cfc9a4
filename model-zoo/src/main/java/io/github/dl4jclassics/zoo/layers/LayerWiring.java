package io.github.dl4jclassics.zoo.layers;

import java.util.Collection;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.linalg.api.ndarray.INDArray;

/** What every DL4J layer configuration's {@code instantiate} does with the run-time layer it makes. */
final class LayerWiring {

    private LayerWiring() {
    }

    /** Gives {@code layer} its listeners, index, parameter view, parameter table (initialised if asked) and conf. */
    static <L extends org.deeplearning4j.nn.api.Layer> L wire(L layer, Layer configuration, NeuralNetConfiguration conf,
            Collection<TrainingListener> listeners, int index, INDArray paramsView, boolean initializeParams) {
        layer.setListeners(listeners);
        layer.setIndex(index);
        layer.setParamsViewArray(paramsView);
        layer.setParamTable(configuration.initializer().init(conf, paramsView, initializeParams));
        layer.setConf(conf);
        return layer;
    }
}
