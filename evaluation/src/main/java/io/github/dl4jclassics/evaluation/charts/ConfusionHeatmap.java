package io.github.dl4jclassics.evaluation.charts;

import io.github.dl4jclassics.evaluation.SplitMetrics;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.AffineTransform;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * The confusion matrix as a heatmap: true classes down the left, predicted classes along the bottom, the count in
 * every cell, the cell's colour its share of the true class's row (so a rare class is as readable as a common one),
 * and each class's recall beside its row.
 *
 * <p>Drawn with Java2D rather than XChart's HeatMapChart: that chart colours each cell by the very number it prints,
 * so it cannot print counts while colouring by the row-normalised fraction. With many classes (CIFAR-100) the cells
 * get small and the counts are left out; the colours and class names stay.
 */
public final class ConfusionHeatmap {

    /** The colour scale (ColorBrewer "Blues"), from 0 to 1 of a row. */
    private static final Color[] SCALE = {
            new Color(0xf7fbff), new Color(0xdeebf7), new Color(0xc6dbef), new Color(0x9ecae1), new Color(0x6baed6),
            new Color(0x4292c6), new Color(0x2171b5), new Color(0x08519c), new Color(0x08306b)};
    private static final int GRID_TARGET = 620;
    private static final int MIN_CELL = 8;
    private static final int MAX_CELL = 64;
    private static final int MIN_COUNT_FONT = 8;

    static {
        Charts.headless();
    }

    private ConfusionHeatmap() {
    }

    /** The file name of a split's heatmap, e.g. {@code confusion-test.png}. */
    public static String fileName(String split) {
        return "confusion-" + split + ".png";
    }

    public static void write(SplitMetrics metrics, String title, Path file) throws IOException {
        Charts.writePng(render(metrics, title), file);
    }

    public static BufferedImage render(SplitMetrics metrics, String title) {
        List<String> classes = metrics.classes();
        long[][] counts = metrics.confusionMatrix();
        int n = classes.size();
        if (counts == null || counts.length != n) {
            throw new IllegalArgumentException("confusion matrix has " + (counts == null ? "no" : counts.length)
                    + " rows but there are " + n + " class names");
        }
        if (n == 0) {
            throw new IllegalArgumentException("cannot draw a confusion matrix of zero classes");
        }
        double[][] fractions = SplitMetrics.rowNormalized(counts);
        long[] support = new long[n];
        for (int t = 0; t < n; t++) {
            for (long c : counts[t]) {
                support[t] += c;
            }
        }

        int cell = Math.max(MIN_CELL, Math.min(MAX_CELL, GRID_TARGET / n));
        Font labelFont = new Font(Font.SANS_SERIF, Font.PLAIN, Math.max(7, Math.min(14, (int) (cell * 0.75))));
        Font titleFont = new Font(Font.SANS_SERIF, Font.BOLD, 17);
        Font axisFont = new Font(Font.SANS_SERIF, Font.BOLD, 14);
        Font smallFont = new Font(Font.SANS_SERIF, Font.PLAIN, 12);

        // Measure with a scratch image: the margins depend on the longest class name and largest count.
        Graphics2D measure = new BufferedImage(1, 1, BufferedImage.TYPE_INT_RGB).createGraphics();
        FontMetrics labelMetrics = measure.getFontMetrics(labelFont);
        int longestLabel = 0;
        for (String name : classes) {
            longestLabel = Math.max(longestLabel, labelMetrics.stringWidth(name));
        }
        long largest = 0;
        for (long[] row : counts) {
            for (long c : row) {
                largest = Math.max(largest, c);
            }
        }
        Font countFont = null;
        for (int size = Math.min(15, (int) (cell * 0.42)); size >= MIN_COUNT_FONT; size--) {
            Font candidate = new Font(Font.SANS_SERIF, Font.PLAIN, size);
            if (measure.getFontMetrics(candidate).stringWidth(Long.toString(largest)) <= cell - 4) {
                countFont = candidate;
                break;
            }
        }
        measure.dispose();

        boolean showRecall = cell >= 14;
        int left = 30 + longestLabel + 12;
        int top = 70;
        int grid = n * cell;
        int recallWidth = showRecall ? 64 : 0;
        int barX = left + grid + recallWidth + 24;
        int width = barX + 20 + 60;
        double diagonal = Math.sqrt(0.5);
        int bottom = (int) (longestLabel * diagonal + labelMetrics.getAscent() * diagonal) + 56;
        int height = top + grid + bottom;
        width = Math.max(width, 520);

        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, width, height);

        g.setColor(Color.BLACK);
        g.setFont(titleFont);
        g.drawString(title, Math.max(10, (width - g.getFontMetrics().stringWidth(title)) / 2), 30);
        g.setFont(smallFont);
        String subtitle = "cell colour: share of the true class (row); number: count of images";
        g.setColor(Color.DARK_GRAY);
        g.drawString(subtitle, Math.max(10, (width - g.getFontMetrics().stringWidth(subtitle)) / 2), 50);

