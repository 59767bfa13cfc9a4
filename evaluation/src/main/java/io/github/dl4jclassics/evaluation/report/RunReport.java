package io.github.dl4jclassics.evaluation.report;

import com.fasterxml.jackson.databind.JsonNode;
import io.github.dl4jclassics.common.EpochRecord;
import io.github.dl4jclassics.common.Json;
import io.github.dl4jclassics.evaluation.DocumentedResult;
import io.github.dl4jclassics.evaluation.RunResult;
import io.github.dl4jclassics.evaluation.SplitMetrics;
import io.github.dl4jclassics.evaluation.Verdict;
import io.github.dl4jclassics.evaluation.charts.ConfusionHeatmap;
import io.github.dl4jclassics.evaluation.charts.ImageGrid;
import io.github.dl4jclassics.evaluation.charts.TrainingCurves;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The report of one run folder: the charts as PNG files (loss.png, accuracy.png, learning-rate.png,
 * confusion-test.png, confusion-validation.png) and report.html (self-contained: CSS inline, images as data URIs)
 * and report.md (linking the PNGs) with the experiment, recipe, environment, curves, confusion matrices, per-class
 * table, and the documented value beside the measured one with the verdict.
 */
public final class RunReport {

    public static final String HTML = "report.html";
    public static final String MARKDOWN = "report.md";

    private RunReport() {
    }

    /** What {@link #write(Path)} produced. */
    public record Written(Path html, Path markdown, List<Path> images) {
    }

    /** Reads the run folder's files and writes the charts and both reports into it (atomically, file by file). */
    public static Written write(Path runDir) throws IOException {
        return write(RunFolder.read(runDir));
    }

    public static Written write(RunFolder run) throws IOException {
        Path dir = run.directory();
        RunResult result = run.result();
        DocumentedResult documented = documented(run);
        List<Path> curves = TrainingCurves.writeAll(run.epochs(), documented, dir);
        Map<String, Path> heatmaps = new LinkedHashMap<>();
        for (String split : List.of("test", "validation")) {
            SplitMetrics metrics = split(result, split);
            if (metrics != null && metrics.confusionMatrix() != null && metrics.classes() != null
                    && !metrics.classes().isEmpty()) {
                Path file = dir.resolve(ConfusionHeatmap.fileName(split));
                ConfusionHeatmap.write(metrics, String.format(Locale.ROOT, "%s – %s split (%d images, top-1 %s)",
                        run.experiment(), split, metrics.count(), Formats.percent(metrics.top1())), file);
                heatmaps.put(split, file);
            }
        }
        Document doc = document(run, documented, curves, heatmaps);
        Path html = dir.resolve(HTML);
        Path markdown = dir.resolve(MARKDOWN);
        doc.write(html, markdown);
        List<Path> images = new ArrayList<>(curves);
        images.addAll(heatmaps.values());
        return new Written(html, markdown, images);
    }

    private static SplitMetrics split(RunResult result, String split) {
        return "validation".equals(split) ? result.validation() : result.test();
    }

    /** result.json's documented result, else the manifest's (a failed run may not have copied it). */
    private static DocumentedResult documented(RunFolder run) {
        if (run.result().documented() != null) {
            return run.result().documented();
        }
        JsonNode node = run.manifest() == null ? null : run.manifest().get("documented");
        if (node == null || node.isNull()) {
            return null;
        }
        try {
            return Json.mapper().treeToValue(node, DocumentedResult.class);
        } catch (IOException | IllegalArgumentException e) {
            return null;
        }
    }

