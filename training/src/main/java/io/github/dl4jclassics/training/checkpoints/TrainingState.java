package io.github.dl4jclassics.training.checkpoints;

import java.util.List;

/**
 * What a checkpoint holds besides the model and updater: enough to continue the run exactly where it stopped.
 *
 * @param epochsCompleted      epochs finished (the next epoch to train, 0-based)
 * @param learningRates        the rate used in each finished epoch
 * @param bestEpoch            1-based epoch of the best monitored value so far (0 = none yet)
 * @param bestValue            best monitored value so far (NaN = none yet)
 * @param epochsWithoutImprovement early-stopping counter
 * @param scheduleState        opaque state of a stateful schedule (ReduceLROnPlateau), or null
 * @param seed                 the run's seed (data order and augmentation are derived from seed and epoch)
 */
public record TrainingState(
        int epochsCompleted,
        List<Double> learningRates,
        int bestEpoch,
        double bestValue,
        int epochsWithoutImprovement,
        com.fasterxml.jackson.databind.JsonNode scheduleState,
        long seed) {

    public TrainingState {
        learningRates = learningRates == null ? List.of() : List.copyOf(learningRates);
    }
}
