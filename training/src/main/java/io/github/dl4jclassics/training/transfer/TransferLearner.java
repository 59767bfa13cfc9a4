package io.github.dl4jclassics.training.transfer;

import io.github.dl4jclassics.training.Optimizers;
import io.github.dl4jclassics.training.TrainingConfig;
import io.github.dl4jclassics.zoo.ClassicModel;
import io.github.dl4jclassics.zoo.ClassifierNetwork;
import io.github.dl4jclassics.zoo.ModelSpec;
import io.github.dl4jclassics.zoo.weights.NpzWeights;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.dropout.IDropout;
import org.deeplearning4j.nn.conf.graph.LayerVertex;
import org.deeplearning4j.nn.conf.layers.FeedForwardLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
import org.deeplearning4j.nn.graph.ComputationGraph;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.transferlearning.TransferLearning;
import org.deeplearning4j.nn.weights.WeightInit;

/**
 * Turns pretrained weights and a {@link TransferConfig} into the network to fine-tune: DL4J's TransferLearning
 * builder replaces the head's outputs ({@code nOutReplace}, new weights U(-1/sqrt(fanIn), 1/sqrt(fanIn)) as
 * PyTorch's {@code nn.Linear}, biases 0) and freezes the layers up to {@code freezeUpTo}
 * ({@code setFeatureExtractor}); then the manifest's optimiser, regularisation and clipping are put on every
 * trainable layer (the builder resets the head's), and the network is rebuilt from that configuration with the
 * transferred parameters, so its updater is made for the final configuration.
 */
public final class TransferLearner {

    private TransferLearner() {
    }

    /**
     * Loads the pretrained network named by {@code config}. For npz, {@code model} is built for {@code spec}'s
     * input with the pretrained head's class count, then filled from the file.
     */
    public static ClassifierNetwork loadPretrained(TransferConfig config, ClassicModel model, ModelSpec spec)
            throws IOException {
        Path file = Path.of(config.weights());
        return switch (config.format()) {
            case "dl4j" -> ClassifierNetwork.load(file.toFile(), false);
            case "npz" -> {
                NpzWeights weights = NpzWeights.read(file);
                int classes = config.sourceClasses() != null ? config.sourceClasses() : weights.numClasses();
                ClassifierNetwork network = model.create(new ModelSpec(classes, spec.input(), spec.seed(), spec.init()));
                weights.loadInto(model, network);
                yield network;
            }
            default -> throw new IllegalArgumentException("unsupported transfer.format " + config.format());
        };
    }

    /** The training configuration of the fine-tuning: the optimizer's rate replaced by the fine-tuning rate, if any. */
    public static TrainingConfig trainingConfig(TrainingConfig training, TransferConfig config) {
        return config.fineTuneLearningRate() == null ? training
                : training.withOptimizer(training.optimizer().withLearningRate(config.fineTuneLearningRate()));
    }

    /**
     * The network to train: {@code pretrained} with its head giving {@code numClasses} outputs, frozen up to
     * {@code config.freezeUpTo()}, and the optimiser of {@code trainingConfig(training, config)}.
     */
    public static ClassifierNetwork prepare(ClassifierNetwork pretrained, TransferConfig config, int numClasses,
                                            TrainingConfig training) {
        TrainingConfig fineTuning = trainingConfig(training, config);
        return pretrained.isGraph()
                ? prepareGraph(pretrained.graph(), config, numClasses, fineTuning)
                : prepareMultiLayer(pretrained.multiLayer(), config, numClasses, fineTuning);
    }

