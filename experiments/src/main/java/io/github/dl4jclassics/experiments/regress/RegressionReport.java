package io.github.dl4jclassics.experiments.regress;

import io.github.dl4jclassics.evaluation.Verdict;
import io.github.dl4jclassics.common.AtomicFiles;
import io.github.dl4jclassics.common.Json;
import io.github.dl4jclassics.evaluation.report.CheckTable;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * The outcome of {@code regress}: one entry per experiment, written as regression.json (machine-readable),
 * regression.md (for people) and TEST-regression.xml (JUnit XML for CI dashboards: a testcase per experiment, a
 * failure for a FAIL verdict, an error for an infrastructure problem).
 */
public record RegressionReport(
        String tag,
        boolean gpu,
        String backend,
        String startedAt,
        double seconds,
        int passed,
        int failed,
        int errors,
        int noReference,
        List<RegressionEntry> entries) {

    public static final String JSON = "regression.json";
    public static final String MARKDOWN = "regression.md";
    public static final String JUNIT = "TEST-regression.xml";

    /** Exit code: 1 when any experiment failed its documented value, else 3 when any could not run, else 0. */
    public static final int EXIT_FAILED = 1;
    public static final int EXIT_ERRORS = 3;

    public static RegressionReport of(String tag, boolean gpu, String backend, String startedAt, double seconds,
                                      List<RegressionEntry> entries) {
        int passed = (int) entries.stream().filter(e -> e.verdict() == Verdict.PASS).count();
        int failed = (int) entries.stream().filter(RegressionEntry::failed).count();
        int errors = (int) entries.stream().filter(RegressionEntry::error).count();
        int none = (int) entries.stream().filter(e -> e.verdict() == Verdict.NO_REFERENCE).count();
        return new RegressionReport(tag, gpu, backend, startedAt, seconds, passed, failed, errors, none, List.copyOf(entries));
    }

    public int exitCode() {
        return failed > 0 ? EXIT_FAILED : errors > 0 ? EXIT_ERRORS : 0;
    }

    public List<String> failedNames() {
        return entries.stream().filter(RegressionEntry::failed).map(RegressionEntry::name).toList();
    }

    public List<String> errorNames() {
        return entries.stream().filter(RegressionEntry::error).map(RegressionEntry::name).toList();
    }

    /** Writes the three report files into {@code dir}. */
    public void write(Path dir) throws IOException {
        Files.createDirectories(dir);
        Json.writeFile(dir.resolve(JSON), this);
        AtomicFiles.writeString(dir.resolve(MARKDOWN), markdown());
        AtomicFiles.writeString(dir.resolve(JUNIT), junitXml());
    }

    /** One line for the console: the counts and the names of what failed. */
    public String summaryLine() {
        StringBuilder line = new StringBuilder(String.format(Locale.ROOT,
                "regression (tag %s): %d passed, %d failed, %d errors, %d without reference, %.0f s",
                tag, passed, failed, errors, noReference, seconds));
        if (failed > 0) {
            line.append("\nFAILED (below the documented value): ").append(String.join(", ", failedNames()));
        }
        if (errors > 0) {
            line.append("\nERRORS (could not run, not an accuracy verdict): ").append(String.join(", ", errorNames()));
        }
        return line.toString();
    }

    public String markdown() {
        StringBuilder md = new StringBuilder();
        md.append("# Regression report: tag `").append(tag).append("`\n\n");
        md.append("- started ").append(startedAt).append(", ").append(String.format(Locale.ROOT, "%.0f s", seconds))
                .append(gpu ? ", GPU requested" : "").append("\n");
        md.append("- ").append(backend).append("\n");
        md.append(String.format(Locale.ROOT, "- **%d passed, %d failed, %d errors, %d without a documented value**%n%n",
                passed, failed, errors, noReference));
        md.append("| experiment | metric | documented | measured | delta | verdict | time | run directory |\n");
        md.append("|---|---|---:|---:|---:|---|---:|---|\n");
        for (RegressionEntry e : entries) {
            md.append("| ").append(e.name())
                    .append(" | ").append(e.metric() == null ? "" : e.split() + " " + e.metric())
                    .append(" | ").append(e.documented() == null ? "-" : percent(e.documented())
                            + (e.tolerance() == null ? "" : " ± " + percent(e.tolerance())))
                    .append(" | ").append(e.measured() == null ? "-" : percent(e.measured()))
                    .append(" | ").append(e.delta() == null ? "-" : String.format(Locale.ROOT, "%+.2f", e.delta() * 100))
                    .append(" | ").append(e.failed() || e.error() ? "**" + e.verdict() + "**" : e.verdict())
                    .append(" | ").append(String.format(Locale.ROOT, "%.0f s", e.seconds()))
                    .append(" | ").append(e.runDirectory() == null ? "" : "`" + e.runDirectory() + "`")
                    .append(" |\n");
        }
        List<RegressionEntry> checked = entries.stream().filter(e -> e.checks() != null && e.checks().size() > 1).toList();
        if (!checked.isEmpty()) {
            md.append("\n## Every documented value\n\n");
            md.append("The headline above decides the verdict; a miss of another overall value fails it too, a per-class "
                    + "miss is reported only. Delta in points.\n");
            for (RegressionEntry e : checked) {
                md.append("\n### ").append(e.name()).append("\n\n").append(CheckTable.markdown(e.checks()));
            }
        }
        List<RegressionEntry> problems = entries.stream().filter(e -> e.failed() || e.error()).toList();
        if (!problems.isEmpty()) {
            md.append("\n## Failures and errors\n\n");
            for (RegressionEntry e : problems) {
                md.append("- **").append(e.name()).append("** ").append(e.verdict())
                        .append(e.errorKind() == null ? "" : " (" + e.errorKind() + ")").append(": ")
                        .append(e.message() == null ? "" : e.message().replace("\n", " ")).append("\n");
            }
        }
        return md.toString();
    }

    public String junitXml() {
        StringBuilder xml = new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
        xml.append(String.format(Locale.ROOT,
                "<testsuite name=\"%s\" tests=\"%d\" failures=\"%d\" errors=\"%d\" skipped=\"0\" time=\"%.3f\" timestamp=\"%s\">%n",
                escape("dl4j-classics regression (" + tag + ")"), entries.size(), failed, errors, seconds,
                escape(startedAt.length() >= 19 ? startedAt.substring(0, 19) : startedAt)));
        xml.append("  <properties>\n    <property name=\"backend\" value=\"").append(escape(backend))
                .append("\"/>\n    <property name=\"gpu\" value=\"").append(gpu).append("\"/>\n  </properties>\n");
        for (RegressionEntry e : entries) {
            xml.append(String.format(Locale.ROOT, "  <testcase classname=\"regression.%s\" name=\"%s\" time=\"%.3f\">%n",
                    escape(tag), escape(e.name()), e.seconds()));
            String detail = detail(e);
            if (e.failed()) {
                xml.append("    <failure type=\"AccuracyRegression\" message=\"").append(escape(e.message()))
                        .append("\">").append(escape(detail)).append("</failure>\n");
            } else if (e.error()) {
                xml.append("    <error type=\"").append(escape(e.errorKind())).append("\" message=\"")
                        .append(escape(e.message())).append("\">").append(escape(detail)).append("</error>\n");
            }
            xml.append("    <system-out>").append(escape(detail)).append("</system-out>\n");
            xml.append("  </testcase>\n");
        }
        xml.append("</testsuite>\n");
        return xml.toString();
    }

    private static String detail(RegressionEntry e) {
        return "verdict " + e.verdict() + "; " + (e.metric() == null ? "" : e.split() + " " + e.metric() + ": ")
                + "documented " + (e.documented() == null ? "none" : percent(e.documented()))
                + ", measured " + (e.measured() == null ? "none" : percent(e.measured()))
                + (e.delta() == null ? "" : String.format(Locale.ROOT, ", delta %+.2f points", e.delta() * 100))
                + (e.runDirectory() == null ? "" : "; run " + e.runDirectory())
                + (e.message() == null ? "" : "; " + e.message());
    }

    private static String percent(double fraction) {
        return String.format(Locale.ROOT, "%.2f%%", fraction * 100);
    }

    static String escape(String text) {
        if (text == null) {
            return "";
        }
        StringBuilder out = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '&' -> out.append("&amp;");
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&apos;");
                default -> {
                    // Control characters other than tab and newlines are not allowed in XML 1.0.
                    if (c < 0x20 && c != '\t' && c != '\n' && c != '\r') {
                        out.append(' ');
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.toString();
    }
}
