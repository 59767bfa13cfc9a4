package io.github.dl4jclassics.training.schedules;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import io.github.dl4jclassics.training.Validator;

/**
 * Linear warm-up, then another schedule: PyTorch's
 * {@code SequentialLR([LinearLR(start_factor=startFactor, total_iters=epochs), then], milestones=[epochs])}.
 * Epoch e &lt; epochs uses {@code base * (startFactor + (1 - startFactor) * e / epochs)}; from then on the wrapped
 * schedule runs as if it started at epoch 0 (so its milestones count from the end of the warm-up).
 *
 * @param then the schedule after the warm-up; constant when absent
 */
public record WarmupSchedule(@JsonProperty(required = true) int epochs,
                             @JsonProperty(required = true) double startFactor,
                             ScheduleConfig then) implements ScheduleConfig {

    public WarmupSchedule {
        if (epochs < 1) {
            throw new IllegalArgumentException("warmup epochs must be at least 1, got " + epochs);
        }
        if (!(startFactor > 0 && startFactor <= 1)) {
            throw new IllegalArgumentException("warmup startFactor must be in (0, 1], got " + startFactor);
        }
    }

    @Override
    public boolean needsValidation() {
        return then != null && then.needsValidation();
    }

    @Override
    public LearningRateScheduler create(double baseRate) {
        LearningRateScheduler after = (then == null ? new ConstantSchedule() : then).create(baseRate);
        return new LearningRateScheduler() {
            @Override
            public double rateFor(int epoch) {
                if (epoch < epochs) {
                    return baseRate * (startFactor + (1 - startFactor) * epoch / epochs);
                }
                return after.rateFor(epoch - epochs);
            }

            @Override
            public void epochEnded(int epoch, Validator.ValidationResult validation) {
                if (epoch >= epochs) {
                    after.epochEnded(epoch - epochs, validation);
                }
            }

            @Override
            public JsonNode state() {
                return after.state();
            }

            @Override
            public void restore(JsonNode state) {
                after.restore(state);
            }
        };
    }
}
