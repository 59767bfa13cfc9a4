package io.github.dl4jclassics.training.updaters;

import java.util.Objects;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.learning.config.Nesterovs;
import org.nd4j.shade.jackson.annotation.JsonProperty;

/**
 * PyTorch's {@code torch.optim.SGD} with momentum (dampening 0), which DL4J lacks: DL4J's {@code Nesterovs} keeps
 * its velocity in learning-rate units ({@code v = mu v - lr g}), so it is always Nesterov and drifts from PyTorch
 * whenever the learning rate changes. Here, as in PyTorch:
 * <pre>
 *   buf = momentum * buf + g
 *   heavy ball: step = lr * buf            Nesterov: step = lr * (g + momentum * buf)
 * </pre>
 * {@code g} already holds L2 regularisation (DL4J adds it before the updater, as PyTorch's weight_decay does).
 * Serialised in the model's JSON by DL4J's shaded Jackson (class name in {@code @class}, fields below) in the
 * checkpoints that {@code --resume} continues from; a deliverable model names DL4J's {@link Nesterovs} instead
 * ({@link #dl4jEquivalent}).
 */
public final class SgdMomentum extends FixedRateUpdater {

    @JsonProperty("momentum")
    private double momentum;
    @JsonProperty("nesterov")
    private boolean nesterov;

    /** For Jackson. */
    public SgdMomentum() {
        this(0.01, 0.9, false);
    }

    public SgdMomentum(double learningRate, double momentum, boolean nesterov) {
        super(learningRate);
        this.momentum = momentum;
        this.nesterov = nesterov;
    }

    public double momentum() {
        return momentum;
    }

    public boolean nesterov() {
        return nesterov;
    }

    /**
     * DL4J's {@link Nesterovs} with the same learning rate and momentum, saved in a deliverable model in this
     * updater's place. For {@code nesterov = true} it is the same update at a constant learning rate (its velocity is
     * {@code -lr * buf}); PyTorch's heavy-ball momentum has no DL4J counterpart, and Nesterov momentum is the nearest
     * one DL4J has, so fine-tuning the saved model in plain DL4J trains with momentum as the recipe did.
     */
    @Override
    public IUpdater dl4jEquivalent() {
        return new Nesterovs(learningRate, momentum);
    }

    @Override
    public long stateSize(long numParams) {
        return numParams;
    }

    @Override
    protected SgdMomentumUpdater newUpdater() {
        return new SgdMomentumUpdater(this);
    }

    @Override
    public SgdMomentum clone() {
        return new SgdMomentum(learningRate, momentum, nesterov);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof SgdMomentum o && o.learningRate == learningRate && o.momentum == momentum
                && o.nesterov == nesterov;
    }

    @Override
    public int hashCode() {
        return Objects.hash(learningRate, momentum, nesterov);
    }

    @Override
    public String toString() {
        return "SgdMomentum(lr=" + learningRate + ", momentum=" + momentum + ", nesterov=" + nesterov + ")";
    }
}
