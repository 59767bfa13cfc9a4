package io.github.dl4jclassics.evaluation;

/** How a run (or an evaluation, or a regression entry) ended: {@code result.json}'s and {@code regression.json}'s {@code status}. */
public enum RunStatus {
    /** Trained and evaluated. */
    COMPLETED,
    /** Training stopped on a NaN or exploding loss; {@code failure} says where. */
    DIVERGED,
    /** Stopped by an error; {@code failure} says which. */
    FAILED,
    /** A saved model evaluated by {@code evaluate}, not trained. */
    EVALUATED,
    /** {@code regress} only: the run could not be made (missing data, a broken manifest...). */
    NOT_RUN
}