        for (int t = 0; t < n; t++) {
            for (int p = 0; p < n; p++) {
                int x = left + p * cell;
                int y = top + t * cell;
                double v = fractions[t][p];
                g.setColor(colour(v));
                g.fillRect(x, y, cell, cell);
                if (countFont != null) {
                    g.setFont(countFont);
                    FontMetrics fm = g.getFontMetrics();
                    String text = Long.toString(counts[t][p]);
                    g.setColor(counts[t][p] == 0 ? new Color(0xb0b0b0) : v > 0.5 ? Color.WHITE : Color.BLACK);
                    g.drawString(text, x + (cell - fm.stringWidth(text)) / 2, y + (cell + fm.getAscent() - fm.getDescent()) / 2);
                }
            }
        }
        g.setColor(new Color(0x999999));
        g.setStroke(new BasicStroke(1f));
        g.drawRect(left, top, grid, grid);
        // The diagonal (correct predictions) outlined so it stands out even where a row is mostly confused.
        if (cell >= 14) {
            g.setColor(new Color(0x333333));
            for (int c = 0; c < n; c++) {
                g.drawRect(left + c * cell, top + c * cell, cell, cell);
            }
        }

        // True class names, right-aligned against the grid.
        g.setFont(labelFont);
        g.setColor(Color.BLACK);
        FontMetrics fm = g.getFontMetrics();
        for (int t = 0; t < n; t++) {
            String name = classes.get(t);
            g.drawString(name, left - 8 - fm.stringWidth(name), top + t * cell + (cell + fm.getAscent() - fm.getDescent()) / 2);
        }
        // Predicted class names at 45 degrees, ending under their column.
        for (int p = 0; p < n; p++) {
            String name = classes.get(p);
            AffineTransform saved = g.getTransform();
            g.translate(left + p * cell + cell / 2.0 + fm.getAscent() / 3.0, top + grid + 8);
            g.rotate(-Math.PI / 4);
            g.drawString(name, -fm.stringWidth(name), 0);
            g.setTransform(saved);
        }
        if (showRecall) {
            g.setFont(smallFont);
            FontMetrics sm = g.getFontMetrics();
            g.setColor(Color.DARK_GRAY);
            g.drawString("recall", left + grid + 8, top - 8);
            for (int t = 0; t < n; t++) {
                String text = support[t] == 0 ? "n/a" : String.format(Locale.ROOT, "%.1f%%", 100.0 * counts[t][t] / support[t]);
                g.drawString(text, left + grid + 8, top + t * cell + (cell + sm.getAscent() - sm.getDescent()) / 2);
            }
        }

        // Axis titles.
        g.setFont(axisFont);
        g.setColor(Color.BLACK);
        FontMetrics am = g.getFontMetrics();
        String xTitle = "predicted class";
        g.drawString(xTitle, left + (grid - am.stringWidth(xTitle)) / 2, height - 14);
        AffineTransform saved = g.getTransform();
        g.translate(18, top + grid / 2.0 + am.stringWidth("true class") / 2.0);
        g.rotate(-Math.PI / 2);
        g.drawString("true class", 0, 0);
        g.setTransform(saved);

        // Colour bar from 0 % (bottom) to 100 % (top).
        int barHeight = Math.max(120, Math.min(grid, 320));
        for (int i = 0; i < barHeight; i++) {
            g.setColor(colour(1.0 - (double) i / (barHeight - 1)));
            g.fillRect(barX, top + i, 20, 1);
        }
        g.setColor(new Color(0x999999));
        g.drawRect(barX, top, 20, barHeight);
        g.setFont(smallFont);
        g.setColor(Color.DARK_GRAY);
        for (int pct = 0; pct <= 100; pct += 25) {
            int y = top + (int) Math.round((1 - pct / 100.0) * (barHeight - 1));
            g.drawLine(barX + 20, y, barX + 24, y);
            g.drawString(pct + "%", barX + 27, y + 4);
        }
        g.dispose();
        return image;
    }

    /** The colour of a row share in 0..1, interpolated between the scale's stops. */
    static Color colour(double value) {
        double v = Double.isNaN(value) ? 0 : Math.max(0, Math.min(1, value)) * (SCALE.length - 1);
        int i = Math.min(SCALE.length - 2, (int) Math.floor(v));
        double f = v - i;
        Color a = SCALE[i];
        Color b = SCALE[i + 1];
        return new Color((int) Math.round(a.getRed() + f * (b.getRed() - a.getRed())),
                (int) Math.round(a.getGreen() + f * (b.getGreen() - a.getGreen())),
                (int) Math.round(a.getBlue() + f * (b.getBlue() - a.getBlue())));
    }
}
