package io.github.dl4jclassics.evaluation;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * One more value a source documented beside the headline ({@link DocumentedResult}): a manifest's
 * {@code "checks": [{"metric": "top1", "split": "test", "class": "forest", "value": 0.9667, "tolerance": 0.05}]}.
 * Without {@code class} it is the split's overall metric (another split, or the paper's second metric); with it,
 * that class's accuracy (its recall: the diagonal of the row-normalised confusion matrix, as the scene note reads it).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({"metric", "split", "class", "value", "tolerance", "source"})
public record DocumentedValue(
        @JsonProperty(required = true) String metric,
        @JsonProperty(required = true) String split,
        @JsonProperty("class") String className,
        @JsonProperty(required = true) Double value,
        Double tolerance,
        String source) {

    public DocumentedValue {
        if (!DocumentedResult.METRICS.contains(metric)) {
            throw new IllegalArgumentException("checks[].metric '" + metric + "' is not one of: top1, top5");
        }
        if (!DocumentedResult.SPLITS.contains(split)) {
            throw new IllegalArgumentException("checks[].split '" + split + "' is not one of: test, validation");
        }
        if (className != null && !"top1".equals(metric)) {
            throw new IllegalArgumentException("checks[].class '" + className
                    + "' needs metric top1 (a class's accuracy), got '" + metric + "'");
        }
        if (value == null || !(value >= 0 && value <= 1)) {
            throw new IllegalArgumentException("checks[].value must be a fraction in 0..1, got " + value);
        }
        if (tolerance != null && !(tolerance >= 0 && tolerance <= 1)) {
            throw new IllegalArgumentException("checks[].tolerance must be a fraction in 0..1, got " + tolerance);
        }
    }

    /** The headline as a check (null when it documents no number). */
    public static DocumentedValue of(DocumentedResult headline) {
        if (headline == null || headline.value() == null) {
            return null;
        }
        return new DocumentedValue(headline.metric(), headline.split(), null, headline.value(), headline.tolerance(),
                headline.source());
    }

    public double toleranceOrZero() {
        return tolerance == null ? 0.0 : tolerance;
    }
}
