package io.github.dl4jclassics.experiments.run;

import io.github.dl4jclassics.evaluation.Check;
import io.github.dl4jclassics.evaluation.DocumentedResult;
import io.github.dl4jclassics.evaluation.RunResult;
import io.github.dl4jclassics.evaluation.SplitMetrics;
import io.github.dl4jclassics.evaluation.report.CheckTable;
import java.util.Locale;

/** The one-screen summary printed at the end of a run. */
public final class RunSummary {

    private RunSummary() {
    }

    public static String format(RunResult r) {
        StringBuilder out = new StringBuilder();
        out.append(String.format(Locale.ROOT, "%n== %s: %s on %s, %d epochs, %s (%.0f s) ==%n", r.experiment(), r.model(),
                r.dataset(), r.epochs(), r.status(), r.seconds() == null ? 0 : r.seconds()));
        if (r.failure() != null) {
            out.append(r.failure()).append('\n');
        }
        if (r.test() != null) {
            appendSplit(out, "test", r.test());
        }
        if (r.validation() != null) {
            appendSplit(out, "validation", r.validation());
        }
        if (r.test() != null) {
            out.append(String.format(Locale.ROOT, "%n  %-22s %9s %9s%n", "class (test)", "accuracy", "count"));
            for (int c = 0; c < r.test().classes().size(); c++) {
                long count = 0;
                for (long v : r.test().confusionMatrix()[c]) {
                    count += v;
                }
                out.append(String.format(Locale.ROOT, "  %-22s %9s %9d%n", r.test().classes().get(c),
                        percent(r.test().perClassAccuracy()[c]), count));
            }
        }
        DocumentedResult d = r.documented();
        out.append('\n');
        if (d == null || d.value() == null) {
            out.append("  documented: none").append(d != null && d.source() != null ? " (" + d.source() + ")" : "").append('\n');
        } else {
            out.append(String.format(Locale.ROOT, "  documented %s %s: %s (tolerance %s) from %s%n", d.split(), d.metric(),
                    percent(d.value()), percent(d.toleranceOrZero()), d.source()));
            out.append(String.format(Locale.ROOT, "  measured   %s %s: %s%n", d.split(), d.metric(),
                    r.measured() == null ? "-" : percent(r.measured())));
        }
        if (r.checks() != null && r.checks().size() > 1) {
            out.append("  every documented value (measured, delta):\n");
            for (Check c : r.checks()) {
                out.append(String.format(Locale.ROOT, "    %-10s %-4s %-16s %8s  %8s  %10s  %s%n", c.split(), c.metric(),
                        c.perClass() ? c.className() : "overall", percent(c.documented()),
                        c.measured() == null ? "-" : percent(c.measured()), CheckTable.delta(c), c.verdict()));
            }
        }
        out.append("  verdict: ").append(r.verdict())
                .append(r.verdictReason() != null ? " (" + r.verdictReason() + ")" : "").append('\n');
        out.append("  run folder: ").append(r.runDirectory()).append('\n');
        return out.toString();
    }

    private static void appendSplit(StringBuilder out, String name, SplitMetrics m) {
        out.append(String.format(Locale.ROOT, "  %-10s top-1 %s  top-5 %s  loss %.4f  (%d images)%n", name,
                percent(m.top1()), percent(m.top5()), m.loss(), m.count()));
    }

    private static String percent(double fraction) {
        return Double.isNaN(fraction) ? "-" : String.format(Locale.ROOT, "%.2f%%", fraction * 100);
    }
}
