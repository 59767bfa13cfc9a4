package io.github.dl4jclassics.data.transforms;

import java.util.Random;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.api.DataSet;
import org.nd4j.linalg.dataset.api.DataSetPreProcessor;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Mixup (Zhang et al. 2018) as a DL4J {@link DataSetPreProcessor}: one {@code lambda ~ Beta(alpha, alpha)} per
 * batch, each example mixed with the example at a random permutation of the batch,
 * {@code x = lambda x + (1 - lambda) x[perm]}, labels likewise, as the reference implementation does. The labels
 * become soft, so use it on training batches only. Works on features of any rank (images: (N, C, H, W)).
 *
 * <pre>{@code
 * trainIterator.setPreProcessor(new MixupPreProcessor(0.2, new Random(42)));
 * }</pre>
 */
public final class MixupPreProcessor implements DataSetPreProcessor {

    private final double alpha;
    private final Random random;

    /** @param random the generator of lambda and of the permutations (seed it for reproducible runs) */
    public MixupPreProcessor(double alpha, Random random) {
        if (!(alpha > 0)) {
            throw new IllegalArgumentException("mixup.alpha must be greater than 0, got " + alpha);
        }
        this.alpha = alpha;
        this.random = random;
    }

    public double alpha() {
        return alpha;
    }

    @Override
    public void preProcess(DataSet dataSet) {
        apply(dataSet, random);
    }

    /** Mixes {@code dataSet} in place with randomness from {@code source} (the iterator's per-batch generator). */
    public void apply(DataSet dataSet, Random source) {
        Draw draw = draw(source, (int) dataSet.getFeatures().size(0));
        mix(dataSet, draw.lambda(), draw.permutation());
    }

    /** The mixing weight and partner permutation of one batch. */
    public record Draw(double lambda, int[] permutation) {
    }

    /** Draws lambda, then the permutation (Fisher-Yates), from {@code source}. */
    public Draw draw(Random source, int count) {
        double lambda = Mixup.sampleBeta(source, alpha, alpha);
        int[] permutation = new int[count];
        for (int i = 0; i < count; i++) {
            permutation[i] = i;
        }
        for (int i = count - 1; i > 0; i--) {
            int j = source.nextInt(i + 1);
            int tmp = permutation[i];
            permutation[i] = permutation[j];
            permutation[j] = tmp;
        }
        return new Draw(lambda, permutation);
    }

    /**
     * The same mixing on a batch still held in Java arrays ({@code count} rows of {@code stride} values), before it
     * becomes an INDArray: what the project's iterator uses, as it saves four array passes per batch.
     */
    public static void mix(float[] values, int count, int stride, double lambda, int[] permutation) {
        float weight = (float) lambda;
        float[] original = values.clone();
        for (int i = 0; i < count; i++) {
            int a = i * stride;
            int b = permutation[i] * stride;
            for (int k = 0; k < stride; k++) {
                values[a + k] = weight * original[a + k] + (1 - weight) * original[b + k];
            }
        }
    }

    /** Mixes example i with example {@code permutation[i]}, weight {@code lambda} on example i. */
    public static void mix(DataSet dataSet, double lambda, int[] permutation) {
        dataSet.setFeatures(mixRows(dataSet.getFeatures(), lambda, permutation));
        dataSet.setLabels(mixRows(dataSet.getLabels(), lambda, permutation));
    }

    private static INDArray mixRows(INDArray values, double lambda, int[] permutation) {
        long[] shape = values.shape();
        INDArray rows = values.reshape('c', shape[0], values.length() / shape[0]);
        INDArray partners = Nd4j.pullRows(rows, 1, permutation);
        return rows.mul(lambda).addi(partners.muli(1 - lambda)).reshape('c', shape);
    }
}
