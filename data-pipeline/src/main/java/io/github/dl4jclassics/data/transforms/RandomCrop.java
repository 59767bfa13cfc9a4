package io.github.dl4jclassics.data.transforms;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.github.dl4jclassics.common.InputShape;
import java.util.Random;

/**
 * Pads each image with {@code padding} zero pixels on every side, then takes a random {@code size x size}
 * window (torchvision {@code RandomCrop(size, padding)}); training only. Without {@code size} the crop keeps
 * the input size (the CIFAR recipe: pad 4, crop 32). Evaluation uses the centre crop of the same size.
 *
 * @param size    crop side; optional (input size)
 * @param padding zero pixels added on each side before cropping; default 0
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record RandomCrop(Integer size, int padding) implements BatchTransform {

    public RandomCrop {
        if (size != null && size < 1) {
            throw new IllegalArgumentException("random-crop.size must be positive, got " + size);
        }
        if (padding < 0) {
            throw new IllegalArgumentException("random-crop.padding must be 0 or more, got " + padding);
        }
    }

    @Override
    public int order() {
        return ORDER_RANDOM_CROP;
    }

    @Override
    public boolean augmentation() {
        return true;
    }

    @Override
    public InputShape outputShape(InputShape input) {
        if (size == null) {
            return input;
        }
        if (size > input.height() + 2 * padding || size > input.width() + 2 * padding) {
            throw new IllegalArgumentException("random-crop.size " + size + " is larger than the padded image ("
                    + input + " with padding " + padding + ")");
        }
        return new InputShape(input.channels(), size, size);
    }

    @Override
    public BatchTransform forEvaluation() {
        return size == null ? null : new CenterCrop(size);
    }

    @Override
    public void apply(Batch batch, Random random) {
        InputShape in = batch.shape();
        InputShape out = outputShape(in);
        int channels = in.channels();
        int inH = in.height();
        int inW = in.width();
        int outH = out.height();
        int outW = out.width();
        float[] source = batch.features();
        float[] target = new float[batch.count() * out.size()];
        for (int n = 0; n < batch.count(); n++) {
            // Window origin in padded coordinates; source pixel = padded - padding, zero outside the image.
            int top = random.nextInt(inH + 2 * padding - outH + 1) - padding;
            int left = random.nextInt(inW + 2 * padding - outW + 1) - padding;
            copyWindow(source, n * in.size(), channels, inH, inW, target, n * out.size(), outH, outW, top, left);
        }
        batch.replaceFeatures(target, out);
    }

    /** Copies the window at (top, left) (may reach outside the image, which reads as 0). */
    static void copyWindow(float[] source, int srcOff, int channels, int inH, int inW,
                           float[] target, int dstOff, int outH, int outW, int top, int left) {
        int x0 = Math.max(0, -left);
        int x1 = Math.min(outW, inW - left);
        for (int c = 0; c < channels; c++) {
            for (int y = 0; y < outH; y++) {
                int sy = y + top;
                if (sy < 0 || sy >= inH || x1 <= x0) {
                    continue; // target is zero-initialised
                }
                System.arraycopy(source, srcOff + (c * inH + sy) * inW + left + x0,
                        target, dstOff + (c * outH + y) * outW + x0, x1 - x0);
            }
        }
    }
}
