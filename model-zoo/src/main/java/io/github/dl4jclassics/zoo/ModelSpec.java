package io.github.dl4jclassics.zoo;

import io.github.dl4jclassics.common.InputShape;

/**
 * What a model id is built for: number of classes, input shape, seed and weight initialisation.
 *
 * @param init {@link WeightInitChoice#PAPER} uses the initialisation of the model's source; the others override it.
 */
public record ModelSpec(int numClasses, InputShape input, long seed, WeightInitChoice init) {

    public ModelSpec {
        if (numClasses < 1) {
            throw new IllegalArgumentException("number of classes must be at least 1, got " + numClasses);
        }
        if (input == null) {
            throw new IllegalArgumentException("input shape is required");
        }
        if (init == null) {
            init = WeightInitChoice.PAPER;
        }
    }

    public ModelSpec(int numClasses, InputShape input, long seed) {
        this(numClasses, input, seed, WeightInitChoice.PAPER);
    }
}
