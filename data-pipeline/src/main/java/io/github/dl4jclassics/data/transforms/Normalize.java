package io.github.dl4jclassics.data.transforms;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.Random;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.dataset.api.preprocessor.NormalizerStandardize;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Per-channel {@code (x - mean) / std} on 0..255 pixel values, carried out by ND4J's stock
 * {@link NormalizerStandardize} (see {@link #normalizer(ChannelStatistics, int)}), which is saved inside model.zip so
 * plain DL4J code can prepare inputs the way training did. In a manifest, {@code {"type": "normalize"}} means
 * "statistics of the training split", computed by the pipeline; explicit {@code mean} and {@code std} arrays (0..255
 * scale) are used as given.
 *
 * @param statistics how the training split's statistics are computed: {@code per-pixel} (default: mean and standard
 *                   deviation over every pixel, as torchvision recipes do) or {@code mean-of-per-image-std} (the
 *                   mean of the per-image means and the mean of the per-image standard deviations, as note 001 does)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Normalize(double[] mean, double[] std, String statistics) implements BatchTransform {

    public static final String PER_PIXEL = "per-pixel";
    public static final String MEAN_OF_PER_IMAGE_STD = "mean-of-per-image-std";

    public Normalize {
        if ((mean == null) != (std == null)) {
            throw new IllegalArgumentException("normalize: give both mean and std, or neither (training-split statistics)");
        }
        if (mean != null) {
            new ChannelStatistics(mean, std); // validates lengths and positive standard deviations
        }
        if (statistics != null && !statistics.equals(PER_PIXEL) && !statistics.equals(MEAN_OF_PER_IMAGE_STD)) {
            throw new IllegalArgumentException("normalize.statistics '" + statistics + "' is not one of: " + PER_PIXEL
                    + ", " + MEAN_OF_PER_IMAGE_STD);
        }
    }

    public Normalize(double[] mean, double[] std) {
        this(mean, std, null);
    }

    public static Normalize of(ChannelStatistics statistics) {
        return new Normalize(statistics.mean(), statistics.std());
    }

    /** True when the statistics still have to be computed from the training split. */
    @JsonIgnore
    public boolean needsStatistics() {
        return mean == null || std == null;
    }

    /** How the training split's statistics are computed ({@link #PER_PIXEL} unless the manifest says otherwise). */
    @JsonIgnore
    public String statisticsOrDefault() {
        return statistics == null ? PER_PIXEL : statistics;
    }

    /** The given statistics (null when they come from the training split). */
    @JsonIgnore
    public ChannelStatistics given() {
        return needsStatistics() ? null : new ChannelStatistics(mean, std);
    }

    /**
     * ND4J's {@link NormalizerStandardize} for {@code statistics} (0..255 scale), for batches of {@code channels}
     * channels: 1-channel statistics are repeated for a 3-channel model input (after {@code grey-to-rgb}). It applies
     * to (N, C, H, W) features per channel (ND4J broadcasts 4-d features along dimension 1).
     */
    public static NormalizerStandardize normalizer(ChannelStatistics statistics, int channels) {
        if (statistics.channels() != channels && statistics.channels() != 1) {
            throw new IllegalArgumentException("normalize has statistics for " + statistics.channels()
                    + " channels, images have " + channels);
        }
        float[] mean = new float[channels];
        float[] std = new float[channels];
        for (int c = 0; c < channels; c++) {
            int from = statistics.channels() == 1 ? 0 : c;
            mean[c] = (float) statistics.mean()[from];
            std[c] = (float) statistics.std()[from];
        }
        return new NormalizerStandardize(Nd4j.create(mean, new long[]{1, channels}, 'c').castTo(DataType.FLOAT),
                Nd4j.create(std, new long[]{1, channels}, 'c').castTo(DataType.FLOAT));
    }

    @Override
    public int order() {
        return ORDER_NORMALIZE;
    }

    @Override
    public boolean augmentation() {
        return false;
    }

    /** Normalization is a whole-batch step: {@link io.github.dl4jclassics.data.iterators.ImageSetIterator} applies
     * the {@link NormalizerStandardize} of {@link #normalizer(ChannelStatistics, int)} to each {@code DataSet}. */
    @Override
    public boolean batchLevel() {
        return true;
    }

    @Override
    public void apply(Batch batch, Random random) {
        throw new UnsupportedOperationException("normalize runs as an ND4J NormalizerStandardize on the DataSet");
    }
}
