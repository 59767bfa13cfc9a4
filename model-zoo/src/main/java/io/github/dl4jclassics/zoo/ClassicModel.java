package io.github.dl4jclassics.zoo;

import org.deeplearning4j.nn.conf.ComputationGraphConfiguration;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;

/**
 * One architecture of the seed notes, buildable by id. Implementations are stateless.
 */
public interface ClassicModel {

    /** The registry id, e.g. "lenet5". */
    String id();

    /** One paragraph: what the network is, and where it deviates from or interprets its source. */
    String description();

    /** Where the architecture comes from: seed note and/or paper. */
    String source();

    InputShape defaultInput();

    int defaultClasses();

    /**
     * The network configuration: a {@link MultiLayerConfiguration} or a {@link ComputationGraphConfiguration}.
     * Fails with {@link IllegalArgumentException} naming the model, the smallest valid input and the failing
     * layer when the input is too small.
     */
    Object configuration(ModelSpec spec);

    default ModelSpec defaultSpec(long seed) {
        return new ModelSpec(defaultClasses(), defaultInput(), seed);
    }

    /** Builds and initialises the network. */
    default ClassifierNetwork create(ModelSpec spec) {
        return ClassifierNetwork.fromConfiguration(configuration(spec));
    }
}
