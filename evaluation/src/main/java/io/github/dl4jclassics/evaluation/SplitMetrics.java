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
 * @param perClassAccuracy  recall of each class; NaN (written null) for a class with no examples
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
        long[][] confusionMatrix) {

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
