package io.github.dl4jclassics.evaluation.charts;

import io.github.dl4jclassics.common.AtomicFiles;
import java.awt.Color;
import java.awt.Font;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.internal.chartpart.Chart;
import org.knowm.xchart.style.Styler;

/** Shared rendering of the PNG charts: headless AWT, one look, atomic PNG writes. */
public final class Charts {

    /** The colours of the series, in order (Tableau 10: distinguishable, also in greyscale print). */
    public static final Color[] PALETTE = {
            new Color(0x1f77b4), new Color(0xff7f0e), new Color(0x2ca02c), new Color(0xd62728),
            new Color(0x9467bd), new Color(0x8c564b), new Color(0xe377c2), new Color(0x7f7f7f),
            new Color(0xbcbd22), new Color(0x17becf)};

    static {
        headless();
    }

    private Charts() {
    }

    /**
     * Charts are drawn on servers and in CI without a display: unless the caller decided otherwise, AWT must run
     * headless, and that has to be set before the first AWT class initialises.
     */
    public static void headless() {
        if (System.getProperty("java.awt.headless") == null) {
            System.setProperty("java.awt.headless", "true");
        }
    }

    /** The common styling of every XChart chart of the project. */
    static void style(Styler styler) {
        styler.setChartBackgroundColor(Color.WHITE);
        styler.setPlotBackgroundColor(Color.WHITE);
        styler.setPlotBorderVisible(true);
        styler.setPlotBorderColor(new Color(0xcccccc));
        styler.setChartTitleBoxVisible(false);
        styler.setChartTitleFont(new Font(Font.SANS_SERIF, Font.BOLD, 16));
        styler.setLegendFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
        styler.setLegendBorderColor(new Color(0xcccccc));
        styler.setSeriesColors(PALETTE);
        styler.setAntiAlias(true);
    }

    public static BufferedImage render(Chart<?, ?> chart) {
        return BitmapEncoder.getBufferedImage(chart);
    }

    /** Writes {@code image} as a PNG to {@code file} atomically. */
    public static void writePng(BufferedImage image, Path file) throws IOException {
        AtomicFiles.write(file, temporary -> {
            if (!ImageIO.write(image, "png", temporary.toFile())) {
                throw new IOException("no PNG writer available for " + file);
            }
        });
    }

    public static void writePng(Chart<?, ?> chart, Path file) throws IOException {
        writePng(render(chart), file);
    }
}
