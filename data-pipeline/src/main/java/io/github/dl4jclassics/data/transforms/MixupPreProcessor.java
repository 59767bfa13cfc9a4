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
        double lambda = Mixup.sampleBeta(source, alpha, alpha);
        int count = (int) dataSet.getFeatures().size(0);
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
        mix(dataSet, lambda, permutation);
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
