package io.github.dl4jclassics.training;

import io.github.dl4jclassics.data.iterators.ImageSetIterator;
import io.github.dl4jclassics.zoo.ClassifierNetwork;

/**
 * Trains a network on one epoch of batches somewhere other than in {@link Trainer}'s own loop, e.g. data-parallel on
 * a Spark cluster. {@link Trainer} keeps everything around the epoch (learning rate from the schedule, validation,
 * early stopping, {@code epochs.csv}, checkpoints); the fitter only has to leave the trained parameters and updater
 * state in {@code network} when it returns.
 */
@FunctionalInterface
public interface EpochFitter {

    /**
     * @param network   the driver's network, its learning rate already set to {@code rate} for this epoch
     * @param trainData the training batches; the fitter calls {@code startEpoch(epoch)} (which shuffles per epoch)
     * @param epoch     0-based epoch index
     * @return the epoch's training loss and accuracy, NaN where the fitter cannot measure them
     */
    EpochResult fitEpoch(ClassifierNetwork network, ImageSetIterator trainData, int epoch, double rate);

    /** Mean training loss and accuracy of one epoch (NaN: not measured). */
    record EpochResult(double meanLoss, double accuracy) {
    }
}
