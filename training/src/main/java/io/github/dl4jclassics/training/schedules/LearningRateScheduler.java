package io.github.dl4jclassics.training.schedules;

/**
 * The running state of a schedule: the rate for the next epoch, updated after each epoch with the validation
 * metrics (which only ReduceLROnPlateau uses). Its state is saved in checkpoints, so it must be restorable.
 */
public interface LearningRateScheduler {

    /** The learning rate to use for epoch {@code epoch} (0-based). */
    double rateFor(int epoch);

    /** Called once after epoch {@code epoch} ends, with its validation loss and top-1 (NaN when there is no validation). */
    default void epochEnded(int epoch, double validationLoss, double validationTop1) {
    }
}
