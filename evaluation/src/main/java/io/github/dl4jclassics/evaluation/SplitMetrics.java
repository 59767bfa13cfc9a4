package io.github.dl4jclassics.evaluation;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * The metrics of one split, as they appear under "test" and "validation" in {@code result.json}.
 * Accuracies are fractions in 0..1; the confusion matrix holds counts with rows = true class.
 *
 * @param top1              fraction of examples whose highest score is the true class (ties broken strictly, see {@link Evaluator})
 * @param top5              fraction whose true class is among the 5 highest scores (all classes when there are 5 or fewer)
 * @param topK              fraction within the manifest's k highest scores
 * @param k                 the manifest's k
 * @param perClassAccuracy  recall of each class; NaN (written "NaN") for a class with no examples
 * @param precision         per class; 0 for a class that is never predicted (scikit-learn's zero_division=0)
 * @param macro             unweighted mean over the classes that occur in the split
 * @param weighted          mean weighted by each class's number of examples (support)
 * @param confusionMatrix   counts, rows = true class, columns = predicted class
 * @param confusionMatrixNormalized each row of the counts divided by its sum (the class's recall on the diagonal);
 *                          a row of a class with no examples is all zeros. Computed from the counts when null.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record SplitMetrics(
        int count,
        double top1,
        double top5,
        Integer k,
        Double topK,
        double loss,
        List<String> classes,
        double[] perClassAccuracy,
        double[] precision,
        double[] f1,
        Averages macro,
        Averages weighted,
        long[][] confusionMatrix,
        double[][] confusionMatrixNormalized) {

    public SplitMetrics {
        if (confusionMatrix != null && confusionMatrixNormalized == null) {
            confusionMatrixNormalized = rowNormalized(confusionMatrix);
        }
    }

    /** The metrics without a precomputed normalised matrix (it is derived from the counts). */
    public SplitMetrics(int count, double top1, double top5, Integer k, Double topK, double loss, List<String> classes,
                        double[] perClassAccuracy, double[] precision, double[] f1, Averages macro, Averages weighted,
                        long[][] confusionMatrix) {
        this(count, top1, top5, k, topK, loss, classes, perClassAccuracy, precision, f1, macro, weighted,
                confusionMatrix, null);
    }

    /** Divides each row by its sum; an all-zero row (a class absent from the split) stays all zeros, not NaN. */
    public static double[][] rowNormalized(long[][] counts) {
        double[][] normalized = new double[counts.length][];
        for (int t = 0; t < counts.length; t++) {
            long sum = 0;
            for (long c : counts[t]) {
                sum += c;
            }
            normalized[t] = new double[counts[t].length];
            for (int p = 0; p < counts[t].length; p++) {
                normalized[t][p] = sum == 0 ? 0.0 : (double) counts[t][p] / sum;
            }
        }
        return normalized;
    }

    /** Examples of each class in the split (the row sums of the confusion matrix). */
    public long[] support() {
        long[] support = new long[confusionMatrix.length];
        for (int t = 0; t < confusionMatrix.length; t++) {
            for (long c : confusionMatrix[t]) {
                support[t] += c;
            }
        }
        return support;
    }

    /** Macro or support-weighted averages of the per-class precision, recall and F1. */
    public record Averages(double precision, double recall, double f1) {
    }

    /** The value of a documented metric name: "top1", "top5" or "loss". */
    public double metric(String name) {
        return switch (name) {
            case "top1" -> top1;
            case "top5" -> top5;
            case "loss" -> loss;
            default -> throw new IllegalArgumentException("unknown metric '" + name + "'; allowed: top1, top5, loss");
        };
    }
}
