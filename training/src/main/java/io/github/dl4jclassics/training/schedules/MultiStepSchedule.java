package io.github.dl4jclassics.training.schedules;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * PyTorch's {@code MultiStepLR}: the rate is multiplied by {@code gamma} at each milestone epoch. With
 * milestones [10, 20] and gamma 0.5, epochs 0-9 use the base rate, 10-19 half of it, 20+ a quarter.
 */
public record MultiStepSchedule(@JsonProperty(required = true) List<Integer> milestones,
                                @JsonProperty(required = true) double gamma) implements ScheduleConfig {

    public MultiStepSchedule {
        milestones = List.copyOf(milestones);
        if (!(gamma > 0)) {
            throw new IllegalArgumentException("multi-step gamma must be positive, got " + gamma);
        }
    }

    @Override
    public LearningRateScheduler create(double baseRate) {
        return epoch -> {
            long passed = milestones.stream().filter(m -> m <= epoch).count();
            return baseRate * Math.pow(gamma, passed);
        };
    }
}
