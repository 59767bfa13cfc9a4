package io.github.dl4jclassics.evaluation;

import java.util.ArrayList;
import java.util.List;

/**
 * Measures every documented value of a run ({@link DocumentedValue}s: the headline first, then a manifest's
 * {@code checks}) and the run's verdict from them.
 */
public final class Checks {

    private Checks() {
    }

    /** The headline (when it has a value) and every further documented value, each measured and judged. */
    public static List<Check> measure(DocumentedResult headline, List<DocumentedValue> more, SplitMetrics test,
                                      SplitMetrics validation) {
        List<DocumentedValue> all = new ArrayList<>();
        DocumentedValue first = DocumentedValue.of(headline);
        if (first != null) {
            all.add(first);
        }
        if (more != null) {
            all.addAll(more);
        }
        List<Check> checks = new ArrayList<>();
        for (DocumentedValue value : all) {
            Double measured = measuredValue(value, test, validation);
            checks.add(new Check(value.metric(), value.split(), value.className(), value.value(), value.tolerance(),
                    measured, judge(value, measured)));
        }
        return checks;
    }

    /** The run's value of {@code value}: a split's overall top-1/top-5, or a class's accuracy (recall); null if absent. */
    public static Double measuredValue(DocumentedValue value, SplitMetrics test, SplitMetrics validation) {
        SplitMetrics split = "validation".equals(value.split()) ? validation : test;
        if (split == null) {
            return null;
        }
        if (value.className() == null) {
            return split.metric(value.metric());
        }
        int index = split.classes() == null ? -1 : split.classes().indexOf(value.className());
        if (index < 0 || split.perClassAccuracy() == null || index >= split.perClassAccuracy().length) {
            return null;
        }
        double accuracy = split.perClassAccuracy()[index];
        return Double.isNaN(accuracy) ? null : accuracy;
    }

    /** PASS when measured ≥ documented − tolerance (with the same rounding guard as {@link Verdict#judge}). */
    public static Verdict judge(DocumentedValue value, Double measured) {
        if (measured == null || measured.isNaN()) {
            return Verdict.FAIL;
        }
        return measured >= value.value() - value.toleranceOrZero() - 1e-12 ? Verdict.PASS : Verdict.FAIL;
    }

    /**
     * The run's verdict: the headline's, except that a PASS becomes FAIL when another overall (class-less) check
     * fails, such as the paper's second metric or another split. Per-class misses are reported, never a FAIL.
     */
    public static Verdict runVerdict(Verdict headline, List<Check> checks) {
        if (headline != Verdict.PASS || checks == null) {
            return headline;
        }
        boolean overallMiss = checks.stream().anyMatch(c -> !c.perClass() && c.verdict() == Verdict.FAIL);
        return overallMiss ? Verdict.FAIL : headline;
    }

    /**
     * The checks of a shortened run (fewer epochs, first-N limits): measured, but not judged, since every documented
     * value was measured with the full recipe.
     */
    public static List<Check> notComparable(List<Check> checks) {
        List<Check> out = new ArrayList<>();
        for (Check c : checks) {
            out.add(new Check(c.metric(), c.split(), c.className(), c.documented(), c.tolerance(), c.measured(),
                    Verdict.NOT_COMPARABLE));
        }
        return out;
    }

    /** The names of per-class checks that {@code classes} does not have (an error to report before training). */
    public static List<String> unknownClasses(List<DocumentedValue> more, List<String> classes) {
        List<String> unknown = new ArrayList<>();
        if (more != null) {
            for (DocumentedValue value : more) {
                if (value.className() != null && !classes.contains(value.className())) {
                    unknown.add(value.className());
                }
            }
        }
        return unknown;
    }
}
