package io.github.dl4jclassics.evaluation;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * The contents of {@code result.json}: what ran, the metrics of test and validation, the documented result
 * and the verdict. Scripts and nightly jobs read these field names; add fields, never rename them.
 *
 * @param status   "COMPLETED", or "DIVERGED" / "FAILED" for runs that stopped early (then {@code failure} says why)
 * @param measured the run's value of the documented metric (null when there is none)
 * @param verdictReason why the verdict is {@link Verdict#NOT_COMPARABLE} (the shortened settings); null otherwise
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonPropertyOrder({"experiment", "model", "dataset", "epochs", "test", "validation", "documented", "measured",
        "verdict", "verdictReason", "status", "failure", "seconds", "startedAt", "runDirectory"})
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
        String status,
        String failure,
        Double seconds,
        String startedAt,
        String runDirectory,
        String verdictReason) {

    /** A result whose verdict needs no explanation beyond the documented and measured values. */
    public RunResult(String experiment, String model, String dataset, int epochs, SplitMetrics test,
                     SplitMetrics validation, DocumentedResult documented, Double measured, Verdict verdict, String status,
                     String failure, Double seconds, String startedAt, String runDirectory) {
        this(experiment, model, dataset, epochs, test, validation, documented, measured, verdict, status, failure,
                seconds, startedAt, runDirectory, null);
    }

    /** The measured value of the documented metric on the documented split, or null. */
    public static Double measuredValue(DocumentedResult documented, SplitMetrics test, SplitMetrics validation) {
        if (documented == null) {
            return null;
        }
        SplitMetrics split = "validation".equals(documented.split()) ? validation : test;
        return split == null ? null : split.metric(documented.metric());
    }
}
