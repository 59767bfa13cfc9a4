package io.github.dl4jclassics.data.transforms;

import java.util.Random;

/**
 * Mixup (Zhang et al. 2018): one {@code lambda ~ Beta(alpha, alpha)} per batch, each example mixed with the
 * example at a random permutation of the batch, {@code x = lambda x + (1 - lambda) x[perm]}, labels likewise, as
 * the reference implementation does ({@link MixupPreProcessor}). Produces soft labels; training only.
 *
 * @param alpha Beta distribution parameter, greater than 0 (the scene notes use 0.2 to 1)
 */
public record Mixup(double alpha) implements BatchTransform {

    public Mixup {
        if (!(alpha > 0)) {
            throw new IllegalArgumentException("mixup.alpha must be greater than 0, got " + alpha);
        }
    }

    @Override
    public int order() {
        return ORDER_MIXUP;
    }

    @Override
    public boolean augmentation() {
        return true;
    }

    /** Mixup acts on the whole batch: {@link MixupPreProcessor}. */
    @Override
    public boolean batchLevel() {
        return true;
    }

    /** The DL4J {@code DataSetPreProcessor} of this step, drawing from {@code random}. */
    public MixupPreProcessor preProcessor(Random random) {
        return new MixupPreProcessor(alpha, random);
    }

    @Override
    public void apply(Batch batch, Random random) {
        throw new UnsupportedOperationException("mixup runs as a MixupPreProcessor on the DataSet");
    }

    /** Beta(a, b) as X / (X + Y) with X ~ Gamma(a), Y ~ Gamma(b). */
    static double sampleBeta(Random random, double a, double b) {
        double x = sampleGamma(random, a);
        double y = sampleGamma(random, b);
        return x + y == 0 ? 0.5 : x / (x + y);
    }

    /** Gamma(shape, 1) by Marsaglia and Tsang; shapes below 1 via Gamma(shape + 1) * U^(1/shape). */
    static double sampleGamma(Random random, double shape) {
        if (shape < 1) {
            double u = random.nextDouble();
            return sampleGamma(random, shape + 1) * Math.pow(u, 1 / shape);
        }
        double d = shape - 1.0 / 3;
        double c = 1 / Math.sqrt(9 * d);
        while (true) {
            double x;
            double v;
            do {
                x = random.nextGaussian();
                v = 1 + c * x;
            } while (v <= 0);
            v = v * v * v;
            double u = random.nextDouble();
            if (u < 1 - 0.0331 * x * x * x * x || Math.log(u) < 0.5 * x * x + d * (1 - v + Math.log(v))) {
                return d * v;
            }
        }
    }
}
