package io.github.dl4jclassics.data;

/** Recorded values of TrainValidationSplit.permutation(50000, 11). */
final class GoldenValues {
    static final int A0 = 0;
    static final int A1 = 0;
    static final int A2 = 0;
    static final int ALAST = 0;

    private GoldenValues() {
    }
}