    private static ClassifierNetwork prepareMultiLayer(MultiLayerNetwork original, TransferConfig config, int numClasses,
                                                       TrainingConfig training) {
        List<String> names = new ArrayList<>();
        for (int i = 0; i < original.getnLayers(); i++) {
            names.add(original.getLayerWiseConfigurations().getConf(i).getLayer().getLayerName());
        }
        int head = config.headLayer() == null ? names.size() - 1 : indexOf(names, config.headLayer(), "transfer.headLayer");
        Layer headConf = original.getLayerWiseConfigurations().getConf(head).getLayer();
        requireFeedForward(headConf, names.get(head));
        TransferLearning.Builder builder = new TransferLearning.Builder(original);
        if (headConf instanceof FeedForwardLayer ff && ff.getNOut() != numClasses) {
            builder.nOutReplace(head, numClasses, WeightInit.UNIFORM);
        }
        if (config.freezeUpTo() != null) {
            int frozen = indexOf(names, config.freezeUpTo(), "transfer.freezeUpTo");
            if (frozen >= head) {
                throw new IllegalArgumentException("transfer.freezeUpTo '" + config.freezeUpTo()
                        + "' is not before the head layer '" + names.get(head) + "': nothing would be trained");
            }
            builder.setFeatureExtractor(frozen);
        }
        MultiLayerNetwork transferred = builder.build();
        MultiLayerConfiguration conf = transferred.getLayerWiseConfigurations().clone();
        keepDropout(headConf, conf.getConf(head).getLayer());
        Optimizers.apply(conf, training.optimizer(), training.gradientClipping());
        MultiLayerNetwork rebuilt = new MultiLayerNetwork(conf);
        rebuilt.init(transferred.params().dup(), false);
        return ClassifierNetwork.of(rebuilt);
    }

    private static ClassifierNetwork prepareGraph(ComputationGraph original, TransferConfig config, int numClasses,
                                                  TrainingConfig training) {
        ComputationGraphConfiguration originalConf = original.getConfiguration();
        String head = config.headLayer() != null ? config.headLayer() : originalConf.getNetworkOutputs().get(0);
        if (!(originalConf.getVertices().get(head) instanceof LayerVertex headVertex)) {
            throw new IllegalArgumentException("transfer.headLayer '" + head + "' is not a layer of the network; layers: "
                    + originalConf.getVertices().keySet());
        }
        Layer headConf = headVertex.getLayerConf().getLayer();
        requireFeedForward(headConf, head);
        TransferLearning.GraphBuilder builder = new TransferLearning.GraphBuilder(original);
        if (headConf instanceof FeedForwardLayer ff && ff.getNOut() != numClasses) {
            builder.nOutReplace(head, numClasses, WeightInit.UNIFORM);
        }
        if (config.freezeUpTo() != null) {
            if (!(originalConf.getVertices().get(config.freezeUpTo()) instanceof LayerVertex)) {
                throw new IllegalArgumentException("transfer.freezeUpTo '" + config.freezeUpTo()
                        + "' is not a layer of the network; layers: " + originalConf.getVertices().keySet());
            }
            if (config.freezeUpTo().equals(head)) {
                throw new IllegalArgumentException("transfer.freezeUpTo is the head layer '" + head + "': nothing would be trained");
            }
            builder.setFeatureExtractor(config.freezeUpTo());
        }
        ComputationGraph transferred = builder.build();
        ComputationGraphConfiguration conf = transferred.getConfiguration().clone();
        keepDropout(headConf, ((LayerVertex) conf.getVertices().get(head)).getLayerConf().getLayer());
        Optimizers.apply(conf, training.optimizer(), training.gradientClipping());
        ComputationGraph rebuilt = new ComputationGraph(conf);
        rebuilt.init(transferred.params().dup(), false);
        return ClassifierNetwork.of(rebuilt);
    }

    /** nOutReplace resets the head's dropout; the recipe's dropout stays. */
    private static void keepDropout(Layer originalHead, Layer newHead) {
        IDropout dropout = originalHead.getIDropout();
        if (dropout != null && newHead.getIDropout() == null) {
            newHead.setIDropout(dropout.clone());
        }
    }

    private static void requireFeedForward(Layer layer, String name) {
        if (!(layer instanceof FeedForwardLayer)) {
            throw new IllegalArgumentException("transfer.headLayer '" + name + "' is a " + layer.getClass().getSimpleName()
                    + ", not a dense or output layer whose outputs can be replaced");
        }
    }

    private static int indexOf(List<String> names, String name, String field) {
        int index = names.indexOf(name);
        if (index < 0) {
            throw new IllegalArgumentException(field + " '" + name + "' is not a layer of the network; layers: " + names);
        }
        return index;
    }
}
