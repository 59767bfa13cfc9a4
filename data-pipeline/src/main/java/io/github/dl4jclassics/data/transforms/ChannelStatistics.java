package io.github.dl4jclassics.data.transforms;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.github.dl4jclassics.data.ImageSet;

/**
 * Per-channel mean and standard deviation of pixel values (0..255 scale) over every pixel of a training set,
 * the population standard deviation as torchvision recipes compute it (not the notes' std of per-image means).
 */
public record ChannelStatistics(@JsonProperty(required = true) double[] mean, @JsonProperty(required = true) double[] std) {

    public ChannelStatistics {
        if (mean.length != std.length) {
            throw new IllegalArgumentException("mean has " + mean.length + " channels but std has " + std.length);
        }
        for (double s : std) {
            if (!(s > 0)) {
                throw new IllegalArgumentException("standard deviation must be positive, got " + s);
            }
        }
    }

    public int channels() {
        return mean.length;
    }

    /** Per-pixel statistics: mean and (population) standard deviation over every pixel of the split, per channel. */
    public static ChannelStatistics compute(ImageSet images) {
        Sums sums = Sums.of(images);
        double count = (double) images.size() * sums.plane();
        double[] mean = new double[sums.channels()];
        double[] std = new double[sums.channels()];
        for (int c = 0; c < mean.length; c++) {
            mean[c] = sums.sum()[c] / count;
            std[c] = Math.sqrt(Math.max(sums.sumSquares()[c] / count - mean[c] * mean[c], 1e-12));
        }
        return new ChannelStatistics(mean, std);
    }

    /**
     * Note 001's statistics: per channel, the mean of the per-image means and the mean of the per-image (population)
     * standard deviations. For images of one size the mean equals {@link #compute}'s; the standard deviation is
     * smaller, as it leaves out the spread between images.
     */
    public static ChannelStatistics computeMeanOfPerImageStd(ImageSet images) {
        Sums sums = Sums.of(images);
        double[] mean = new double[sums.channels()];
        double[] std = new double[sums.channels()];
        for (int c = 0; c < mean.length; c++) {
            mean[c] = sums.perImageMeanSum()[c] / images.size();
            std[c] = Math.max(sums.perImageStdSum()[c] / images.size(), 1e-6);
        }
        return new ChannelStatistics(mean, std);
    }

    /** One pass over the split: per channel, the pixel sums and the sums of the per-image means and stds. */
    private record Sums(int plane, double[] sum, double[] sumSquares, double[] perImageMeanSum, double[] perImageStdSum) {

        int channels() {
            return sum.length;
        }

        static Sums of(ImageSet images) {
            int channels = images.shape().channels();
            int plane = images.shape().height() * images.shape().width();
            Sums sums = new Sums(plane, new double[channels], new double[channels], new double[channels],
                    new double[channels]);
            byte[] image = new byte[images.shape().size()];
            for (int n = 0; n < images.size(); n++) {
                images.copyBytes(n, image, 0);
                for (int c = 0; c < channels; c++) {
                    long s = 0;
                    long ss = 0;
                    for (int i = c * plane, end = i + plane; i < end; i++) {
                        int v = image[i] & 0xFF;
                        s += v;
                        ss += (long) v * v;
                    }
                    sums.sum[c] += s;
                    sums.sumSquares[c] += ss;
                    double mean = (double) s / plane;
                    sums.perImageMeanSum[c] += mean;
                    sums.perImageStdSum[c] += Math.sqrt(Math.max((double) ss / plane - mean * mean, 0));
                }
            }
            return sums;
        }
    }

    /** The statistics of {@code images} by the named method of {@link Normalize#statistics()}. */
    public static ChannelStatistics compute(ImageSet images, String method) {
        return Normalize.MEAN_OF_PER_IMAGE_STD.equals(method) ? computeMeanOfPerImageStd(images) : compute(images);
    }
}
