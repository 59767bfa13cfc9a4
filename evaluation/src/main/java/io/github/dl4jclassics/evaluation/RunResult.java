package io.github.dl4jclassics.evaluation;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.List;

/**
 * The contents of {@code result.json}: what ran, the metrics of test and validation, the documented result
 * and the verdict. Scripts and nightly jobs read these field names; add fields, never rename them.
 *
 * @param status   {@link RunStatus#COMPLETED}, or DIVERGED / FAILED for runs that stopped early (then {@code failure}
 *                 says why), EVALUATED for {@code evaluate}
 * @param measured the run's value of the documented metric (null when there is none)
 * @param checks   every documented value (the headline first, then the manifest's {@code checks}: other splits, the
 *                 source's second metric, per-class accuracies), each measured and judged; null for older runs
 * @param verdictReason why the verdict is {@link Verdict#NOT_COMPARABLE} (the shortened settings); null otherwise
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({"experiment", "model", "dataset", "epochs", "test", "validation", "documented", "measured",
        "verdict", "verdictReason", "checks", "status", "failure", "seconds", "startedAt", "runDirectory"})
public record RunResult(
        String experiment,
        String model,
        String dataset,
        int epochs,
        SplitMetrics test,
        SplitMetrics validation,
        DocumentedResult documented,
        Double measured,
        Verdict verdict,
        RunStatus status,
        String failure,
        Double seconds,
        String startedAt,
        String runDirectory,
        List<Check> checks,
        String verdictReason) {

    /** The measured value of the documented metric on the documented split, or null. */
    public static Double measuredValue(DocumentedResult documented, SplitMetrics test, SplitMetrics validation) {
        if (documented == null) {
            return null;
        }
        SplitMetrics split = "validation".equals(documented.split()) ? validation : test;
        return split == null ? null : split.metric(documented.metric());
    }
}