    static String verdictSentence(RunResult result, DocumentedResult documented) {
        Verdict verdict = result.verdict() != null ? result.verdict()
                : Verdict.judge(documented, RunResult.measuredValue(documented, result.test(), result.validation()));
        if (verdict == Verdict.NO_REFERENCE || documented == null || documented.value() == null) {
            return "NO_REFERENCE: nothing documented to compare with";
        }
        String metric = metricName(documented.metric()) + " on " + documented.split();
        double threshold = documented.value() - documented.toleranceOrZero();
        Double measured = result.measured() != null ? result.measured()
                : RunResult.measuredValue(documented, result.test(), result.validation());
        if (verdict == Verdict.NOT_COMPARABLE) {
            // Not judged: the numbers side by side, no comparison sign, and why (the overrides that shortened it).
            String reason = result.verdictReason() != null ? result.verdictReason()
                    : "the run differs from the recipe the documented value was measured with";
            String numbers = measured == null || measured.isNaN() ? "no measured " + metric
                    : "measured " + metric + " " + Formats.percent(measured);
            return String.format(Locale.ROOT, "NOT_COMPARABLE: not judged, %s. %s; documented %s (tolerance %s).",
                    reason, Character.toUpperCase(numbers.charAt(0)) + numbers.substring(1),
                    Formats.percent(documented.value()), Formats.percent(documented.toleranceOrZero()));
        }
        if (measured == null || measured.isNaN()) {
            return verdict + ": no measured " + metric + (result.status() == null ? "" : " (run " + result.status() + ")");
        }
        return String.format(Locale.ROOT, "%s: measured %s %s %s documented %s − tolerance %s = %s", verdict, metric,
                Formats.percent(measured), measured >= threshold - 1e-12 ? "≥" : "<", Formats.percent(documented.value()),
                Formats.percent(documented.toleranceOrZero()), Formats.percent(threshold));
    }

    /**
     * For a documented test value and a run that evaluated the test split after every epoch: the best per-epoch test
     * value and its epoch, the reading of a source that reports its best test epoch (note 000: "max at epoch 88"),
     * beside the measured value of the model the run kept. Null otherwise.
     */
    static String bestPerEpochTestSentence(List<EpochRecord> epochs, DocumentedResult documented) {
        if (documented == null || !"test".equals(documented.split()) || !EpochRecord.hasTestColumns(epochs)) {
            return null;
        }
        boolean top5 = "top5".equals(documented.metric());
        EpochRecord best = null;
        for (EpochRecord e : epochs) {
            double value = top5 ? e.testTop5() : e.testTop1();
            if (Double.isFinite(value) && (best == null || value > (top5 ? best.testTop5() : best.testTop1()))) {
                best = e;
            }
        }
        if (best == null) {
            return null;
        }
        EpochRecord last = epochs.get(epochs.size() - 1);
        String metric = metricName(documented.metric());
        double bestValue = top5 ? best.testTop5() : best.testTop1();
        double lastValue = top5 ? last.testTop5() : last.testTop1();
        return String.format(Locale.ROOT, "Per-epoch test %s (the test split evaluated after every epoch, never used "
                        + "to choose the model): best %s at epoch %d of %d, %s at the last epoch%s. A source that reports "
                        + "its best test epoch reads the first of these; the measured value above is the model this run "
                        + "kept (chosen on validation when the recipe restores a best epoch, else the last), and the "
                        + "verdict is the measured value's.",
                metric, Formats.percent(bestValue), best.epoch(), last.epoch(), Formats.percent(lastValue),
                documented.value() == null ? "" : "; documented " + Formats.percent(documented.value())
                        + (documented.source() == null ? "" : " (" + documented.source() + ")"));
    }

    static String metricName(String metric) {
        return switch (metric) {
            case "top1" -> "top-1 accuracy";
            case "top5" -> "top-5 accuracy";
            default -> metric;
        };
    }

