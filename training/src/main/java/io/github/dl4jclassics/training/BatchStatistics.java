package io.github.dl4jclassics.training;

import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.api.Model;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.api.layers.IOutputLayer;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.deeplearning4j.optimize.api.BaseTrainingListener;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * Running training loss and accuracy of an epoch, from the batches as they are trained (as torchvision's
 * reference script reports them), without a second forward pass: after the backward pass the output layer
 * still holds its input, so only the output layer's activation is recomputed.
 *
 * <p>The loss here is the data loss alone, comparable to PyTorch's (DL4J's {@code score()} adds the L2 term).
 */
public final class BatchStatistics extends BaseTrainingListener {

    private double lossSum;
    private long correct;
    private long examples;
    private double lastLoss = Double.NaN;
    private boolean labelsMixed;

    public void startEpoch(boolean mixedLabels) {
        lossSum = 0;
        correct = 0;
        examples = 0;
        labelsMixed = mixedLabels;
    }

    @Override
    public void onBackwardPass(Model model) {
        Layer output = outputLayer(model);
        // Any output layer: OutputLayer, or a LossLayer after a parameterless layer (alexnet-scene's dropout on logits).
        if (!(output instanceof IOutputLayer layer) || layer.getLabels() == null) {
            lastLoss = Double.NaN;
            return;
        }
        INDArray probabilities = output.activate(false, LayerWorkspaceMgr.noWorkspaces());
        INDArray labels = layer.getLabels();
        long n = labels.size(0);
        // Cross-entropy with soft or one-hot labels: -sum(y * log p) / n.
        double loss = -Transforms.log(probabilities.add(1e-12), false).muli(labels).sumNumber().doubleValue() / n;
        lastLoss = loss;
        lossSum += loss * n;
        examples += n;
        if (!labelsMixed) {
            INDArray predicted = Nd4j.argMax(probabilities, 1);
            INDArray truth = Nd4j.argMax(labels, 1);
            correct += predicted.eq(truth).castTo(org.nd4j.linalg.api.buffer.DataType.INT).sumNumber().longValue();
        }
    }

    private static Layer outputLayer(Model model) {
        if (model instanceof MultiLayerNetwork network) {
            return network.getOutputLayer();
        }
        if (model instanceof ComputationGraph graph) {
            return graph.getOutputLayer(0);
        }
        return null;
    }

    public double lastLoss() {
        return lastLoss;
    }

    public double meanLoss() {
        return examples == 0 ? Double.NaN : lossSum / examples;
    }

    /** NaN when the labels were mixed (mixup): accuracy on mixed batches is not accuracy. */
    public double accuracy() {
        return examples == 0 || labelsMixed ? Double.NaN : (double) correct / examples;
    }

    public long examples() {
        return examples;
    }
}
