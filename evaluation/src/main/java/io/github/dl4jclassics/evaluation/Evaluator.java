package io.github.dl4jclassics.evaluation;

import io.github.dl4jclassics.common.FastPath;
import io.github.dl4jclassics.zoo.ClassifierNetwork;
import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.dataset.api.iterator.DataSetIterator;

/**
 * Evaluates a classifier on a split in inference mode, batch by batch.
 *
 * <p>Ties are broken strictly, unlike DL4J's {@code Evaluation(labels, topN)} which counts a tie with the true
 * class as correct: the rank of the true class is the number of classes with a higher score plus the number
 * of classes with an equal score and a lower index, and a prediction is top-k correct when that rank is
 * below k. For top-1 this is numpy's argmax (first maximum), so an all-equal output is not "correct" for every class.
 */
public final class Evaluator {

    private Evaluator() {
    }

    public static SplitMetrics evaluate(ClassifierNetwork network, DataSetIterator data, List<String> classes, int k) {
        // The inference thread count once for the whole pass (switching per batch resizes the native pools each time).
        return FastPath.withInferenceThreads(() -> {
            MetricsAccumulator accumulator = new MetricsAccumulator(classes, k);
            data.reset();
            while (data.hasNext()) {
                DataSet batch = data.next();
                INDArray probabilities = network.output(batch.getFeatures(), false);
                accumulator.add(probabilities, batch.getLabels());
            }
            return accumulator.result();
        });
    }
}
