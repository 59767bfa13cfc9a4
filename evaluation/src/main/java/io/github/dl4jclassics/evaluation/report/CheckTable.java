package io.github.dl4jclassics.evaluation.report;

import io.github.dl4jclassics.evaluation.Check;
import io.github.dl4jclassics.evaluation.Verdict;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** result.json's {@code checks} as table rows (run report, regression report, comparison). */
public final class CheckTable {

    public static final List<String> HEADERS = List.of("metric", "split", "class", "documented", "tolerance",
            "measured", "delta", "verdict");

    private CheckTable() {
    }

    /** One row per check; the class column says "overall" for a split's overall metric. */
    public static List<List<String>> rows(List<Check> checks) {
        List<List<String>> rows = new ArrayList<>();
        for (Check c : checks) {
            rows.add(List.of(c.metric(), c.split(), c.perClass() ? c.className() : "overall",
                    Formats.percent(c.documented()), Formats.percent(c.tolerance()), Formats.percent(c.measured()),
                    delta(c), c.verdict() == null ? "–" : c.verdict().name()));
        }
        return rows;
    }

    /** "+1.23 pt", or "–" when nothing was measured. */
    public static String delta(Check c) {
        return c.delta() == null ? "–" : String.format(Locale.ROOT, "%+.2f pt", 100 * c.delta());
    }

    /** A markdown table of the checks. */
    public static String markdown(List<Check> checks) {
        StringBuilder md = new StringBuilder("| " + String.join(" | ", HEADERS) + " |\n|---|---|---|---:|---:|---:|---:|---|\n");
        for (List<String> row : rows(checks)) {
            md.append("| ");
            for (String cell : row) {
                md.append(Formats.markdownCell(cell)).append(" | ");
            }
            md.setLength(md.length() - 1);
            md.append('\n');
        }
        return md.toString();
    }

    /**
     * What the checks say beyond "every documented value is reached", or null when every check passed: "2 of 7
     * documented values missed: buildings, street", and how many were not judged (a shortened run's checks are all
     * NOT_COMPARABLE: "none of the 7 documented values is judged").
     */
    public static String missSummary(List<Check> checks) {
        List<String> missed = new ArrayList<>();
        int notJudged = 0;
        for (Check c : checks) {
            if (c.verdict() == Verdict.FAIL) {
                missed.add(c.perClass() ? c.className() : c.split() + " " + c.metric());
            } else if (c.verdict() != Verdict.PASS) {
                notJudged++;
            }
        }
        if (!missed.isEmpty()) {
            return missed.size() + " of " + checks.size() + " documented values missed: " + String.join(", ", missed)
                    + (notJudged == 0 ? "" : "; " + notJudged + " not judged");
        }
        if (notJudged == 0) {
            return null;
        }
        return notJudged == checks.size()
                ? (checks.size() == 1 ? "The documented value is not judged"
                        : "None of the " + checks.size() + " documented values is judged")
                : notJudged + " of " + checks.size() + " documented values not judged, the others reached";
    }
}
