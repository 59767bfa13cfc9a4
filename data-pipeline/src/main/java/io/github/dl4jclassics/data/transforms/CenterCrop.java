package io.github.dl4jclassics.data.transforms;

import io.github.dl4jclassics.common.InputShape;
import java.util.Random;

/** The central {@code size x size} window; the evaluation counterpart of {@link RandomCrop} with a size. */
public record CenterCrop(int size) implements BatchTransform {

    public CenterCrop {
        if (size < 1) {
            throw new IllegalArgumentException("center-crop.size must be positive, got " + size);
        }
    }

    @Override
    public int order() {
        return ORDER_RANDOM_CROP;
    }

    @Override
    public boolean augmentation() {
        return false;
    }

    @Override
    public InputShape outputShape(InputShape input) {
        if (size > input.height() || size > input.width()) {
            throw new IllegalArgumentException("center-crop.size " + size + " is larger than the image " + input);
        }
        return new InputShape(input.channels(), size, size);
    }

    @Override
    public void apply(Batch batch, Random random) {
        InputShape in = batch.shape();
        InputShape out = outputShape(in);
        if (in.equals(out)) {
            return;
        }
        float[] target = new float[batch.count() * out.size()];
        int top = (in.height() - size) / 2;
        int left = (in.width() - size) / 2;
        for (int n = 0; n < batch.count(); n++) {
            RandomCrop.copyWindow(batch.features(), n * in.size(), in.channels(), in.height(), in.width(),
                    target, n * out.size(), size, size, top, left);
        }
        batch.replaceFeatures(target, out);
    }
}
