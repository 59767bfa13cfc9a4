package io.github.dl4jclassics.data.transforms;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.Random;

/**
 * Per-channel {@code (x - mean) / std} on 0..255 pixel values. In a manifest, {@code {"type": "normalize"}}
 * means "statistics of the training split", computed by the pipeline and saved beside the model; explicit
 * {@code mean} and {@code std} arrays (0..255 scale: torchvision's 0..1 constants times 255) are used as given.
 *
 * @param statistics how the training split's statistics are computed when none are given: {@code per-pixel}
 *                   (the default, see {@link ChannelStatistics#compute}) or {@code mean-of-per-image-std}
 *                   (note 001's AlexNet, see {@link ChannelStatistics#computeMeanOfPerImageStd})
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Normalize(double[] mean, double[] std, String statistics) implements BatchTransform {

    public static final String PER_PIXEL = "per-pixel";
    public static final String MEAN_OF_PER_IMAGE_STD = "mean-of-per-image-std";

    public Normalize {
        if (statistics != null && !statistics.equals(PER_PIXEL) && !statistics.equals(MEAN_OF_PER_IMAGE_STD)) {
            throw new IllegalArgumentException("normalize.statistics '" + statistics + "' is not one of: "
                    + PER_PIXEL + ", " + MEAN_OF_PER_IMAGE_STD);
        }
        if ((mean == null) != (std == null)) {
            throw new IllegalArgumentException("normalize needs both mean and std, or neither (training-split statistics)");
        }
        if (mean != null && statistics != null) {
            throw new IllegalArgumentException("normalize.statistics applies only without explicit mean and std");
        }
    }

    public Normalize(double[] mean, double[] std) {
        this(mean, std, null);
    }

    public static Normalize of(ChannelStatistics statistics) {
        return new Normalize(statistics.mean(), statistics.std(), null);
    }

    /** The statistics method to use for the training split ({@code per-pixel} unless the manifest says otherwise). */
    @JsonIgnore
    public String statisticsOrDefault() {
        return statistics == null ? PER_PIXEL : statistics;
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
