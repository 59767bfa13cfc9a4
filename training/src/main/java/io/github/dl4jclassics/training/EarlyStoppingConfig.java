package io.github.dl4jclassics.training;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;

/**
 * Stop when the monitored validation metric has not improved by more than {@code minDelta} for
 * {@code patience} epochs, then restore the best epoch's model (the last is kept as well).
 *
 * @param monitor "validation.loss" (lower is better) or "validation.top1" / "validation.top5" (higher is better)
 */
public record EarlyStoppingConfig(
        @JsonProperty(required = true) String monitor,
        @JsonProperty(required = true) int patience,
        Double minDelta,
        Boolean restoreBest) {

    public static final List<String> MONITORS = List.of("validation.loss", "validation.top1", "validation.top5");

    public EarlyStoppingConfig {
        if (!MONITORS.contains(monitor)) {
            throw new IllegalArgumentException("training.earlyStopping.monitor '" + monitor + "' is not one of: "
                    + String.join(", ", MONITORS));
        }
        if (patience < 1) {
            throw new IllegalArgumentException("training.earlyStopping.patience must be at least 1, got " + patience);
        }
    }

    public boolean lowerIsBetter() {
        return monitor.endsWith("loss");
    }

    public double minDeltaOrZero() {
        return minDelta == null ? 0 : minDelta;
    }

    public boolean restoreBestOrDefault() {
        return restoreBest == null || restoreBest;
    }
}
