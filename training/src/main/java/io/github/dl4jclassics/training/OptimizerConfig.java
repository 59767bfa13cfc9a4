package io.github.dl4jclassics.training;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Locale;

/**
 * The {@code training.optimizer} section of a manifest, with PyTorch's meanings.
 *
 * <p>{@code weightDecay} is PyTorch's {@code weight_decay}: {@code lambda * w} added to the gradient of every
 * parameter (weights and biases) before the optimiser step. That is DL4J's {@code L2Regularization(lambda)}
 * (whose loss term is {@code lambda/2 * |w|^2}), not DL4J's {@code WeightDecay}. {@code decoupledWeightDecay}
 * is AdamW's: {@code w -= lr * lambda * w} after the step, which is DL4J's {@code WeightDecay(lambda, true)}.
 * Both cover batch norm's gamma and beta too, as PyTorch's {@code weight_decay} does for
 * {@code model.parameters()} (what the notes pass); {@code batchNormWeightDecay: false} leaves them out, as recipes
 * do that put normalisation parameters in a parameter group with {@code weight_decay=0}.
 *
 * @param type one of sgd, adam, adamw, rmsprop
 */
public record OptimizerConfig(
        @JsonProperty(required = true) String type,
        @JsonProperty(required = true) double learningRate,
        Double momentum,
        Boolean nesterov,
        Double weightDecay,
        Double decoupledWeightDecay,
        Double beta1,
        Double beta2,
        Double epsilon,
        Boolean batchNormWeightDecay) {

    public static final java.util.List<String> TYPES = java.util.List.of("sgd", "adam", "adamw", "rmsprop");

    public OptimizerConfig {
        type = type.toLowerCase(Locale.ROOT);
        if (!TYPES.contains(type)) {
            throw new IllegalArgumentException("training.optimizer.type '" + type + "' is not one of: " + String.join(", ", TYPES));
        }
        if (!(learningRate > 0)) {
            throw new IllegalArgumentException("training.optimizer.learningRate must be positive, got " + learningRate);
        }
        if (momentum != null && !(momentum >= 0 && momentum < 1)) {
            throw new IllegalArgumentException("training.optimizer.momentum must be in [0, 1), got " + momentum);
        }
        if (weightDecay != null && weightDecay < 0 || decoupledWeightDecay != null && decoupledWeightDecay < 0) {
            throw new IllegalArgumentException("training.optimizer weight decay must not be negative");
        }
    }

    public OptimizerConfig withLearningRate(double rate) {
        return new OptimizerConfig(type, rate, momentum, nesterov, weightDecay, decoupledWeightDecay, beta1, beta2, epsilon,
                batchNormWeightDecay);
    }

    /** Whether weight decay covers batch norm's gamma and beta (default: yes, as PyTorch's for every parameter). */
    public boolean decaysBatchNorm() {
        return !Boolean.FALSE.equals(batchNormWeightDecay);
    }

    public static OptimizerConfig adam(double learningRate) {
        return new OptimizerConfig("adam", learningRate, null, null, null, null, null, null, null, null);
    }

    public static OptimizerConfig sgd(double learningRate, double momentum) {
        return new OptimizerConfig("sgd", learningRate, momentum, null, null, null, null, null, null, null);
    }
}
