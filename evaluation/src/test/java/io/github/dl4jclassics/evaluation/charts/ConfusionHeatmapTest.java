package io.github.dl4jclassics.evaluation.charts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.github.dl4jclassics.evaluation.SplitMetrics;
import java.awt.Color;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.IntStream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfusionHeatmapTest {

    @TempDir
    Path tmp;

    private static SplitMetrics metrics(int n, long diagonal, long offDiagonal) {
        long[][] m = new long[n][n];
        for (int t = 0; t < n; t++) {
            for (int p = 0; p < n; p++) {
                m[t][p] = t == p ? diagonal : offDiagonal;
            }
        }
        List<String> names = IntStream.range(0, n).mapToObj(i -> "class-" + i).toList();
        return new SplitMetrics(1, 0, 0, 5, 0.0, 0, names, new double[n], new double[n], new double[n], null, null, m);
    }

    @Test
    void writesADecodablePngWithDarkDiagonalAndLightOffDiagonal() throws Exception {
        Path png = tmp.resolve("confusion-test.png");
        ConfusionHeatmap.write(metrics(10, 90, 1), "test", png);
        BufferedImage image = ImageIO.read(png.toFile());
        assertThat(image).isNotNull();
        assertThat(Files.size(png)).isBetween(10_000L, 1_000_000L);
        assertThat(image.getWidth()).isBetween(600, 1400);
        // Sample a few darkest/lightest pixels: a diagonal share of 90/99 must be drawn far darker than 1/99.
        assertThat(brightness(ConfusionHeatmap.colour(90 / 99.0))).isLessThan(100);
        assertThat(brightness(ConfusionHeatmap.colour(1 / 99.0))).isGreaterThan(230);
        long dark = 0;
        for (int x = 0; x < image.getWidth(); x++) {
            for (int y = 0; y < image.getHeight(); y++) {
                if (brightness(new Color(image.getRGB(x, y))) < 100) {
                    dark++;
                }
            }
        }
        assertThat(dark).as("ten dark diagonal cells are drawn").isGreaterThan(10 * 30 * 30);
    }

    @Test
    void manyClassesStillRenderWithoutCounts() throws Exception {
        Path png = tmp.resolve("c100.png");
        ConfusionHeatmap.write(metrics(100, 50, 0), "CIFAR-100", png);
        BufferedImage image = ImageIO.read(png.toFile());
        assertThat(image).isNotNull();
        assertThat(image.getWidth()).isBetween(800, 2000);
        assertThat(image.getHeight()).isBetween(800, 2000);
    }

    @Test
    void rejectsAMatrixThatDoesNotMatchTheClasses() {
        SplitMetrics bad = new SplitMetrics(1, 0, 0, 5, 0.0, 0, List.of("a", "b", "c"), new double[3], new double[3],
                new double[3], null, null, new long[][]{{1, 0}, {0, 1}});
        assertThatThrownBy(() -> ConfusionHeatmap.render(bad, "x")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("2 rows but there are 3 class names");
    }

    private static int brightness(Color c) {
        return (c.getRed() + c.getGreen() + c.getBlue()) / 3;
    }
}
