package io.github.dl4jclassics.zoo.layers;

import java.util.Collection;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.optimize.api.TrainingListener;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * DL4J's 2-D convolution layer, unchanged in configuration, parameters and results, whose training step does not
 * compute the convolution twice (see {@link FastConvolutionLayer}). Built by {@link NativeLayers#useNative} from an
 * ordinary {@link ConvolutionLayer}; serialised in a network's JSON under this class name with the same fields.
 *
 * <p>{@code inputGradient = false} (set by {@link NativeLayers#useNative} on the first layer of a MultiLayerNetwork,
 * and by {@link NativeLayers#skipInputGradients} on a graph's convolutions fed by its input alone)
 * declares that nothing needs the gradient with respect to the layer's input, the network's images: the backward
 * pass then computes the parameter gradients only, and returns {@code null} as the input gradient (which DL4J's
 * training discards anyway). {@code MultiLayerNetwork.calculateGradients} / {@code backpropGradient} then return no
 * input gradient either.
 */
public class FastConvolution extends ConvolutionLayer {

    private boolean inputGradient = true;

    /** For JSON deserialisation; use {@link NativeLayers#fastConvolution(ConvolutionLayer)}. */
    public FastConvolution() {
    }

    @Override
    public org.deeplearning4j.nn.api.Layer instantiate(NeuralNetConfiguration conf,
            Collection<TrainingListener> trainingListeners, int layerIndex, INDArray layerParamsView,
            boolean initializeParams, DataType networkDataType) {
        if (getNIn() <= 0 || getNOut() <= 0) {
            throw new IllegalStateException("convolution layer \"" + getLayerName() + "\" (index " + layerIndex
                    + ") needs nIn and nOut; got " + getNIn() + " and " + getNOut());
        }
        return LayerWiring.wire(new FastConvolutionLayer(conf, networkDataType), this, conf, trainingListeners,
                layerIndex, layerParamsView, initializeParams);
    }

    /** Whether the backward pass computes the gradient with respect to the input (default true). */
    public boolean isInputGradient() {
        return inputGradient;
    }

    public void setInputGradient(boolean inputGradient) {
        this.inputGradient = inputGradient;
    }

    @Override
    public boolean equals(Object o) {
        return super.equals(o) && o instanceof FastConvolution other && inputGradient == other.inputGradient;
    }

    @Override
    public int hashCode() {
        return 31 * super.hashCode() + Boolean.hashCode(inputGradient);
    }

    @Override
    public FastConvolution clone() {
        return (FastConvolution) super.clone();
    }
}