    private static Document document(RunFolder run, DocumentedResult documented, List<Path> curves,
                                     Map<String, Path> heatmaps) throws IOException {
        RunResult r = run.result();
        Document doc = new Document(run.experiment() + " – dl4j-classics run report");
        doc.heading(1, run.experiment());
        String description = run.manifestText("description");
        if (description != null) {
            doc.paragraph(description);
        }
        doc.paragraph(String.join(" · ", nonNull(
                r.model() == null ? null : "model " + r.model(),
                r.dataset() == null ? null : "data set " + r.dataset(),
                r.epochs() + " epochs",
                r.status() == null ? null : "status " + r.status(),
                r.seconds() == null ? null : "took " + Formats.duration(r.seconds()),
                r.startedAt() == null ? null : "started " + r.startedAt())), "muted");
        if (r.failure() != null) {
            doc.paragraph("Failure: " + r.failure());
        }

        // 1. The verdict first: it is what a reader opens the report for.
        doc.heading(2, "Documented vs measured");
        Verdict verdict = r.verdict() != null ? r.verdict() : Verdict.NO_REFERENCE;
        doc.paragraph(verdict.name(), "verdict " + verdict.name());
        doc.paragraph(verdictSentence(r, documented));
        if (documented != null) {
            Double measured = r.measured() != null ? r.measured() : RunResult.measuredValue(documented, r.test(), r.validation());
            doc.table(List.of("metric", "split", "documented", "tolerance", "pass threshold", "measured", "difference", "source"),
                    List.of(List.of(metricName(documented.metric()), documented.split(), Formats.percent(documented.value()),
                            Formats.percent(documented.tolerance()),
                            documented.value() == null ? "–" : Formats.percent(documented.value() - documented.toleranceOrZero()),
                            Formats.percent(measured),
                            measured == null || documented.value() == null ? "–"
                                    : String.format(Locale.ROOT, "%+.2f pt", 100 * (measured - documented.value())),
                            documented.source() == null ? "" : documented.source())),
                    false, false, true, true, true, true, true, false);
        }
        if (r.checks() != null && !r.checks().isEmpty()) {
            doc.heading(3, "Every documented value");
            doc.table(CheckTable.HEADERS, CheckTable.rows(r.checks()), false, false, false, true, true, true, true, false);
            String misses = CheckTable.missSummary(r.checks());
            // How checks make a verdict means nothing for a shortened run, which has none.
            String rule = verdict == Verdict.NOT_COMPARABLE ? ""
                    : "The verdict is the headline's; a miss of another overall value (another split, the source's "
                    + "second metric) makes it FAIL, a per-class miss is reported only. ";
            doc.paragraph((misses == null ? "Every documented value is reached. " : misses + ". ") + rule
                    + "A class's accuracy is its recall (the diagonal of the row-normalised confusion matrix).", "note");
        }
        String bestTestEpoch = bestPerEpochTestSentence(run.epochs(), documented);
        if (bestTestEpoch != null) {
            doc.paragraph(bestTestEpoch, "note");
        }
        String sourceNote = run.manifestText("source.documented");
        if (sourceNote != null) {
            doc.paragraph("The source's own words on the documented result: " + sourceNote, "note");
        }

        // 2. Metrics of each split.
        doc.heading(2, "Metrics");
        List<String> splitNames = new ArrayList<>();
        List<SplitMetrics> splits = new ArrayList<>();
        if (r.test() != null) {
            splitNames.add("test");
            splits.add(r.test());
        }
        if (r.validation() != null) {
            splitNames.add("validation");
            splits.add(r.validation());
        }
        if (splits.isEmpty()) {
            doc.paragraph("No split was evaluated (the run did not complete).");
        } else {
            List<String> headers = new ArrayList<>(List.of("metric"));
            headers.addAll(splitNames);
            List<List<String>> rows = new ArrayList<>();
            rows.add(row("images", splits, m -> Integer.toString(m.count())));
            rows.add(row("top-1 accuracy", splits, m -> Formats.percent(m.top1())));
            rows.add(row("top-5 accuracy", splits, m -> Formats.percent(m.top5())));
            if (splits.get(0).k() != null && splits.get(0).k() != 1 && splits.get(0).k() != 5) {
                rows.add(row("top-" + splits.get(0).k() + " accuracy", splits, m -> Formats.percent(m.topK())));
            }
            rows.add(row("loss (mean cross-entropy)", splits, m -> Formats.number(m.loss(), 4)));
            rows.add(row("macro precision", splits, m -> m.macro() == null ? "–" : Formats.percent(m.macro().precision())));
            rows.add(row("macro recall", splits, m -> m.macro() == null ? "–" : Formats.percent(m.macro().recall())));
            rows.add(row("macro F1", splits, m -> m.macro() == null ? "–" : Formats.percent(m.macro().f1())));
            rows.add(row("weighted precision", splits, m -> m.weighted() == null ? "–" : Formats.percent(m.weighted().precision())));
            rows.add(row("weighted recall", splits, m -> m.weighted() == null ? "–" : Formats.percent(m.weighted().recall())));
            rows.add(row("weighted F1", splits, m -> m.weighted() == null ? "–" : Formats.percent(m.weighted().f1())));
            boolean[] numeric = new boolean[headers.size()];
            java.util.Arrays.fill(numeric, 1, numeric.length, true);
            doc.table(headers, rows, numeric);
            doc.paragraph("Top-k counts an image as correct only when its true class is among the k highest scores with "
                    + "ties broken by class index (an all-equal output is correct for class 0 only); DL4J's "
                    + "Evaluation(labels, topN) would count every tie as correct. With 5 classes or fewer, top-5 is 100%. "
                    + "Macro averages run over the classes present in the split; weighted ones weight by class support.",
                    "note");
        }

        // 3. Curves.
        doc.heading(2, "Training curves");
        if (curves.isEmpty()) {
            doc.paragraph("No epochs.csv rows: nothing to draw.");
        }
        for (Path curve : curves) {
            doc.image(curve, curve.getFileName().toString().replace(".png", "").replace('-', ' ') + " per epoch");
        }
        if (EpochRecord.hasTestColumns(run.epochs())) {
            doc.paragraph("The \"test (per epoch)\" curves are the test split evaluated after every epoch "
                    + "(evaluation.perEpoch), as the source does; they are drawn only: no epoch, learning rate or early "
                    + "stop was chosen with them (those read the validation split).", "note");
        }

        // 3b. What the network saw and what its first layer learnt (drawn by the run, when it applies).
        Path preview = run.directory().resolve(ImageGrid.BATCH_PREVIEW_PNG);
        Path filters = run.directory().resolve(ImageGrid.CONV1_FILTERS_PNG);
        if (java.nio.file.Files.isRegularFile(preview) || java.nio.file.Files.isRegularFile(filters)) {
            doc.heading(2, "Pictures");
            if (java.nio.file.Files.isRegularFile(preview)) {
                doc.image(preview, "training images after augmentation (before normalization)");
            }
            if (java.nio.file.Files.isRegularFile(filters)) {
                doc.image(filters, "first convolution layer's filters, each scaled to its own range (AlexNet paper, Figure 3)");
            }
        }

        // 4. Confusion matrices and per-class table.
        if (!heatmaps.isEmpty()) {
            doc.heading(2, "Confusion matrix");
            for (Map.Entry<String, Path> heatmap : heatmaps.entrySet()) {
                doc.heading(3, heatmap.getKey() + " split");
                doc.image(heatmap.getValue(), "confusion matrix of the " + heatmap.getKey() + " split");
            }
            doc.paragraph("Counts and row-normalised fractions are in confusion-SPLIT.csv and confusion-SPLIT-normalized.csv.",
                    "note");
        }
        if (!splits.isEmpty() && splits.get(0).classes() != null) {
            doc.heading(2, "Per-class results");
            perClass(doc, splitNames, splits);
        }

        // 5. Epochs.
        if (!run.epochs().isEmpty()) {
            doc.heading(2, "Epochs");
            boolean withTest = EpochRecord.hasTestColumns(run.epochs());
            List<List<String>> rows = new ArrayList<>();
            for (EpochRecord e : run.epochs()) {
                List<String> row = new ArrayList<>(List.of(Integer.toString(e.epoch()),
                        String.format(Locale.ROOT, "%.3g", e.learningRate()),
                        Formats.number(e.trainLoss(), 4), Formats.percent(e.trainAccuracy()),
                        Formats.number(e.validationLoss(), 4), Formats.percent(e.validationTop1()),
                        Formats.percent(e.validationTop5()), Formats.duration(e.seconds())));
                if (withTest) {
                    row.addAll(List.of(Formats.number(e.testLoss(), 4), Formats.percent(e.testTop1()),
                            Formats.percent(e.testTop5())));
                }
                rows.add(row);
            }
            List<String> headers = new ArrayList<>(List.of("epoch", "learning rate", "train loss", "train top-1",
                    "validation loss", "validation top-1", "validation top-5", "time"));
            if (withTest) {
                headers.addAll(List.of("test loss (per epoch)", "test top-1 (per epoch)", "test top-5 (per epoch)"));
            }
            boolean[] numeric = new boolean[headers.size()];
            java.util.Arrays.fill(numeric, true);
            doc.table(headers, rows, numeric);
        }

        // 6. Recipe and environment, flattened so every field of the manifest shows whatever its schema.
        doc.heading(2, "Recipe");
        if (run.manifest() == null) {
            doc.paragraph("No manifest.json in the run folder.");
        } else {
            doc.table(List.of("setting", "value"), flatten(run.manifest(), List.of("name", "description")));
            doc.preformatted("manifest.json", Json.write(run.manifest()));
        }
        doc.heading(2, "Environment");
        if (run.environment() == null) {
            doc.paragraph("No environment.json in the run folder.");
        } else {
            doc.table(List.of("property", "value"), flatten(run.environment(), List.of()));
        }
        doc.paragraph("Run folder: " + (r.runDirectory() != null ? r.runDirectory() : run.directory().toString()), "note");
        return doc;
    }

