package io.github.dl4jclassics.training;

import io.github.dl4jclassics.common.EpochRecord;
import io.github.dl4jclassics.zoo.ClassifierNetwork;
import java.util.List;

/**
 * How training ended.
 *
 * @param network      the model to evaluate: the best epoch's when early stopping restored it, else the last
 * @param bestEpoch    1-based epoch of the best validation value (0 without validation)
 * @param stoppedEarly whether early stopping ended the run before its last epoch
 */
public record TrainingOutcome(ClassifierNetwork network, List<EpochRecord> epochs, int bestEpoch, boolean stoppedEarly) {

    public int epochsRun() {
        return epochs.size();
    }
}
