package io.github.dl4jclassics.training.transfer;

import io.github.dl4jclassics.training.Optimizers;
import io.github.dl4jclassics.training.TrainingConfig;
import io.github.dl4jclassics.zoo.ClassicModel;
import io.github.dl4jclassics.zoo.ClassifierNetwork;
import io.github.dl4jclassics.zoo.ModelSpec;
import io.github.dl4jclassics.zoo.NetworkConfiguration;
import io.github.dl4jclassics.zoo.weights.NpzWeights;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.deeplearning4j.nn.conf.dropout.IDropout;
import org.deeplearning4j.nn.conf.layers.FeedForwardLayer;
import org.deeplearning4j.nn.conf.layers.Layer;
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
     * {@code config.freezeUpTo()}, and the optimiser of {@code trainingConfig(training, config)}. Layers are named as
     * in the network: a chain's by their names, a graph's by its vertices.
     */
    public static ClassifierNetwork prepare(ClassifierNetwork pretrained, TransferConfig config, int numClasses,
                                            TrainingConfig training) {
        TrainingConfig fineTuning = trainingConfig(training, config);
        NetworkConfiguration original = pretrained.configuration();
        List<String> names = original.layerNames();
        String head = config.headLayer() != null ? config.headLayer() : original.outputLayerName();
        int headIndex = indexOf(names, head, "transfer.headLayer");
        Layer headConf = original.layer(head);
        requireFeedForward(headConf, head);
        if (config.freezeUpTo() != null) {
            int frozen = indexOf(names, config.freezeUpTo(), "transfer.freezeUpTo");
            if (frozen >= headIndex) {
                throw new IllegalArgumentException("transfer.freezeUpTo '" + config.freezeUpTo()
                        + "' is not before the head layer '" + head + "': nothing would be trained");
            }
        }
        Integer newOutputs = headConf instanceof FeedForwardLayer ff && ff.getNOut() != numClasses ? numClasses : null;
        ClassifierNetwork transferred = transferLearning(pretrained, names, head, newOutputs, config.freezeUpTo());
        NetworkConfiguration conf = transferred.configuration().copy();
        keepDropout(headConf, conf.layer(head));
        Optimizers.apply(conf, fineTuning.optimizer(), fineTuning.gradientClipping());
        // Rebuilt from the final configuration, so that its updater is made for the fine-tuning's optimiser.
        return conf.initialise(transferred.params().dup());
    }

    /**
     * DL4J's {@link TransferLearning}: {@code nOutReplace} on the head (new weights U(-1/sqrt(fanIn), 1/sqrt(fanIn)),
     * biases 0, as PyTorch's {@code nn.Linear}) when {@code newOutputs} is not null, {@code setFeatureExtractor} up to
     * {@code frozen} when it is not null. DL4J has one builder per network kind, addressing layers by index in a
     * chain and by vertex name in a graph.
     */
    private static ClassifierNetwork transferLearning(ClassifierNetwork pretrained, List<String> names, String head,
                                                      Integer newOutputs, String frozen) {
        if (pretrained.isGraph()) {
            TransferLearning.GraphBuilder builder = new TransferLearning.GraphBuilder(pretrained.graph());
            if (newOutputs != null) {
                builder.nOutReplace(head, newOutputs, WeightInit.UNIFORM);
            }
            if (frozen != null) {
                builder.setFeatureExtractor(frozen);
            }
            return ClassifierNetwork.of(builder.build());
        }
        TransferLearning.Builder builder = new TransferLearning.Builder(pretrained.multiLayer());
        if (newOutputs != null) {
            builder.nOutReplace(names.indexOf(head), newOutputs, WeightInit.UNIFORM);
        }
        if (frozen != null) {
            builder.setFeatureExtractor(names.indexOf(frozen));
        }
        return ClassifierNetwork.of(builder.build());
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
