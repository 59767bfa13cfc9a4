package io.github.dl4jclassics.evaluation.compare;

import io.github.dl4jclassics.common.EpochRecord;
import io.github.dl4jclassics.evaluation.Check;
import io.github.dl4jclassics.evaluation.RunResult;
import io.github.dl4jclassics.evaluation.SplitMetrics;
import io.github.dl4jclassics.evaluation.charts.Charts;
import io.github.dl4jclassics.evaluation.charts.ComparisonChart;
import io.github.dl4jclassics.evaluation.charts.TrainingCurves;
import io.github.dl4jclassics.evaluation.report.CheckTable;
import io.github.dl4jclassics.evaluation.report.Formats;
import io.github.dl4jclassics.evaluation.report.RunFolder;
import io.github.dl4jclassics.common.AtomicFiles;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Several runs side by side: a markdown table of their headline metrics, epochs and time, a per-class accuracy table
 * when the runs share their classes, every documented value with its delta, bar charts of the metrics, and the
 * per-epoch top-1 curves overlaid (validation, and the test split of runs that evaluated it after every epoch).
 */
public final class RunComparison {

    public static final String METRICS_PNG = "comparison.png";
    public static final String PER_CLASS_PNG = "comparison-per-class.png";
    public static final String MARKDOWN = "comparison.md";
    public static final String VALIDATION_CURVES_PNG = "validation-curves.png";
    /** Beyond this many classes a per-class bar chart is unreadable (CIFAR-100): only the table is written. */
    public static final int MAX_CHART_CLASSES = 20;

    private final List<RunFolder> runs;
    private final List<String> labels;

    private RunComparison(List<RunFolder> runs) {
        this.runs = List.copyOf(runs);
        this.labels = labels(runs);
    }

    /** Reads the run folders (each needs a result.json); the order given is the order of the table. */
    public static RunComparison of(List<Path> runDirs) throws IOException {
        if (runDirs.isEmpty()) {
            throw new IllegalArgumentException("compare needs at least one run folder");
        }
        List<RunFolder> runs = new ArrayList<>();
        for (Path dir : runDirs) {
            runs.add(RunFolder.read(dir));
        }
        return new RunComparison(runs);
    }

    public List<RunFolder> runs() {
        return runs;
    }

    /** The names of the runs in tables and charts: the experiment, plus the folder name where experiments repeat. */
    public List<String> labels() {
        return labels;
    }

    private static List<String> labels(List<RunFolder> runs) {
        Map<String, Integer> seen = new LinkedHashMap<>();
        for (RunFolder run : runs) {
            seen.merge(run.experiment(), 1, Integer::sum);
        }
        List<String> labels = new ArrayList<>();
        Set<String> used = new HashSet<>();
        for (RunFolder run : runs) {
            String label = seen.get(run.experiment()) == 1 ? run.experiment()
                    : run.experiment() + " " + run.directory().getFileName();
            String unique = label;
            for (int i = 2; !used.add(unique); i++) {
                unique = label + " #" + i;
            }
            labels.add(unique);
        }
        return labels;
    }

    /** The metrics table, then (when all runs have the same test classes) the per-class test accuracy table. */
    public String markdown() {
        StringBuilder md = new StringBuilder("| run | model | data set | epochs | time | status | test top-1 | test top-5 "
                + "| test loss | test macro F1 | validation top-1 | documented | measured | verdict |\n"
                + "|---|---|---|---:|---:|---|---:|---:|---:|---:|---:|---|---:|---|\n");
        for (int i = 0; i < runs.size(); i++) {
            RunResult r = runs.get(i).result();
            SplitMetrics test = r.test();
            SplitMetrics validation = r.validation();
            String documented = r.documented() == null || r.documented().value() == null ? "–"
                    : r.documented().metric() + " " + r.documented().split() + " " + Formats.percent(r.documented().value())
                    + (r.documented().tolerance() == null ? "" : " ± " + Formats.percent(r.documented().tolerance()));
            md.append("| ").append(cells(labels.get(i), r.model(), r.dataset(), Integer.toString(r.epochs()),
                    Formats.duration(r.seconds()), r.status() == null ? null : r.status().name(),
                    test == null ? "–" : Formats.percent(test.top1()),
                    test == null ? "–" : Formats.percent(test.top5()),
                    test == null ? "–" : Formats.number(test.loss(), 4),
                    test == null || test.macro() == null ? "–" : Formats.percent(test.macro().f1()),
                    validation == null ? "–" : Formats.percent(validation.top1()),
                    documented, Formats.percent(r.measured()), r.verdict() == null ? "–" : r.verdict().name()))
                    .append(" |\n");
        }
        List<String> classes = sharedClasses();
        if (classes != null) {
            md.append("\nPer-class test accuracy (recall):\n\n| class |");
            for (String label : labels) {
                md.append(' ').append(Formats.markdownCell(label)).append(" |");
            }
            md.append("\n|---|").append("---:|".repeat(labels.size())).append('\n');
            for (int c = 0; c < classes.size(); c++) {
                md.append("| ").append(Formats.markdownCell(classes.get(c))).append(" |");
                for (RunFolder run : runs) {
                    md.append(' ').append(Formats.percent(run.result().test().perClassAccuracy()[c])).append(" |");
                }
                md.append('\n');
            }
        } else if (runs.size() > 1) {
            md.append("\nNo per-class table: the runs do not share the same test classes.\n");
        }
        md.append(documentedValues());
        return md.toString();
    }

