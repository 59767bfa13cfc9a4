package io.github.dl4jclassics.training;

/** Training stopped at a safe point because the process was asked to stop (SIGTERM, Ctrl-C); see {@link GracefulStop}. */
public final class TrainingStoppedException extends RuntimeException {

    public TrainingStoppedException(int epoch, int batch) {
        super("training stopped by a signal in epoch " + epoch + " after batch " + batch
                + "; the epoch was abandoned and the last checkpoint is kept");
    }
}
