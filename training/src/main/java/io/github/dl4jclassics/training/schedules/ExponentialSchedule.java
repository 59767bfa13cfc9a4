package io.github.dl4jclassics.training.schedules;

import com.fasterxml.jackson.annotation.JsonProperty;

/** PyTorch's {@code ExponentialLR}: {@code base * gamma^epoch}. */
public record ExponentialSchedule(@JsonProperty(required = true) double gamma) implements ScheduleConfig {

    public ExponentialSchedule {
        if (!(gamma > 0)) {
            throw new IllegalArgumentException("exponential schedule gamma must be positive, got " + gamma);
        }
    }

    @Override
    public LearningRateScheduler create(double baseRate) {
        return epoch -> baseRate * Math.pow(gamma, epoch);
    }
}
