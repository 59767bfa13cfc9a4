package io.github.dl4jclassics.evaluation;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.Set;

/**
 * What a seed note or paper documented for an experiment: the metric ("top1" or "top5"), on which split
 * ("test" or "validation"), its value as a fraction, the tolerance a rerun may fall short by, and the source.
 * A null value means the source recorded no number (the verdict is then NO_REFERENCE).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record DocumentedResult(
        @JsonProperty(required = true) String metric,
        @JsonProperty(required = true) String split,
        Double value,
        Double tolerance,
        String source) {

    public static final Set<String> METRICS = Set.of("top1", "top5");
    public static final Set<String> SPLITS = Set.of("test", "validation");

    public DocumentedResult {
        if (!METRICS.contains(metric)) {
            throw new IllegalArgumentException("documented.metric '" + metric + "' is not one of: top1, top5");
        }
        if (!SPLITS.contains(split)) {
            throw new IllegalArgumentException("documented.split '" + split + "' is not one of: test, validation");
        }
        if (value != null && !(value >= 0 && value <= 1)) {
            throw new IllegalArgumentException("documented.value must be a fraction in 0..1, got " + value);
        }
        if (tolerance != null && !(tolerance >= 0 && tolerance <= 1)) {
            throw new IllegalArgumentException("documented.tolerance must be a fraction in 0..1, got " + tolerance);
        }
    }

    public double toleranceOrZero() {
        return tolerance == null ? 0.0 : tolerance;
    }
}
