package io.github.dl4jclassics.training.checkpoints;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.JsonNode;
import io.github.dl4jclassics.common.EpochRecord;
import java.util.List;

/**
 * What a checkpoint holds besides the model and its updater state (saved in the model zip): enough to continue
 * the run exactly where it stopped.
 *
 * <p>Random state: the data pipeline derives epoch e's order and augmentation from {@code (seed, e, batch)}, and
 * the trainer reseeds ND4J's generator (dropout) from {@code (seed, e)} at the start of every epoch, so the seed
 * and the data position are the whole random state.
 *
 * @param epochsCompleted          epochs finished (the next epoch to train, 0-based)
 * @param learningRates            the rate used in each finished epoch
 * @param bestEpoch                1-based epoch of the best monitored value so far (0 = none yet)
 * @param bestValue                best monitored value so far (NaN = none yet)
 * @param epochsWithoutImprovement early-stopping counter
 * @param scheduleState            state of a stateful schedule (ReduceLROnPlateau), or null
 * @param seed                     the run's seed
 * @param history                  the rows of {@code epochs.csv} so far, so a resumed run rewrites it exactly
 * @param stoppedEarly             early stopping ended the run: resuming it trains nothing more
 */
// dataEpoch and dataBatch were written by earlier versions (never read): their state.json files still resume.
@JsonIgnoreProperties({"dataEpoch", "dataBatch"})
public record TrainingState(
        int epochsCompleted,
        List<Double> learningRates,
        int bestEpoch,
        double bestValue,
        int epochsWithoutImprovement,
        JsonNode scheduleState,
        long seed,
        List<EpochRecord> history,
        boolean stoppedEarly) {

    public TrainingState {
        learningRates = learningRates == null ? List.of() : List.copyOf(learningRates);
        history = history == null ? List.of() : List.copyOf(history);
    }

    /**
     * The state for continuing a finished run with more epochs ({@code --from}): the same model, schedule and
     * history, with the early-stopping verdict and its counter cleared so the new epochs are trained.
     */
    public TrainingState continued() {
        return new TrainingState(epochsCompleted, learningRates, bestEpoch, bestValue, 0, scheduleState, seed, history,
                false);
    }
}
