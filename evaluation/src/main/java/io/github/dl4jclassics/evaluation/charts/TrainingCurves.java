package io.github.dl4jclassics.evaluation.charts;

import io.github.dl4jclassics.common.EpochRecord;
import io.github.dl4jclassics.evaluation.DocumentedResult;
import java.awt.BasicStroke;
import java.awt.Color;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.ToDoubleFunction;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * The per-epoch curves of a run from its {@code epochs.csv}: loss (train, validation and, when the run evaluated it
 * after every epoch, test), accuracy (train top-1, validation and per-epoch test top-1 and top-5, and the documented
 * value as a dashed line) and learning rate.
 *
 * <p>NaN cells are missing values (no validation split, mixup labels): those points are left out, and a series with
 * no value at all is left out of the chart. A chart with no series at all is not drawn ({@link Optional#empty()}).
 */
public final class TrainingCurves {

    public static final int WIDTH = 900;
    public static final int HEIGHT = 520;

    public static final String LOSS_PNG = "loss.png";
    public static final String ACCURACY_PNG = "accuracy.png";
    public static final String LEARNING_RATE_PNG = "learning-rate.png";

    static {
        Charts.headless();
    }

    private TrainingCurves() {
    }

    public static Optional<XYChart> loss(List<EpochRecord> epochs) {
        Map<String, ToDoubleFunction<EpochRecord>> series = new LinkedHashMap<>();
        series.put("train loss", EpochRecord::trainLoss);
        series.put("validation loss", EpochRecord::validationLoss);
        series.put("test loss (per epoch)", EpochRecord::testLoss);
        return chart("Loss per epoch", "cross-entropy loss", epochs, series, 1.0, null, false);
    }

    /**
     * @param documented drawn as a dashed horizontal line when it has a value (its split may be test: the line is a
     *                   target for the curves, not a point of them); may be null
     */
    public static Optional<XYChart> accuracy(List<EpochRecord> epochs, DocumentedResult documented) {
        Map<String, ToDoubleFunction<EpochRecord>> series = new LinkedHashMap<>();
        series.put("train top-1", EpochRecord::trainAccuracy);
        series.put("validation top-1", EpochRecord::validationTop1);
        series.put("validation top-5", EpochRecord::validationTop5);
        series.put("test top-1 (per epoch)", EpochRecord::testTop1);
        series.put("test top-5 (per epoch)", EpochRecord::testTop5);
        String target = null;
        Double targetValue = null;
        if (documented != null && documented.value() != null) {
            targetValue = documented.value() * 100;
            target = String.format(Locale.ROOT, "documented %s %s %.2f%%", documented.split(),
                    "top1".equals(documented.metric()) ? "top-1" : "top-5", targetValue);
        }
        Optional<XYChart> chart = chart("Accuracy per epoch", "accuracy (%)", epochs, series, 100.0,
                target == null ? null : Map.entry(target, targetValue), false);
        chart.ifPresent(c -> {
            c.getStyler().setYAxisMax(100.0);
            c.getStyler().setLegendPosition(Styler.LegendPosition.InsideSE);
        });
        return chart;
    }

    /**
     * Several runs' top-1 per epoch, overlaid (as the scene note compares ResNet50/101/152): the validation split as
     * solid lines and, for runs that evaluated the test split after every epoch ({@code evaluation.perEpoch}), the
     * test split as dashed lines of the same colour, labelled "RUN – test". A run without either is left out, and
     * with none at all there is no chart.
     *
     * @param labels one legend entry per run, in the order of {@code runs}
     */
    public static Optional<XYChart> validationCurves(List<String> labels, List<List<EpochRecord>> runs) {
        if (labels.size() != runs.size()) {
            throw new IllegalArgumentException(labels.size() + " labels for " + runs.size() + " runs");
        }
        boolean anyValidation = runs.stream().flatMap(List::stream).anyMatch(e -> Double.isFinite(e.validationTop1()));
        boolean anyTest = runs.stream().flatMap(List::stream).anyMatch(e -> Double.isFinite(e.testTop1()));
        String title = anyValidation && anyTest ? "Top-1 per epoch: validation (solid), test split (dashed)"
                : anyTest ? "Test top-1 per epoch (test split, for the curves only)" : "Validation top-1 per epoch";
        String yTitle = anyValidation && anyTest ? "top-1 (%)" : anyTest ? "test top-1 (%)" : "validation top-1 (%)";
        XYChart chart = new XYChartBuilder().width(WIDTH).height(HEIGHT).title(title)
                .xAxisTitle("epoch").yAxisTitle(yTitle).build();
        Charts.style(chart.getStyler());
        chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideSE);
        chart.getStyler().setMarkerSize(6);
        Color[] colors = chart.getStyler().getSeriesColors();
        int[] range = {Integer.MAX_VALUE, Integer.MIN_VALUE};
        for (int r = 0; r < runs.size(); r++) {
            Color color = colors[r % colors.length];
            XYSeries validation = addCurve(chart, labels.get(r), runs.get(r), EpochRecord::validationTop1, range);
            if (validation != null) {
                validation.setLineColor(color);
                validation.setMarkerColor(color);
            }
            XYSeries test = addCurve(chart, anyValidation ? labels.get(r) + " – test" : labels.get(r), runs.get(r),
                    EpochRecord::testTop1, range);
            if (test != null) {
                test.setLineColor(color);
                test.setMarkerColor(color);
                if (anyValidation) {
                    test.setMarker(SeriesMarkers.DIAMOND);
                    test.setLineStyle(new BasicStroke(2.2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f,
                            new float[]{8f, 5f}, 0f));
                }
            }
        }
        int first = range[0];
        int last = range[1];
        if (first == Integer.MAX_VALUE) {
            return Optional.empty();
        }
        chart.getStyler().setXAxisMin(first == last ? first - 1.0 : first);
        chart.getStyler().setXAxisMax(first == last ? last + 1.0 : last);
        chart.getStyler().setXAxisDecimalPattern("0");
        chart.getStyler().setYAxisMin(0.0);
        chart.getStyler().setYAxisMax(100.0);
        return Optional.of(chart);
    }

    /** One run's curve of {@code metric} in percent; null (nothing added) when it has no value. */
    private static XYSeries addCurve(XYChart chart, String name, List<EpochRecord> epochs,
                                     ToDoubleFunction<EpochRecord> metric, int[] range) {
        List<Double> xs = new ArrayList<>();
        List<Double> ys = new ArrayList<>();
        for (EpochRecord e : epochs) {
            double y = metric.applyAsDouble(e);
            if (Double.isFinite(y)) {
                xs.add((double) e.epoch());
                ys.add(y * 100);
            }
        }
        if (xs.isEmpty()) {
            return null;
        }
        range[0] = Math.min(range[0], xs.get(0).intValue());
        range[1] = Math.max(range[1], xs.get(xs.size() - 1).intValue());
        XYSeries added = chart.addSeries(name, xs, ys);
        added.setMarker(SeriesMarkers.CIRCLE);
        added.setLineWidth(2.2f);
        return added;
    }

    /** Drawn on a log scale when the rate spans more than a factor of 10 (step schedules), else linear. */
    public static Optional<XYChart> learningRate(List<EpochRecord> epochs) {
        double min = Double.POSITIVE_INFINITY;
        double max = 0;
        for (EpochRecord e : epochs) {
            if (Double.isFinite(e.learningRate())) {
                min = Math.min(min, e.learningRate());
                max = Math.max(max, e.learningRate());
            }
        }
        boolean log = min > 0 && max / min > 10;
        boolean constant = min == max && min > 0;
        double top = max;
        Map<String, ToDoubleFunction<EpochRecord>> series = new LinkedHashMap<>();
        series.put("learning rate", EpochRecord::learningRate);
        Optional<XYChart> chart = chart("Learning rate per epoch", "learning rate" + (log ? " (log scale)" : ""),
                epochs, series, 1.0, null, log);
        chart.ifPresent(c -> {
            // Plain decimals (0.001) read better than XChart's default for small rates; a log axis needs exponents.
            c.getStyler().setYAxisDecimalPattern(log ? "0.#E0" : "0.######");
            c.getStyler().setLegendVisible(false);
            if (!log && constant) {
                // A constant rate would give XChart a zero-height axis: give it room around the value.
                c.getStyler().setYAxisMin(0.0);
                c.getStyler().setYAxisMax(top * 2);
            }
        });
        return chart;
    }

    /**
     * Writes loss.png, accuracy.png and learning-rate.png into {@code directory}, each only when it has data.
     *
     * @return the files written
     */
    public static List<Path> writeAll(List<EpochRecord> epochs, DocumentedResult documented, Path directory)
            throws IOException {
        List<Path> written = new ArrayList<>();
        write(loss(epochs), directory.resolve(LOSS_PNG), written);
        write(accuracy(epochs, documented), directory.resolve(ACCURACY_PNG), written);
        write(learningRate(epochs), directory.resolve(LEARNING_RATE_PNG), written);
        return written;
    }

    private static void write(Optional<XYChart> chart, Path file, List<Path> written) throws IOException {
        if (chart.isPresent()) {
            Charts.writePng(chart.get(), file);
            written.add(file);
        }
    }

    private static Optional<XYChart> chart(String title, String yTitle, List<EpochRecord> epochs,
                                           Map<String, ToDoubleFunction<EpochRecord>> series, double scale,
                                           Map.Entry<String, Double> target, boolean logY) {
        XYChart chart = new XYChartBuilder().width(WIDTH).height(HEIGHT).title(title)
                .xAxisTitle("epoch").yAxisTitle(yTitle).build();
        Charts.style(chart.getStyler());
        chart.getStyler().setLegendPosition(Styler.LegendPosition.InsideNE);
        chart.getStyler().setMarkerSize(7);
        chart.getStyler().setYAxisLogarithmic(logY);
        int firstEpoch = Integer.MAX_VALUE;
        int lastEpoch = Integer.MIN_VALUE;
        int drawn = 0;
        for (Map.Entry<String, ToDoubleFunction<EpochRecord>> s : series.entrySet()) {
            List<Double> xs = new ArrayList<>();
            List<Double> ys = new ArrayList<>();
            for (EpochRecord e : epochs) {
                double y = s.getValue().applyAsDouble(e);
                if (Double.isFinite(y) && (!logY || y > 0)) {
                    xs.add((double) e.epoch());
                    ys.add(y * scale);
                }
            }
            if (xs.isEmpty()) {
                continue;
            }
            firstEpoch = Math.min(firstEpoch, xs.get(0).intValue());
            lastEpoch = Math.max(lastEpoch, xs.get(xs.size() - 1).intValue());
            XYSeries added = chart.addSeries(s.getKey(), xs, ys);
            added.setMarker(SeriesMarkers.CIRCLE);
            added.setLineWidth(2.2f);
            drawn++;
        }
        if (drawn == 0) {
            return Optional.empty();
        }
        // One epoch would give a zero-width axis: widen it so the single point sits in the middle.
        double xMin = firstEpoch == lastEpoch ? firstEpoch - 1 : firstEpoch;
        double xMax = firstEpoch == lastEpoch ? lastEpoch + 1 : lastEpoch;
        chart.getStyler().setXAxisMin(xMin);
        chart.getStyler().setXAxisMax(xMax);
        chart.getStyler().setXAxisDecimalPattern("0");
        if (lastEpoch - firstEpoch < 10) {
            // Few epochs: integer ticks only (XChart would otherwise place ticks at 1.5, 2.5, ...).
            chart.getStyler().setXAxisTickMarkSpacingHint(Math.max(40, (WIDTH - 150) / Math.max(1, (int) (xMax - xMin))));
        }
        if (target != null) {
            XYSeries line = chart.addSeries(target.getKey(), new double[]{xMin, xMax},
                    new double[]{target.getValue(), target.getValue()});
            line.setMarker(SeriesMarkers.NONE);
            line.setLineColor(Color.DARK_GRAY);
            line.setLineStyle(new BasicStroke(1.8f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f,
                    new float[]{8f, 6f}, 0f));
        }
        return Optional.of(chart);
    }
}
