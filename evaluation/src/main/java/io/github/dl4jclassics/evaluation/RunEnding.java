package io.github.dl4jclassics.evaluation;

import io.github.dl4jclassics.common.Json;
import io.github.dl4jclassics.common.RunLayout;
import io.github.dl4jclassics.data.PreparedData;
import io.github.dl4jclassics.evaluation.report.RunReport;
import io.github.dl4jclassics.zoo.ClassifierNetwork;
import java.io.IOException;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How every run folder ends, for {@code run} and {@code evaluate} alike: the model's metrics on test (and validation),
 * every documented value measured and judged, then {@code result.json}, the confusion matrices and the report.
 */
public final class RunEnding {

    private static final Logger LOG = LoggerFactory.getLogger(RunEnding.class);

    /**
     * What the result says besides the metrics.
     *
     * @param checks        the manifest's further documented values (besides {@code documented}, the headline)
     * @param notComparable null when the run is judged; otherwise why not (its shortened settings)
     */
    public record Subject(String experiment, String model, String dataset, int epochs, DocumentedResult documented,
                          List<DocumentedValue> checks, String notComparable) {

        public Subject {
            checks = checks == null ? List.of() : List.copyOf(checks);
        }
    }

    /** When the work the result reports began: {@code System.nanoTime()} and the ISO instant. */
    public record Started(long nanos, String at) {

        public static Started now() {
            return new Started(System.nanoTime(), java.time.Instant.now().toString());
        }

        /** Seconds since then, to two decimals. */
        public double seconds() {
            return Math.round((System.nanoTime() - nanos) / 1e7) / 100.0;
        }
    }

    private RunEnding() {
    }

    /**
     * Evaluates {@code network} on the test (and validation) split of {@code data}, judges it and writes
     * result.json, the confusion CSVs and the report into {@code folder}; returns the result written.
     */
    public static RunResult evaluateAndWrite(ClassifierNetwork network, PreparedData data, int batchSize, int topK,
                                             Subject subject, RunStatus status, Started started, RunLayout folder)
            throws IOException {
        SplitMetrics test = Evaluator.evaluate(network, data.evalIterator(data.test(), batchSize), data.classNames(), topK);
        SplitMetrics validation = data.validation() == null ? null
                : Evaluator.evaluate(network, data.evalIterator(data.validation(), batchSize), data.classNames(), topK);
        return judgeAndWrite(test, validation, subject, status, started, folder);
    }

    /**
     * Judges metrics measured elsewhere (e.g. on Spark executors) and writes result.json, the confusion CSVs and
     * the report into {@code folder}, as {@link #evaluateAndWrite} does.
     */
    public static RunResult judgeAndWrite(SplitMetrics test, SplitMetrics validation, Subject subject, RunStatus status,
                                          Started started, RunLayout folder) throws IOException {
        Double measured = RunResult.measuredValue(subject.documented(), test, validation);
        // Every documented value, measured; the headline decides the verdict, another overall value can fail it.
        // A shortened run is not judged at all: the documented values were measured with the full recipe.
        List<Check> checks = Checks.measure(subject.documented(), subject.checks(), test, validation);
        Verdict verdict;
        if (subject.notComparable() != null) {
            verdict = Verdict.NOT_COMPARABLE;
            checks = Checks.notComparable(checks);
            LOG.info("verdict {}: {}", verdict, subject.notComparable());
        } else {
            verdict = Checks.runVerdict(Verdict.judge(subject.documented(), measured), checks);
        }
        RunResult result = new RunResult(subject.experiment(), subject.model(), subject.dataset(), subject.epochs(),
                test, validation, subject.documented(), measured, verdict, status, null, started.seconds(),
                started.at(), folder.path().toString(), checks.isEmpty() ? null : checks, subject.notComparable());
        Json.writeFile(folder.result(), result);
        ConfusionMatrixCsv.writeAll(folder.path(), result);
        writeReport(folder);
        return result;
    }

    /**
     * The result of a run whose training stopped ({@code status} DIVERGED or FAILED, {@code failure} why), with the
     * documented values it could not measure; written with its report.
     */
    public static RunResult writeStopped(Subject subject, RunStatus status, String failure, Started started,
                                         RunLayout folder) throws IOException {
        List<Check> checks = Checks.measure(subject.documented(), subject.checks(), null, null);
        RunResult result = new RunResult(subject.experiment(), subject.model(), subject.dataset(), subject.epochs(),
                null, null, subject.documented(), null, Verdict.judge(subject.documented(), null), status, failure,
                started.seconds(), started.at(), folder.path().toString(), checks.isEmpty() ? null : checks, null);
        Json.writeFile(folder.result(), result);
        writeReport(folder);
        return result;
    }

    /** Charts and report.html/report.md; a failure here must not lose the results already written. */
    private static void writeReport(RunLayout folder) {
        try {
            RunReport.write(folder.path());
        } catch (IOException | RuntimeException e) {
            LOG.warn("could not write the report of {}: {}", folder.path(), e.getMessage());
        }
    }
}
