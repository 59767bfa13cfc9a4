package io.github.dl4jclassics.evaluation.charts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageGridTest {

    @TempDir
    Path tmp;

    @Test
    void conv1FiltersAreTilesScaledToTheirOwnRange() throws Exception {
        // Two 2x2 filters: filter 0 is pure red at pixel (0,0) and zero elsewhere; filter 1 is constant.
        int out = 2;
        int k = 2;
        float[] w = new float[out * 3 * k * k];
        w[0] = 5f; // filter 0, channel R, (0,0)
        for (int i = 12; i < 24; i++) {
            w[i] = 0.3f;
        }
        BufferedImage image = ImageGrid.conv1Filters(w, out, k, k, "test");
        Path file = tmp.resolve(ImageGrid.CONV1_FILTERS_PNG);
        ImageGrid.write(image, file);
        BufferedImage back = ImageIO.read(file.toFile());
        assertThat(back.getWidth()).isEqualTo(image.getWidth());
        int scale = 48 / k;
        int x0 = 10;
        int y0 = 10 + 28;
        assertThat(back.getRGB(x0 + 1, y0 + 1) & 0xFFFFFF).as("max of filter 0 in red").isEqualTo(0xFF0000);
        assertThat(back.getRGB(x0 + scale + 1, y0 + 1) & 0xFFFFFF).as("min of filter 0").isEqualTo(0x000000);
        assertThatThrownBy(() -> ImageGrid.conv1Filters(new float[5], 2, 2, 2, "x")).hasMessageContaining("expected 2x3x2x2");
    }

    @Test
    void imagesAreDrawnWithTheirColoursAndCaptions() throws Exception {
        float[] pixels = new float[2 * 3 * 4 * 4];
        for (int i = 0; i < 16; i++) {
            pixels[16 + i] = 255f; // image 0: green
            pixels[48 + 32 + i] = 300f; // image 1: blue, clamped to 255
        }
        BufferedImage image = ImageGrid.images(pixels, 2, 3, 4, 4, List.of("grass", "sky"), "preview");
        Path file = tmp.resolve(ImageGrid.BATCH_PREVIEW_PNG);
        ImageGrid.write(image, file);
        BufferedImage back = ImageIO.read(file.toFile());
        int scale = 16; // 64 / 4
        int tile = 72; // at least 72 wide for captions
        int x0 = 10 + (tile - 4 * scale) / 2;
        int y0 = 10 + 28;
        assertThat(back.getRGB(x0 + 5, y0 + 5) & 0xFFFFFF).isEqualTo(0x00FF00);
        assertThat(back.getRGB(10 + tile + 3 + (tile - 4 * scale) / 2 + 5, y0 + 5) & 0xFFFFFF).isEqualTo(0x0000FF);
        assertThatThrownBy(() -> ImageGrid.images(pixels, 2, 2, 4, 4, null, "x")).hasMessageContaining("1 or 3 channels");
        // 224x224 images are thinned to 112 pixels (every 2nd), so a grid of 8 stays under 1,100 pixels wide.
        BufferedImage large = ImageGrid.images(new float[8 * 3 * 224 * 224], 8, 3, 224, 224, null, "large");
        assertThat(large.getWidth()).isEqualTo(2 * 10 + 8 * 112 + 7 * 3);
    }
}
