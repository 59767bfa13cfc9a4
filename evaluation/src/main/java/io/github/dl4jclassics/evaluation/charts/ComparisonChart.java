package io.github.dl4jclassics.evaluation.charts;

import java.util.List;
import java.util.Map;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.CategorySeries;
import org.knowm.xchart.style.Styler;

/**
 * Grouped bar charts of several runs side by side: the headline accuracies per run, and the per-class test accuracy
 * per class with one bar per run. Values are percentages; a missing value (NaN) is drawn as a zero-height bar.
 */
public final class ComparisonChart {

    public static final int WIDTH = 1000;
    public static final int HEIGHT = 560;

    static {
        Charts.headless();
    }

    private ComparisonChart() {
    }

    /**
     * @param categories the x-axis groups (run labels, or class names)
     * @param series     series name → one percentage per category (NaN when missing)
     */
    public static CategoryChart bars(String title, String xTitle, List<String> categories, Map<String, double[]> series) {
        if (categories.isEmpty() || series.isEmpty()) {
            throw new IllegalArgumentException("a comparison chart needs at least one category and one series, got "
                    + categories.size() + " and " + series.size());
        }
        CategoryChart chart = new CategoryChartBuilder().width(WIDTH).height(HEIGHT).title(title)
                .xAxisTitle(xTitle).yAxisTitle("accuracy (%)").build();
        Charts.style(chart.getStyler());
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideS);
        chart.getStyler().setLegendLayout(Styler.LegendLayout.Horizontal);
        chart.getStyler().setYAxisMin(0.0);
        chart.getStyler().setYAxisMax(100.0);
        chart.getStyler().setYAxisDecimalPattern("0");
        // No value labels on the bars: XChart 3.8 silently drops some of them (where they would touch), and a chart
        // with some values missing misleads; the exact numbers are in the comparison table.
        chart.getStyler().setLabelsVisible(false);
        int longest = categories.stream().mapToInt(String::length).max().orElse(0);
        if (longest * categories.size() > 110) {
            chart.getStyler().setXAxisLabelRotation(30);
        }
        for (Map.Entry<String, double[]> s : series.entrySet()) {
            double[] values = s.getValue();
            if (values.length != categories.size()) {
                throw new IllegalArgumentException("series '" + s.getKey() + "' has " + values.length
                        + " values for " + categories.size() + " categories");
            }
            Double[] boxed = new Double[values.length];
            for (int i = 0; i < values.length; i++) {
                boxed[i] = Double.isFinite(values[i]) ? values[i] : 0.0;
            }
            CategorySeries added = chart.addSeries(s.getKey(), categories, List.of(boxed));
            added.setChartCategorySeriesRenderStyle(CategorySeries.CategorySeriesRenderStyle.Bar);
        }
        return chart;
    }
}
