package io.github.dl4jclassics.training.schedules;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;

/**
 * A learning-rate schedule by epoch, written in a manifest as {@code {"type": "multi-step", ...}}, with the
 * semantics of the PyTorch scheduler of the same name (stepped once per epoch). Epochs are 0-based, and the rate
 * of epoch e is the one in effect while training epoch e.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@JsonSubTypes({
        @JsonSubTypes.Type(value = ConstantSchedule.class, name = "constant"),
        @JsonSubTypes.Type(value = MultiStepSchedule.class, name = "multi-step"),
        @JsonSubTypes.Type(value = StepSchedule.class, name = "step"),
        @JsonSubTypes.Type(value = ExponentialSchedule.class, name = "exponential"),
        @JsonSubTypes.Type(value = CosineSchedule.class, name = "cosine"),
        @JsonSubTypes.Type(value = WarmupSchedule.class, name = "warmup"),
        @JsonSubTypes.Type(value = ReduceOnPlateauSchedule.class, name = "reduce-on-plateau"),
})
public interface ScheduleConfig {

    /** A fresh scheduler for a run starting from {@code baseRate}. */
    LearningRateScheduler create(double baseRate);

    /** True when the schedule reads validation metrics (the run then needs a validation split). */
    default boolean needsValidation() {
        return false;
    }
}
