package io.github.dl4jclassics.training;

import io.github.dl4jclassics.zoo.ClassifierNetwork;
import org.deeplearning4j.nn.api.Layer;
import org.deeplearning4j.nn.conf.layers.BaseLayer;
import org.nd4j.linalg.learning.config.IUpdater;

/**
 * Sets the learning rate of a live network between epochs.
 *
 * <p>DL4J's {@code setLearningRate(double)} changes only the weight updater and rebuilds the updater; biases
 * would keep the old rate. Here the rate is written, in place, into the weight and the bias updater
 * configuration of every layer. The running updaters hold references to these same configuration objects
 * and read the rate at every step, and the change is uniform, so the updater blocks stay valid and their
 * state (momentum, Adam moments) is kept. The saved model's configuration carries the current rate.
 */
public final class LearningRates {

    private LearningRates() {
    }

    public static void set(ClassifierNetwork network, double rate) {
        for (Layer layer : network.layers()) {
            if (layer.conf().getLayer() instanceof BaseLayer base) {
                setRate(base.getIUpdater(), rate);
                setRate(base.getBiasUpdater(), rate);
            }
        }
    }

    /** The weight learning rate of the first layer that has one (NaN when none has). */
    public static double current(ClassifierNetwork network) {
        for (Layer layer : network.layers()) {
            if (layer.conf().getLayer() instanceof BaseLayer base && base.getIUpdater() != null
                    && base.getIUpdater().hasLearningRate()) {
                return base.getIUpdater().getLearningRate(0, 0);
            }
        }
        return Double.NaN;
    }

    private static void setRate(IUpdater updater, double rate) {
        if (updater != null && updater.hasLearningRate()) {
            updater.setLrAndSchedule(rate, null);
        }
    }
}
