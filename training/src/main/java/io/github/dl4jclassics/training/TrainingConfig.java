package io.github.dl4jclassics.training;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.github.dl4jclassics.training.schedules.ScheduleConfig;

/**
 * The {@code training} section of a manifest.
 *
 * @param schedule          learning-rate schedule by epoch; null keeps the rate constant
 * @param earlyStopping     null trains every epoch
 * @param gradientClipping  clip each gradient element to [-v, v] (DL4J's ClipElementWiseAbsoluteValue); null for none
 * @param keepCheckpoints   how many epoch checkpoints to keep besides last and best
 */
public record TrainingConfig(
        @JsonProperty(required = true) OptimizerConfig optimizer,
        @JsonProperty(required = true) int batchSize,
        @JsonProperty(required = true) int epochs,
        @JsonProperty(required = true) long seed,
        ScheduleConfig schedule,
        EarlyStoppingConfig earlyStopping,
        Double gradientClipping,
        Integer keepCheckpoints) {

    public TrainingConfig {
        if (batchSize < 1) {
            throw new IllegalArgumentException("training.batchSize must be at least 1, got " + batchSize);
        }
        if (epochs < 1) {
            throw new IllegalArgumentException("training.epochs must be at least 1, got " + epochs);
        }
        if (keepCheckpoints != null && keepCheckpoints < 0) {
            throw new IllegalArgumentException("training.keepCheckpoints must not be negative, got " + keepCheckpoints);
        }
    }

    public TrainingConfig withEpochs(int newEpochs) {
        return new TrainingConfig(optimizer, batchSize, newEpochs, seed, schedule, earlyStopping, gradientClipping, keepCheckpoints);
    }

    public TrainingConfig withOptimizer(OptimizerConfig newOptimizer) {
        return new TrainingConfig(newOptimizer, batchSize, epochs, seed, schedule, earlyStopping, gradientClipping, keepCheckpoints);
    }

    public TrainingConfig withSchedule(ScheduleConfig newSchedule) {
        return new TrainingConfig(optimizer, batchSize, epochs, seed, newSchedule, earlyStopping, gradientClipping, keepCheckpoints);
    }

    public TrainingConfig withEarlyStopping(EarlyStoppingConfig newEarlyStopping) {
        return new TrainingConfig(optimizer, batchSize, epochs, seed, schedule, newEarlyStopping, gradientClipping, keepCheckpoints);
    }

    public TrainingConfig withSeed(long newSeed) {
        return new TrainingConfig(optimizer, batchSize, epochs, newSeed, schedule, earlyStopping, gradientClipping, keepCheckpoints);
    }

    public TrainingConfig withBatchSize(int newBatchSize) {
        return new TrainingConfig(optimizer, newBatchSize, epochs, seed, schedule, earlyStopping, gradientClipping, keepCheckpoints);
    }
}
