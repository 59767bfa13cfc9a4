package io.github.dl4jclassics.training.schedules;

import com.fasterxml.jackson.annotation.JsonProperty;

/** PyTorch's {@code StepLR}: {@code base * gamma^floor(epoch / stepSize)}. */
public record StepSchedule(@JsonProperty(required = true) int stepSize,
                           @JsonProperty(required = true) double gamma) implements ScheduleConfig {

    public StepSchedule {
        if (stepSize < 1) {
            throw new IllegalArgumentException("step schedule stepSize must be at least 1, got " + stepSize);
        }
        if (!(gamma > 0)) {
            throw new IllegalArgumentException("step schedule gamma must be positive, got " + gamma);
        }
    }

    @Override
    public LearningRateScheduler create(double baseRate) {
        return epoch -> baseRate * Math.pow(gamma, epoch / stepSize);
    }
}
