package io.github.dl4jclassics.zoo.weights;

import io.github.dl4jclassics.zoo.NetworkConfiguration;
import io.github.dl4jclassics.zoo.ClassicModel;
import io.github.dl4jclassics.zoo.ClassifierNetwork;
import io.github.dl4jclassics.common.InputShape;
import io.github.dl4jclassics.zoo.ModelRegistry;
import io.github.dl4jclassics.zoo.ModelSpec;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.nd4j.linalg.activations.impl.ActivationIdentity;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Inference with imported weights, returning logits: the network is built with the output layer's softmax replaced
 * by the identity (the loss is irrelevant at inference), so its output is the pre-softmax score PyTorch returns.
 * Runs in test mode: no dropout, batch norm with running statistics.
 */
public final class Predictor {

    private static final int BATCH = 16;

    private final ClassicModel model;
    private final ModelSpec spec;
    private final ClassifierNetwork network;

    private Predictor(ClassicModel model, ModelSpec spec, ClassifierNetwork network) {
        this.model = model;
        this.spec = spec;
        this.network = network;
    }

    /** A logits network for {@code spec} with the weights loaded (the model's own key mapping). */
    public static Predictor create(ClassicModel model, ModelSpec spec, NpzWeights weights) {
        ClassifierNetwork net = ClassifierNetwork.fromConfiguration(logitsConfiguration(model.configuration(spec)));
        weights.loadInto(model, net);
        return new Predictor(model, spec, net);
    }

    /** A copy of the configuration whose output layer has identity activation. */
    public static NetworkConfiguration logitsConfiguration(NetworkConfiguration configuration) {
        NetworkConfiguration copy = configuration.copy();
        Layer last = copy.outputLayer();
        if (!(last instanceof BaseLayer base)) {
            throw new IllegalArgumentException("output layer " + last.getLayerName() + " has no activation to remove");
        }
        base.setActivationFn(new ActivationIdentity());
        return copy;
    }

    public ClassifierNetwork network() {
        return network;
    }

    public ModelSpec spec() {
        return spec;
    }

    /** Logits [N, classes] for NCHW images whose CxHxW equals the spec's input. */
    public INDArray logits(INDArray images) {
        InputShape in = spec.input();
        long[] expected = {in.channels(), in.height(), in.width()};
        if (images.rank() != 4 || !Arrays.equals(Arrays.copyOfRange(images.shape(), 1, 4), expected)) {
            throw new IllegalArgumentException("model '" + model.id() + "' built for input " + in + " expects NCHW [N, "
                    + in.channels() + ", " + in.height() + ", " + in.width() + "], got " + Arrays.toString(images.shape()));
        }
        INDArray x = images.castTo(DataType.FLOAT);
        long n = x.size(0);
        List<INDArray> parts = new ArrayList<>();
        for (long start = 0; start < n; start += BATCH) {
            INDArray batch = x.get(NDArrayIndex.interval(start, Math.min(n, start + BATCH)), NDArrayIndex.all(),
                    NDArrayIndex.all(), NDArrayIndex.all()).dup('c');
            parts.add(network.output(batch, false).dup());
        }
        return parts.size() == 1 ? parts.get(0) : Nd4j.concat(0, parts.toArray(new INDArray[0]));
    }

    /**
     * {@code predict --model ID --weights FILE --input x.npy --output y.npy}: the input shape is taken from x.npy
     * ([N, C, H, W] float32) and the number of classes from the weights; writes logits [N, classes] as float32.
     */
    public static INDArray predict(String modelId, Path weightsFile, Path inputNpy, Path outputNpy) throws IOException {
        ClassicModel model = ModelRegistry.standard().get(modelId);
        INDArray x = NpyArrays.read(inputNpy);
        if (x.rank() != 4) {
            throw new IllegalArgumentException(inputNpy + ": expected an NCHW array [N, C, H, W], got shape "
                    + Arrays.toString(x.shape()));
        }
        NpzWeights weights = NpzWeights.read(weightsFile);
        ModelSpec spec = new ModelSpec(weights.numClasses(),
                new InputShape((int) x.size(1), (int) x.size(2), (int) x.size(3)), 0);
        INDArray logits = create(model, spec, weights).logits(x);
        if (outputNpy != null) {
            NpyArrays.write(outputNpy, logits);
        }
        return logits;
    }
}
