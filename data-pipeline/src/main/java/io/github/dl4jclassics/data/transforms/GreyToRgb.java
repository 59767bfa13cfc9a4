package io.github.dl4jclassics.data.transforms;

import io.github.dl4jclassics.common.InputShape;
import java.util.Random;

/** Repeats a single grey channel three times, for models built for RGB input. */
public record GreyToRgb() implements BatchTransform {

    @Override
    public int order() {
        return ORDER_GREY_TO_RGB;
    }

    @Override
    public boolean augmentation() {
        return false;
    }

    @Override
    public InputShape outputShape(InputShape input) {
        if (input.channels() != 1) {
            throw new IllegalArgumentException("grey-to-rgb needs 1-channel images, got " + input);
        }
        return input.withChannels(3);
    }

    @Override
    public void apply(Batch batch, Random random) {
        InputShape in = batch.shape();
        InputShape out = outputShape(in);
        int plane = in.height() * in.width();
        float[] source = batch.features();
        float[] target = new float[batch.count() * out.size()];
        for (int n = 0; n < batch.count(); n++) {
            for (int c = 0; c < 3; c++) {
                System.arraycopy(source, n * plane, target, (n * 3 + c) * plane, plane);
            }
        }
        batch.replaceFeatures(target, out);
    }
}
