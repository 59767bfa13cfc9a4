package io.github.dl4jclassics.training.schedules;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * PyTorch's {@code CosineAnnealingLR} in its closed form,
 * {@code minRate + (base - minRate) * (1 + cos(pi * epoch / tMax)) / 2}. PyTorch computes the same values
 * recursively (equal up to rounding); past {@code tMax} both rise again along the cosine, as PyTorch does.
 *
 * @param tMax    epochs of one half-period (PyTorch's {@code T_max})
 * @param minRate PyTorch's {@code eta_min}, 0 when absent
 */
public record CosineSchedule(@JsonProperty(required = true) int tMax, Double minRate) implements ScheduleConfig {

    public CosineSchedule {
        if (tMax < 1) {
            throw new IllegalArgumentException("cosine schedule tMax must be at least 1, got " + tMax);
        }
        if (minRate != null && minRate < 0) {
            throw new IllegalArgumentException("cosine schedule minRate must not be negative, got " + minRate);
        }
    }

    @Override
    public LearningRateScheduler create(double baseRate) {
        double min = minRate == null ? 0 : minRate;
        return epoch -> min + (baseRate - min) * (1 + Math.cos(Math.PI * epoch / tMax)) / 2;
    }
}
