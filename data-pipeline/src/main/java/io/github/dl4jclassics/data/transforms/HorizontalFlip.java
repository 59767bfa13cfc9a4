package io.github.dl4jclassics.data.transforms;

import java.util.Random;

/**
 * Mirrors each image left-right with probability {@code p} (training only). Written on arrays because
 * DataVec's {@code FlipImageTransform()} flips vertically and works on decoded image objects.
 */
public record HorizontalFlip(double p) implements BatchTransform {

    public HorizontalFlip {
        if (!(p >= 0 && p <= 1)) {
            throw new IllegalArgumentException("horizontal-flip.p must be in [0, 1], got " + p);
        }
    }

    @Override
    public int order() {
        return ORDER_FLIP;
    }

    @Override
    public boolean augmentation() {
        return true;
    }

    @Override
    public void apply(Batch batch, Random random) {
        float[] x = batch.features();
        int channels = batch.shape().channels();
        int height = batch.shape().height();
        int width = batch.shape().width();
        for (int n = 0; n < batch.count(); n++) {
            if (random.nextDouble() >= p) {
                continue;
            }
            for (int c = 0; c < channels; c++) {
                for (int y = 0; y < height; y++) {
                    int row = ((n * channels + c) * height + y) * width;
                    for (int left = 0, right = width - 1; left < right; left++, right--) {
                        float tmp = x[row + left];
                        x[row + left] = x[row + right];
                        x[row + right] = tmp;
                    }
                }
            }
        }
    }
}
