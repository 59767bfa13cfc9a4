package io.github.dl4jclassics.experiments.regress;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.github.dl4jclassics.evaluation.Check;
import io.github.dl4jclassics.evaluation.RunStatus;
import io.github.dl4jclassics.evaluation.Verdict;
import java.util.List;

/**
 * One experiment of a regression run.
 *
 * @param verdict      PASS, FAIL (short of the documented value by more than the tolerance, or diverged),
 *                     NO_REFERENCE (nothing documented), or ERROR (the run could not be made: missing data, out of
 *                     memory, a broken manifest; not an accuracy regression)
 * @param errorKind    for ERROR: "missing-data", "out-of-memory", "invalid-manifest" or "exception"
 * @param delta        measured minus documented (negative: below the documented value)
 * @param runDirectory the run folder (null when no run started)
 * @param checks       every documented value of the run, measured (result.json's checks); null when none
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record RegressionEntry(
        String name,
        String model,
        String dataset,
        String metric,
        String split,
        Double documented,
        Double tolerance,
        Double measured,
        Double delta,
        Verdict verdict,
        RunStatus status,
        String errorKind,
        String message,
        double seconds,
        String runDirectory,
        List<Check> checks) {

    /** An entry without checks (the run did not start, or documents the headline only). */
    public RegressionEntry(String name, String model, String dataset, String metric, String split, Double documented,
                           Double tolerance, Double measured, Double delta, Verdict verdict, RunStatus status,
                           String errorKind, String message, double seconds, String runDirectory) {
        this(name, model, dataset, metric, split, documented, tolerance, measured, delta, verdict, status, errorKind,
                message, seconds, runDirectory, null);
    }

    public boolean failed() {
        return verdict == Verdict.FAIL;
    }

    public boolean error() {
        return verdict == Verdict.ERROR;
    }
}
