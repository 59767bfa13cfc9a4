package io.github.dl4jclassics.training;

import io.github.dl4jclassics.training.checkpoints.TrainingState;
import io.github.dl4jclassics.zoo.ClassifierNetwork;

/**
 * Where training starts: the network to train, the training configuration in effect (a transfer's fine-tuning rate
 * applied, a continuation's epochs and seed), and the checkpoint's state when continuing.
 *
 * @param state null: training starts at epoch 0
 */
public record TrainingStart(ClassifierNetwork network, TrainingConfig training, TrainingState state) {
}
