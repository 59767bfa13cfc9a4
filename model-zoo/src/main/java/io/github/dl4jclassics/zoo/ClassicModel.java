package io.github.dl4jclassics.zoo;

import io.github.dl4jclassics.common.InputShape;

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
     * The network configuration (DL4J's own layers, the zoo's initialisers, no training choices). Fails with {@link IllegalArgumentException} naming the model, the smallest valid input and the failing
     * layer when the input is too small.
     */
    NetworkConfiguration configuration(ModelSpec spec);

    /**
     * How PyTorch weights map onto this model. {@code true}: the DL4J layer names are the module paths of the
     * torchvision-style PyTorch model (e.g. {@code features.0}, {@code layer1.0.conv1}), so a state_dict key is
     * {@code name + ".weight"} etc. {@code false}: the note's own model; tensors are matched in registration order.
     */
    default boolean torchModuleNames() {
        return false;
    }

    default ModelSpec defaultSpec(long seed) {
        return new ModelSpec(defaultClasses(), defaultInput(), seed);
    }

    /**
     * Builds and initialises the network for this backend: on the CPU with the project's native layers (LRN on
     * libnd4j's op, convolutions that reuse their forward output) in place of DL4J's, the same function and
     * parameters, faster (docs/PERFORMANCE.md); on CUDA with DL4J's own layers (cuDNN).
     */
    default ClassifierNetwork create(ModelSpec spec) {
        return ClassifierNetwork.fromConfiguration(configuration(spec).forBackend());
    }
}
