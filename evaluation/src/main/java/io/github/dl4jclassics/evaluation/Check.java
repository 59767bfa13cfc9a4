package io.github.dl4jclassics.evaluation;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * One documented value measured by a run: an element of {@code result.json}'s {@code "checks"}. {@code class} is
 * absent for a split's overall metric. {@code measured} is null when the run did not evaluate that split (or the
 * class has no image in it); the verdict is then FAIL.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({"metric", "split", "class", "documented", "tolerance", "measured", "verdict"})
public record Check(
        String metric,
        String split,
        @JsonProperty("class") String className,
        double documented,
        Double tolerance,
        Double measured,
        Verdict verdict) {

    /** True for a per-class check, whose miss is reported but never fails the run. */
    public boolean perClass() {
        return className != null;
    }

    /** measured − documented, or null. */
    public Double delta() {
        return measured == null ? null : measured - documented;
    }
}
