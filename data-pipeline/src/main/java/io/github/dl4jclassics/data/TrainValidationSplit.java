package io.github.dl4jclassics.data;

import java.util.SplittableRandom;

/**
 * Splits training files into train and validation by a seeded permutation. {@link SplittableRandom} with a
 * fixed seed gives the same sequence on every JVM, so a split is the same across runs and machines.
 */
public final class TrainValidationSplit {

    private TrainValidationSplit() {
    }

    public record Parts(ImageSet train, ImageSet validation) {
    }

    public static Parts split(ImageSet all, SplitConfig config) {
        int total = all.size();
        int validationSize = config.validationSize(total);
        int[] permutation = permutation(total, config.seed());
        int[] validation = new int[validationSize];
        int[] train = new int[total - validationSize];
        System.arraycopy(permutation, 0, train, 0, train.length);
        System.arraycopy(permutation, train.length, validation, 0, validationSize);
        java.util.Arrays.sort(train);
        java.util.Arrays.sort(validation);
        return new Parts(all.subset(train, all.description() + " [train part]"),
                all.subset(validation, all.description() + " [validation part]"));
    }

    /** Fisher-Yates permutation of 0..n-1 from {@code seed}. */
    public static int[] permutation(int n, long seed) {
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        SplittableRandom random = new SplittableRandom(seed);
        for (int i = n - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int tmp = order[i];
            order[i] = order[j];
            order[j] = tmp;
        }
        return order;
    }
}
