package io.github.dl4jclassics.data.transforms;

import com.fasterxml.jackson.annotation.JsonIgnore;
import java.util.Random;

/**
 * Per-channel {@code (x - mean) / std} on 0..255 pixel values. In a manifest, {@code {"type": "normalize"}}
 * means "statistics of the training split", computed by the pipeline and saved beside the model; explicit
 * {@code mean} and {@code std} arrays (0..255 scale) are used as given.
 */
public record Normalize(double[] mean, double[] std) implements BatchTransform {

    public static Normalize of(ChannelStatistics statistics) {
        return new Normalize(statistics.mean(), statistics.std());
    }

    /** True when the statistics still have to be computed from the training split. */
    @JsonIgnore
    public boolean needsStatistics() {
        return mean == null || std == null;
    }

    @Override
    public int order() {
        return ORDER_NORMALIZE;
    }

    @Override
    public boolean augmentation() {
        return false;
    }

    @Override
    public void apply(Batch batch, Random random) {
        if (needsStatistics()) {
            throw new IllegalStateException("normalize has no statistics; the pipeline must compute them first");
        }
        int channels = batch.shape().channels();
        if (mean.length != channels) {
            throw new IllegalArgumentException("normalize has statistics for " + mean.length + " channels, images have " + channels);
        }
        int plane = batch.shape().height() * batch.shape().width();
        float[] x = batch.features();
        for (int n = 0; n < batch.count(); n++) {
            for (int c = 0; c < channels; c++) {
                float m = (float) mean[c];
                float inv = (float) (1.0 / std[c]);
                for (int i = (n * channels + c) * plane, end = i + plane; i < end; i++) {
                    x[i] = (x[i] - m) * inv;
                }
            }
        }
    }
}