    /**
     * Each run's documented values beside the measured ones (result.json's checks): the overall ones, then the
     * per-class deltas as a class × run table of "measured (delta)". Empty when no run has checks.
     */
    String documentedValues() {
        StringBuilder md = new StringBuilder();
        boolean any = runs.stream().anyMatch(r -> r.result().checks() != null && !r.result().checks().isEmpty());
        if (!any) {
            return "";
        }
        md.append("\nDocumented values (measured, and the delta to the documented value in points):\n\n");
        for (int i = 0; i < runs.size(); i++) {
            List<Check> checks = runs.get(i).result().checks();
            if (checks == null || checks.isEmpty()) {
                continue;
            }
            md.append("**").append(Formats.markdownCell(labels.get(i))).append("**\n\n").append(CheckTable.markdown(checks))
                    .append('\n');
        }
        // Per-class deltas side by side, for the classes that several runs document.
        Map<String, Map<Integer, Check>> byClass = new LinkedHashMap<>();
        for (int i = 0; i < runs.size(); i++) {
            List<Check> checks = runs.get(i).result().checks();
            if (checks != null) {
                for (Check c : checks) {
                    if (c.perClass()) {
                        byClass.computeIfAbsent(c.split() + " " + c.className(), k -> new LinkedHashMap<>()).put(i, c);
                    }
                }
            }
        }
        long runsWithClasses = runs.stream().filter(r -> r.result().checks() != null
                && r.result().checks().stream().anyMatch(Check::perClass)).count();
        if (!byClass.isEmpty() && runsWithClasses > 1) {
            md.append("Per-class accuracy: measured (delta to documented):\n\n| class |");
            for (String label : labels) {
                md.append(' ').append(Formats.markdownCell(label)).append(" |");
            }
            md.append("\n|---|").append("---:|".repeat(labels.size())).append('\n');
            for (Map.Entry<String, Map<Integer, Check>> row : byClass.entrySet()) {
                md.append("| ").append(Formats.markdownCell(row.getKey())).append(" |");
                for (int i = 0; i < runs.size(); i++) {
                    Check c = row.getValue().get(i);
                    md.append(' ').append(c == null ? "–" : Formats.percent(c.measured()) + " (" + CheckTable.delta(c) + ")")
                            .append(" |");
                }
                md.append('\n');
            }
        }
        return md.toString();
    }

    /** The test classes when every run has test metrics over the same classes, else null. */
    public List<String> sharedClasses() {
        List<String> classes = null;
        for (RunFolder run : runs) {
            SplitMetrics test = run.result().test();
            if (test == null || test.classes() == null || test.perClassAccuracy() == null) {
                return null;
            }
            if (classes == null) {
                classes = test.classes();
            } else if (!classes.equals(test.classes())) {
                return null;
            }
        }
        return classes;
    }

