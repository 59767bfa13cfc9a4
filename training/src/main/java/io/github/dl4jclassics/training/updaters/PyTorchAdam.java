package io.github.dl4jclassics.training.updaters;

import java.util.Objects;
import org.nd4j.linalg.learning.config.Adam;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.shade.jackson.annotation.JsonProperty;

/**
 * PyTorch's {@code torch.optim.Adam} step (also the Adam part of {@code AdamW}):
 * <pre>
 *   m = beta1 m + (1 - beta1) g          v = beta2 v + (1 - beta2) g^2
 *   step = lr / (1 - beta1^t) * m / (sqrt(v) / sqrt(1 - beta2^t) + eps)
 * </pre>
 * DL4J's {@code Adam} adds epsilon to {@code sqrt(v)} before the bias correction of v, so its effective epsilon is
 * {@code eps / sqrt(1 - beta2^t)} (31.6x PyTorch's at step 1 with beta2 0.999), which changes the update of
 * elements with small gradients by whole percents. {@code g} already holds the L2 term of Adam's
 * {@code weight_decay} (DL4J adds it before the updater, as PyTorch does); AdamW's decoupled decay is DL4J's
 * {@code WeightDecay(lambda, true)}, applied with the parameters the step starts from.
 *
 * <p>Training and the {@code --resume} checkpoints keep this updater (and its state); a deliverable model names
 * DL4J's {@link Adam} with the same hyperparameters instead ({@link #dl4jEquivalent}).
 */
public final class PyTorchAdam extends FixedRateUpdater {

    @JsonProperty("beta1")
    private double beta1;
    @JsonProperty("beta2")
    private double beta2;
    @JsonProperty("epsilon")
    private double epsilon;

    /** For Jackson. */
    public PyTorchAdam() {
        this(1e-3, 0.9, 0.999, 1e-8);
    }

    public PyTorchAdam(double learningRate, double beta1, double beta2, double epsilon) {
        super(learningRate);
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.epsilon = epsilon;
    }

    public double beta1() {
        return beta1;
    }

    public double beta2() {
        return beta2;
    }

    public double epsilon() {
        return epsilon;
    }

    /**
     * DL4J's {@link Adam} with the same rate, betas and epsilon: the same update except that its epsilon is added
     * before the bias correction (see the class comment), the nearest stock updater for fine-tuning in plain DL4J.
     */
    @Override
    public IUpdater dl4jEquivalent() {
        return new Adam(learningRate, beta1, beta2, epsilon);
    }

    @Override
    public long stateSize(long numParams) {
        return 2 * numParams;
    }

    @Override
    protected PyTorchAdamUpdater newUpdater() {
        return new PyTorchAdamUpdater(this);
    }

    @Override
    public PyTorchAdam clone() {
        return new PyTorchAdam(learningRate, beta1, beta2, epsilon);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof PyTorchAdam o && o.learningRate == learningRate && o.beta1 == beta1
                && o.beta2 == beta2 && o.epsilon == epsilon;
    }

    @Override
    public int hashCode() {
        return Objects.hash(learningRate, beta1, beta2, epsilon);
    }

    @Override
    public String toString() {
        return "PyTorchAdam(lr=" + learningRate + ", betas=(" + beta1 + ", " + beta2 + "), eps=" + epsilon + ")";
    }
}
