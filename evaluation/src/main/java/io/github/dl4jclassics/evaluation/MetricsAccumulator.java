package io.github.dl4jclassics.evaluation;

import java.util.List;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Accumulates predictions batch by batch into {@link SplitMetrics}: top-1, top-5, top-k, mean cross-entropy
 * loss, confusion matrix, and per-class precision, recall and F1. Serializable and {@link #merge mergeable}, so
 * parts of a split can be accumulated in different processes (Spark executors) and combined.
 */
public final class MetricsAccumulator implements java.io.Serializable {

    private static final long serialVersionUID = 1L;

    private static final double MIN_PROBABILITY = 1e-12;

    private final List<String> classes;
    private final int k;
    private final long[][] confusion;
    private long count;
    private long top1Correct;
    private long top5Correct;
    private long topKCorrect;
    private double lossSum;

    public MetricsAccumulator(List<String> classes, int k) {
        if (k < 1) {
            throw new IllegalArgumentException("top-k needs k >= 1, got " + k);
        }
        // A plain list (never handed out): serializers such as Kryo rebuild it element by element, which an
        // immutable List.copyOf refuses.
        this.classes = new java.util.ArrayList<>(classes);
        this.k = k;
        this.confusion = new long[classes.size()][classes.size()];
    }

    /**
     * @param probabilities (batch, classes) class probabilities (softmax output)
     * @param labels        (batch, classes) one-hot labels
     */
    public void add(INDArray probabilities, INDArray labels) {
        int classCount = classes.size();
        if (probabilities.columns() != classCount || labels.columns() != classCount) {
            throw new IllegalArgumentException("expected " + classCount + " class columns, got predictions "
                    + probabilities.columns() + " and labels " + labels.columns());
        }
        float[][] p = probabilities.castTo(DataType.FLOAT).toFloatMatrix();
        float[][] y = labels.castTo(DataType.FLOAT).toFloatMatrix();
        for (int i = 0; i < p.length; i++) {
            add(p[i], argmax(y[i]));
        }
    }

    /**
     * Adds one example: its class probabilities and its true class. The true class's rank is the number of classes
     * scoring higher plus those scoring equal with a lower index (strict ties, see {@link Evaluator}). A NaN score
     * (a diverged network) ranks below every number, and a NaN true-class score is never correct, so NaN outputs
     * cannot inflate accuracy.
     */
    public void add(float[] probabilities, int trueClass) {
        if (probabilities.length != classes.size()) {
            throw new IllegalArgumentException("expected " + classes.size() + " class scores, got " + probabilities.length);
        }
        if (trueClass < 0 || trueClass >= classes.size()) {
            throw new IllegalArgumentException("true class " + trueClass + " is outside 0.." + (classes.size() - 1));
        }
        float trueScore = probabilities[trueClass];
        int rank = 0;
        int predicted = 0;
        for (int j = 0; j < probabilities.length; j++) {
            float score = orLowest(probabilities[j]);
            if (score > orLowest(trueScore) || (score == orLowest(trueScore) && j < trueClass)) {
                rank++;
            }
            if (score > orLowest(probabilities[predicted])) {
                predicted = j;
            }
        }
        if (Float.isNaN(trueScore)) {
            rank = Integer.MAX_VALUE; // beyond every k, even top-5 of fewer than 5 classes
        }
        count++;
        if (rank < 1) {
            top1Correct++;
        }
        if (rank < 5) {
            top5Correct++;
        }
        if (rank < k) {
            topKCorrect++;
        }
        lossSum += -Math.log(Math.max(trueScore, MIN_PROBABILITY));
        confusion[trueClass][predicted]++;
    }

    /** Adds the examples {@code other} accumulated (same classes and k) to this one's. */
    public void merge(MetricsAccumulator other) {
        if (!classes.equals(other.classes) || k != other.k) {
            throw new IllegalArgumentException("cannot merge metrics of classes " + other.classes + " (top-" + other.k
                    + ") into " + classes + " (top-" + k + ")");
        }
        for (int t = 0; t < confusion.length; t++) {
            for (int p = 0; p < confusion.length; p++) {
                confusion[t][p] += other.confusion[t][p];
            }
        }
        count += other.count;
        top1Correct += other.top1Correct;
        top5Correct += other.top5Correct;
        topKCorrect += other.topKCorrect;
        lossSum += other.lossSum;
    }

    private static float orLowest(float score) {
        return Float.isNaN(score) ? Float.NEGATIVE_INFINITY : score;
    }

    private static int argmax(float[] values) {
        int best = 0;
        for (int j = 1; j < values.length; j++) {
            if (values[j] > values[best]) {
                best = j;
            }
        }
        return best;
    }

    public SplitMetrics result() {
        int n = classes.size();
        double[] recall = new double[n];
        double[] precision = new double[n];
        double[] f1 = new double[n];
        long[] support = new long[n];
        long[] predictedCount = new long[n];
        for (int t = 0; t < n; t++) {
            for (int p = 0; p < n; p++) {
                support[t] += confusion[t][p];
                predictedCount[p] += confusion[t][p];
            }
        }
        double macroP = 0, macroR = 0, macroF = 0, weightedP = 0, weightedR = 0, weightedF = 0;
        int present = 0;
        for (int c = 0; c < n; c++) {
            long tp = confusion[c][c];
            recall[c] = support[c] == 0 ? Double.NaN : (double) tp / support[c];
            precision[c] = predictedCount[c] == 0 ? 0.0 : (double) tp / predictedCount[c];
            double r = support[c] == 0 ? 0.0 : recall[c];
            f1[c] = precision[c] + r == 0 ? 0.0 : 2 * precision[c] * r / (precision[c] + r);
            if (support[c] > 0) {
                // Macro averages run over the classes that occur, as scikit-learn's "labels present" do.
                present++;
                macroP += precision[c];
                macroR += recall[c];
                macroF += f1[c];
                weightedP += precision[c] * support[c];
                weightedR += recall[c] * support[c];
                weightedF += f1[c] * support[c];
            }
        }
        SplitMetrics.Averages macro = present == 0 ? new SplitMetrics.Averages(0, 0, 0)
                : new SplitMetrics.Averages(macroP / present, macroR / present, macroF / present);
        SplitMetrics.Averages weighted = count == 0 ? new SplitMetrics.Averages(0, 0, 0)
                : new SplitMetrics.Averages(weightedP / count, weightedR / count, weightedF / count);
        long[][] matrix = new long[n][];
        for (int t = 0; t < n; t++) {
            matrix[t] = confusion[t].clone();
        }
        double total = Math.max(count, 1);
        return new SplitMetrics((int) count, top1Correct / total, top5Correct / total, k, topKCorrect / total,
                lossSum / total, classes, recall, precision, f1, macro, weighted, matrix);
    }
}
