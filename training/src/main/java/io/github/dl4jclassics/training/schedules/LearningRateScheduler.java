package io.github.dl4jclassics.training.schedules;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.dl4jclassics.training.Validator;

/**
 * The running state of a schedule: the rate for the next epoch, updated after each epoch with the validation
 * metrics (which only ReduceLROnPlateau uses). Stateful schedules expose their state for checkpoints and take it
 * back on resume, so a resumed run continues with the same rates.
 */
public interface LearningRateScheduler {

    /** The learning rate to use for epoch {@code epoch} (0-based). */
    double rateFor(int epoch);

    /** Called once after epoch {@code epoch} ends, with its validation metrics (NaN when there is no validation). */
    default void epochEnded(int epoch, Validator.ValidationResult validation) {
    }

    /** State to save in a checkpoint; null for schedules that are a pure function of the epoch. */
    default JsonNode state() {
        return null;
    }

    /** Takes back a state returned by {@link #state()} (of a scheduler made from the same configuration). */
    default void restore(JsonNode state) {
    }
}