    private static void perClass(Document doc, List<String> splitNames, List<SplitMetrics> splits) {
        SplitMetrics first = splits.get(0);
        List<String> headers = new ArrayList<>(List.of("class"));
        for (String name : splitNames) {
            headers.addAll(List.of(name + " images", name + " accuracy (recall)", name + " precision", name + " F1"));
        }
        List<List<String>> rows = new ArrayList<>();
        for (int c = 0; c < first.classes().size(); c++) {
            List<String> row = new ArrayList<>();
            row.add(first.classes().get(c));
            for (SplitMetrics m : splits) {
                boolean sameClasses = first.classes().equals(m.classes());
                row.add(sameClasses && m.confusionMatrix() != null ? Long.toString(m.support()[c]) : "–");
                row.add(sameClasses ? Formats.percent(at(m.perClassAccuracy(), c)) : "–");
                row.add(sameClasses ? Formats.percent(at(m.precision(), c)) : "–");
                row.add(sameClasses ? Formats.percent(at(m.f1(), c)) : "–");
            }
            rows.add(row);
        }
        boolean[] numeric = new boolean[headers.size()];
        java.util.Arrays.fill(numeric, 1, numeric.length, true);
        doc.table(headers, rows, numeric);
        doc.paragraph("A class without images in a split has no accuracy (–); a class never predicted has precision 0.", "note");
    }

