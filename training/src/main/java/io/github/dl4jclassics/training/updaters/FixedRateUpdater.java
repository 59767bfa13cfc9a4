package io.github.dl4jclassics.training.updaters;

import io.github.dl4jclassics.zoo.SavedUpdater;
import java.util.Map;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.learning.GradientUpdater;
import org.nd4j.linalg.learning.config.IUpdater;
import org.nd4j.linalg.schedule.ISchedule;
import org.nd4j.shade.jackson.annotation.JsonProperty;

/**
 * What the project's PyTorch-semantics updaters share as DL4J {@link IUpdater}s: one learning rate that the training
 * module's schedules set (never a DL4J {@link ISchedule}: schedules live per epoch, with state for checkpoints), and
 * DL4J's two ways to make the {@link GradientUpdater} (on a state view, or from saved state arrays).
 */
abstract class FixedRateUpdater implements IUpdater, SavedUpdater {

    @JsonProperty("learningRate")
    protected double learningRate;

    protected FixedRateUpdater(double learningRate) {
        this.learningRate = learningRate;
    }

    /** A new gradient updater of this configuration, without state yet. */
    protected abstract GradientUpdater<?> newUpdater();

    @Override
    public GradientUpdater instantiate(INDArray viewArray, boolean initializeViewArray) {
        GradientUpdater<?> updater = newUpdater();
        updater.setStateViewArray(viewArray, viewArray.shape(), viewArray.ordering(), initializeViewArray);
        return updater;
    }

    @Override
    public GradientUpdater instantiate(Map<String, INDArray> updaterState, boolean initializeStateArrays) {
        GradientUpdater<?> updater = newUpdater();
        updater.setState(updaterState, initializeStateArrays);
        return updater;
    }

    @Override
    public double getLearningRate(int iteration, int epoch) {
        return learningRate;
    }

    @Override
    public boolean hasLearningRate() {
        return true;
    }

    @Override
    public void setLrAndSchedule(double lr, ISchedule lrSchedule) {
        if (lrSchedule != null) {
            throw new UnsupportedOperationException(getClass().getSimpleName()
                    + " takes a fixed learning rate; use the training schedules");
        }
        this.learningRate = lr;
    }

    @Override
    public abstract IUpdater clone();
}
