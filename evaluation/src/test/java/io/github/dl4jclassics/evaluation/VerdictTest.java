package io.github.dl4jclassics.evaluation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class VerdictTest {

    @Test
    void passWhenAtLeastTheDocumentedValueMinusTheTolerance() {
        DocumentedResult doc = new DocumentedResult("top1", "test", 0.86, 0.01, "note");
        assertThat(Verdict.judge(doc, 0.90)).isEqualTo(Verdict.PASS);
        assertThat(Verdict.judge(doc, 0.85)).as("exactly at the threshold, despite binary rounding").isEqualTo(Verdict.PASS);
        assertThat(Verdict.judge(doc, 0.8499)).isEqualTo(Verdict.FAIL);
        assertThat(Verdict.judge(new DocumentedResult("top1", "test", 0.86, null, null), 0.8599)).isEqualTo(Verdict.FAIL);
    }

    @Test
    void noReferenceWithoutADocumentedValueAndFailWithoutAMeasurement() {
        assertThat(Verdict.judge(null, 0.5)).isEqualTo(Verdict.NO_REFERENCE);
        assertThat(Verdict.judge(new DocumentedResult("top1", "test", null, null, "printed, not recorded"), 0.5))
                .isEqualTo(Verdict.NO_REFERENCE);
        DocumentedResult doc = new DocumentedResult("top5", "validation", 0.5, 0.0, null);
        assertThat(Verdict.judge(doc, null)).isEqualTo(Verdict.FAIL);
        assertThat(Verdict.judge(doc, Double.NaN)).isEqualTo(Verdict.FAIL);
    }

    @Test
    void theMeasuredValueIsTheDocumentedMetricOnTheDocumentedSplit() {
        SplitMetrics test = metrics(0.70, 0.90);
        SplitMetrics validation = metrics(0.60, 0.80);
        assertThat(RunResult.measuredValue(new DocumentedResult("top1", "test", 0.7, null, null), test, validation)).isEqualTo(0.70);
        assertThat(RunResult.measuredValue(new DocumentedResult("top5", "test", 0.7, null, null), test, validation)).isEqualTo(0.90);
        assertThat(RunResult.measuredValue(new DocumentedResult("top1", "validation", 0.7, null, null), test, validation)).isEqualTo(0.60);
        assertThat(RunResult.measuredValue(new DocumentedResult("top5", "validation", 0.7, null, null), test, validation)).isEqualTo(0.80);
        assertThat(RunResult.measuredValue(new DocumentedResult("top5", "validation", 0.7, null, null), test, null)).isNull();
        assertThat(RunResult.measuredValue(null, test, validation)).isNull();
        // alexnet1-cifar100: documented top-5 on validation 53 %, measured 52.5 % with tolerance 1 pt passes.
        DocumentedResult doc = new DocumentedResult("top5", "validation", 0.53, 0.01, "note 000");
        assertThat(Verdict.judge(doc, RunResult.measuredValue(doc, test, metrics(0.3, 0.525)))).isEqualTo(Verdict.PASS);
    }

    @Test
    void documentedResultsAreValidated() {
        assertThatThrownBy(() -> new DocumentedResult("top3", "test", 0.5, null, null)).hasMessageContaining("top1, top5");
        assertThatThrownBy(() -> new DocumentedResult("top1", "train", 0.5, null, null)).hasMessageContaining("test, validation");
        assertThatThrownBy(() -> new DocumentedResult("top1", "test", 71.8, null, null)).hasMessageContaining("fraction");
    }

    private static SplitMetrics metrics(double top1, double top5) {
        return new SplitMetrics(10, top1, top5, 5, top5, 1.0, java.util.List.of("a", "b"), new double[]{top1, top1},
                new double[]{0, 0}, new double[]{0, 0}, null, null, new long[][]{{1, 0}, {0, 1}});
    }
}