    private static Double at(double[] values, int index) {
        return values == null || index >= values.length ? null : values[index];
    }

    private static List<String> row(String label, List<SplitMetrics> splits,
                                    java.util.function.Function<SplitMetrics, String> cell) {
        List<String> row = new ArrayList<>();
        row.add(label);
        for (SplitMetrics m : splits) {
            row.add(cell.apply(m));
        }
        return row;
    }

    private static List<String> nonNull(String... parts) {
        List<String> kept = new ArrayList<>();
        for (String part : parts) {
            if (part != null) {
                kept.add(part);
            }
        }
        return kept;
    }

    /** Every non-null leaf as "a.b[0].c" → value; nested objects of an environment (nd4jEnvironment) included. */
    static List<List<String>> flatten(JsonNode root, List<String> skip) {
        List<List<String>> rows = new ArrayList<>();
        flatten(root, "", skip, rows);
        return rows;
    }

    private static void flatten(JsonNode node, String path, List<String> skip, List<List<String>> rows) {
        if (node == null || node.isNull() || skip.contains(path)) {
            return;
        }
        if (node.isObject()) {
            Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
            while (fields.hasNext()) {
                Map.Entry<String, JsonNode> field = fields.next();
                flatten(field.getValue(), path.isEmpty() ? field.getKey() : path + "." + field.getKey(), skip, rows);
            }
        } else if (node.isArray()) {
            boolean scalars = true;
            for (JsonNode element : node) {
                scalars &= element.isValueNode();
            }
            if (scalars) {
                List<String> values = new ArrayList<>();
                node.forEach(v -> values.add(v.asText()));
                if (!values.isEmpty()) {
                    rows.add(List.of(path, String.join(", ", values)));
                }
            } else {
                for (int i = 0; i < node.size(); i++) {
                    flatten(node.get(i), path + "[" + i + "]", skip, rows);
                }
            }
        } else {
            rows.add(List.of(path, node.asText()));
        }
    }
}
