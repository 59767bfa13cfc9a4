package io.github.dl4jclassics.zoo;

import org.nd4j.linalg.learning.config.IUpdater;

/**
 * An updater of this project that a deliverable model (a run's {@code model.zip}, {@code checkpoints/best/}) names by
 * a DL4J updater instead, so the model opens in plain DL4J. Training itself, and the checkpoints that exist for
 * {@code --resume}, keep the project's updater and its state.
 */
public interface SavedUpdater {

    /** The DL4J updater saved in this updater's place, with its hyperparameters. */
    IUpdater dl4jEquivalent();
}