    /**
     * Writes comparison.md, comparison.png (test top-1, top-5 and validation top-1 per run) and, when the runs share
     * at most {@value #MAX_CHART_CLASSES} classes, comparison-per-class.png into {@code directory}.
     *
     * @return the files written
     */
    public List<Path> write(Path directory) throws IOException {
        List<Path> written = new ArrayList<>();
        java.nio.file.Files.createDirectories(directory);
        Path md = directory.resolve(MARKDOWN);
        Map<String, double[]> series = new LinkedHashMap<>();
        series.put("test top-1", values(r -> r.test() == null ? Double.NaN : r.test().top1()));
        series.put("test top-5", values(r -> r.test() == null ? Double.NaN : r.test().top5()));
        series.put("validation top-1", values(r -> r.validation() == null ? Double.NaN : r.validation().top1()));
        if (runs.stream().anyMatch(r -> r.result().documented() != null && r.result().documented().value() != null)) {
            series.put("documented", values(r -> r.documented() == null || r.documented().value() == null ? Double.NaN
                    : r.documented().value()));
        }
        series.values().removeIf(v -> java.util.Arrays.stream(v).allMatch(Double::isNaN));
        if (!series.isEmpty()) {
            Path png = directory.resolve(METRICS_PNG);
            Charts.writePng(ComparisonChart.bars("Runs compared", "run", labels, series), png);
            written.add(png);
        }
        List<List<EpochRecord>> epochs = runs.stream().map(RunFolder::epochs).toList();
        java.util.Optional<org.knowm.xchart.XYChart> curves = TrainingCurves.validationCurves(labels, epochs);
        if (curves.isPresent()) {
            Path png = directory.resolve(VALIDATION_CURVES_PNG);
            Charts.writePng(curves.get(), png);
            written.add(png);
        }
        List<String> classes = sharedClasses();
        if (classes != null && classes.size() <= MAX_CHART_CLASSES) {
            Map<String, double[]> perClass = new LinkedHashMap<>();
            for (int i = 0; i < runs.size(); i++) {
                double[] recall = runs.get(i).result().test().perClassAccuracy();
                double[] pct = new double[recall.length];
                for (int c = 0; c < recall.length; c++) {
                    pct[c] = recall[c] * 100;
                }
                perClass.put(labels.get(i), pct);
            }
            Path png = directory.resolve(PER_CLASS_PNG);
            Charts.writePng(ComparisonChart.bars("Per-class test accuracy", "class", classes, perClass), png);
            written.add(png);
        }
        StringBuilder text = new StringBuilder(markdown()).append('\n');
        text.append(curvesSentence()).append("\n\n");
        for (Path png : written) {
            text.append("![").append(png.getFileName()).append("](").append(png.getFileName()).append(")\n");
        }
        AtomicFiles.writeString(md, text.toString());
        written.add(0, md);
        return written;
    }

    /** What validation-curves.png shows (which runs, which split, which line style), or why it is missing. */
    String curvesSentence() {
        List<String> validation = new ArrayList<>();
        List<String> test = new ArrayList<>();
        for (int i = 0; i < runs.size(); i++) {
            List<EpochRecord> epochs = runs.get(i).epochs();
            if (epochs.stream().anyMatch(e -> Double.isFinite(e.validationTop1()))) {
                validation.add(labels.get(i));
            }
            if (epochs.stream().anyMatch(e -> Double.isFinite(e.testTop1()))) {
                test.add(labels.get(i));
            }
        }
        if (validation.isEmpty() && test.isEmpty()) {
            return "No " + VALIDATION_CURVES_PNG + ": no run has validation values per epoch (no validation split) "
                    + "nor test values per epoch (evaluation.perEpoch).";
        }
        StringBuilder sentence = new StringBuilder(VALIDATION_CURVES_PNG).append(" shows top-1 per epoch: ");
        if (!validation.isEmpty()) {
            sentence.append("the validation split of ").append(String.join(", ", validation))
                    .append(test.isEmpty() ? "" : " (solid lines)");
        }
        if (!test.isEmpty()) {
            sentence.append(validation.isEmpty() ? "" : "; ").append("the **test split** of ").append(String.join(", ", test))
                    .append(validation.isEmpty() ? "" : " (dashed lines, \"– test\")")
                    .append(", evaluated after every epoch (evaluation.perEpoch), for the curves only: "
                            + "no epoch or rate was chosen with it");
        }
        List<String> neither = new ArrayList<>(labels);
        neither.removeAll(validation);
        neither.removeAll(test);
        if (!neither.isEmpty()) {
            sentence.append("; no per-epoch values for ").append(String.join(", ", neither));
        }
        return sentence.append('.').toString();
    }

    private double[] values(java.util.function.ToDoubleFunction<RunResult> metric) {
        double[] values = new double[runs.size()];
        for (int i = 0; i < runs.size(); i++) {
            values[i] = metric.applyAsDouble(runs.get(i).result()) * 100;
        }
        return values;
    }

    private static String cells(String... values) {
        List<String> escaped = new ArrayList<>();
        for (String v : values) {
            escaped.add(v == null ? "–" : Formats.markdownCell(v));
        }
        return String.join(" | ", escaped);
    }
}
