package io.github.dl4jclassics.evaluation.charts;

import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * Pictures drawn with Java2D: the first convolution layer's filters as a grid of small RGB images (AlexNet paper,
 * Figure 3) and a grid of training images as the network sees them after augmentation.
 */
public final class ImageGrid {

    public static final String CONV1_FILTERS_PNG = "conv1-filters.png";
    public static final String BATCH_PREVIEW_PNG = "batch-preview.png";

    private static final Color BACKGROUND = Color.WHITE;
    private static final int GAP = 3;
    private static final int MARGIN = 10;
    private static final int TITLE_HEIGHT = 28;

    static {
        Charts.headless();
    }

    private ImageGrid() {
    }

    /**
     * One tile per output channel of a convolution with 3 input channels, each filter scaled to 0..255 by its own
     * minimum and maximum (as the paper's figure does), enlarged by nearest neighbour so small kernels are visible.
     *
     * @param weights DL4J's convolution weights, {@code [out][3][kh][kw]} flattened in C order
     */
    public static BufferedImage conv1Filters(float[] weights, int out, int kh, int kw, String title) {
        int in = 3;
        if (weights.length != out * in * kh * kw) {
            throw new IllegalArgumentException("conv1 weights have " + weights.length + " values, expected " + out
                    + "x3x" + kh + "x" + kw + " = " + out * in * kh * kw);
        }
        int columns = Math.max(1, (int) Math.ceil(Math.sqrt(out * 2.0)));
        int rows = (out + columns - 1) / columns;
        int scale = Math.max(2, 48 / Math.max(kh, kw));
        int tileW = kw * scale;
        int tileH = kh * scale;
        BufferedImage image = canvas(columns * (tileW + GAP) - GAP, rows * (tileH + GAP) - GAP, title);
        int plane = kh * kw;
        for (int o = 0; o < out; o++) {
            int base = o * in * plane;
            float min = Float.POSITIVE_INFINITY;
            float max = Float.NEGATIVE_INFINITY;
            for (int i = base; i < base + in * plane; i++) {
                min = Math.min(min, weights[i]);
                max = Math.max(max, weights[i]);
            }
            float range = max > min ? max - min : 1f;
            int x0 = MARGIN + (o % columns) * (tileW + GAP);
            int y0 = MARGIN + TITLE_HEIGHT + (o / columns) * (tileH + GAP);
            for (int y = 0; y < kh; y++) {
                for (int x = 0; x < kw; x++) {
                    int rgb = 0;
                    for (int c = 0; c < in; c++) {
                        int v = Math.round(255f * (weights[base + c * plane + y * kw + x] - min) / range);
                        rgb = (rgb << 8) | clamp(v);
                    }
                    fill(image, x0 + x * scale, y0 + y * scale, scale, rgb);
                }
            }
        }
        return image;
    }

    /**
     * A grid of images (0..255 values, {@code [n][channels][h][w]} in C order; 1 or 3 channels) with a caption
     * under each, enlarged by nearest neighbour to at least 64 pixels, or thinned to at most 128.
     */
    public static BufferedImage images(float[] pixels, int n, int channels, int h, int w, List<String> captions,
                                       String title) {
        if (channels != 1 && channels != 3) {
            throw new IllegalArgumentException("a preview needs 1 or 3 channels, got " + channels);
        }
        if (pixels.length < n * channels * h * w) {
            throw new IllegalArgumentException("preview has " + pixels.length + " values for " + n + " images of "
                    + channels + "x" + h + "x" + w);
        }
        int columns = Math.min(8, Math.max(1, n));
        int rows = (n + columns - 1) / columns;
        int scale = Math.max(1, (int) Math.ceil(64.0 / Math.max(h, w)));
        // Large images (224 and up) are shown at most 128 pixels wide, by keeping every step-th pixel.
        int step = Math.max(1, (int) Math.ceil(Math.max(h, w) / 128.0));
        int shownH = (h + step - 1) / step;
        int shownW = (w + step - 1) / step;
        int tileW = Math.max(shownW * scale, 72);
        int tileH = shownH * scale;
        int captionHeight = captions == null ? 0 : 16;
        BufferedImage image = canvas(columns * (tileW + GAP) - GAP, rows * (tileH + captionHeight + GAP) - GAP, title);
        Graphics2D g = image.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
        g.setColor(Color.DARK_GRAY);
        FontMetrics metrics = g.getFontMetrics();
        int plane = h * w;
        for (int i = 0; i < n; i++) {
            int x0 = MARGIN + (i % columns) * (tileW + GAP) + (tileW - shownW * scale) / 2;
            int y0 = MARGIN + TITLE_HEIGHT + (i / columns) * (tileH + captionHeight + GAP);
            int base = i * channels * plane;
            for (int y = 0; y < shownH; y++) {
                for (int x = 0; x < shownW; x++) {
                    int rgb = 0;
                    for (int c = 0; c < 3; c++) {
                        int channel = channels == 1 ? 0 : c;
                        rgb = (rgb << 8) | clamp(Math.round(pixels[base + channel * plane + y * step * w + x * step]));
                    }
                    fill(image, x0 + x * scale, y0 + y * scale, scale, rgb);
                }
            }
            if (captions != null && i < captions.size()) {
                String caption = captions.get(i);
                while (metrics.stringWidth(caption) > tileW && caption.length() > 3) {
                    caption = caption.substring(0, caption.length() - 2) + "…";
                }
                int cx = MARGIN + (i % columns) * (tileW + GAP) + (tileW - metrics.stringWidth(caption)) / 2;
                g.drawString(caption, cx, y0 + tileH + 12);
            }
        }
        g.dispose();
        return image;
    }

    public static void write(BufferedImage image, Path file) throws IOException {
        Charts.writePng(image, file);
    }

    private static final Font TITLE_FONT = new Font(Font.SANS_SERIF, Font.BOLD, 14);

    private static BufferedImage canvas(int width, int height, String title) {
        // Wide enough for the grid and for the whole title.
        BufferedImage probe = new BufferedImage(1, 1, BufferedImage.TYPE_INT_RGB);
        Graphics2D measure = probe.createGraphics();
        int titleWidth = title == null ? 0 : measure.getFontMetrics(TITLE_FONT).stringWidth(title);
        measure.dispose();
        int fullW = Math.max(Math.max(width, titleWidth) + 2 * MARGIN, 320);
        BufferedImage image = new BufferedImage(fullW, height + 2 * MARGIN + TITLE_HEIGHT, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setColor(BACKGROUND);
        g.fillRect(0, 0, image.getWidth(), image.getHeight());
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(Color.BLACK);
        g.setFont(TITLE_FONT);
        g.drawString(title == null ? "" : title, MARGIN, MARGIN + 16);
        g.dispose();
        return image;
    }

    private static void fill(BufferedImage image, int x0, int y0, int scale, int rgb) {
        for (int dy = 0; dy < scale; dy++) {
            for (int dx = 0; dx < scale; dx++) {
                int x = x0 + dx;
                int y = y0 + dy;
                if (x < image.getWidth() && y < image.getHeight()) {
                    image.setRGB(x, y, rgb);
                }
            }
        }
    }

    private static int clamp(int v) {
        return Math.max(0, Math.min(255, v));
    }
}
