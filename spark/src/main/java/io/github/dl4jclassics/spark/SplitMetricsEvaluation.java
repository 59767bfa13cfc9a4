package io.github.dl4jclassics.spark;

import io.github.dl4jclassics.common.Json;
import io.github.dl4jclassics.evaluation.MetricsAccumulator;
import io.github.dl4jclassics.evaluation.SplitMetrics;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import org.nd4j.evaluation.IEvaluation;
import org.nd4j.evaluation.IMetric;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The project's split metrics (top-1/top-5/top-k with strict ties, cross-entropy, confusion matrix) as an ND4J
 * {@link IEvaluation}, so dl4j-spark's {@code doEvaluation} measures a split on the executors and merges the parts
 * on the driver: the same numbers as evaluating the split on one machine.
 */
public final class SplitMetricsEvaluation implements IEvaluation<SplitMetricsEvaluation> {

    private static final long serialVersionUID = 1L;

    private final ArrayList<String> classes;
    private final int k;
    private MetricsAccumulator accumulator;

    public SplitMetricsEvaluation(List<String> classes, int k) {
        this.classes = new ArrayList<>(classes);
        this.k = k;
        this.accumulator = new MetricsAccumulator(classes, k);
    }

    public SplitMetrics metrics() {
        return accumulator.result();
    }

    @Override
    public void eval(INDArray labels, INDArray networkPredictions) {
        accumulator.add(networkPredictions, labels);
    }

    @Override
    public void eval(INDArray labels, INDArray networkPredictions, List<? extends Serializable> recordMetaData) {
        eval(labels, networkPredictions);
    }

    @Override
    public void eval(INDArray labels, INDArray networkPredictions, INDArray maskArray,
                     List<? extends Serializable> recordMetaData) {
        eval(labels, networkPredictions, maskArray);
    }

    @Override
    public void eval(INDArray labels, INDArray networkPredictions, INDArray maskArray) {
        if (maskArray != null) {
            throw new UnsupportedOperationException("image classification has no output masks");
        }
        eval(labels, networkPredictions);
    }

    @Override
    public void evalTimeSeries(INDArray labels, INDArray predicted) {
        throw new UnsupportedOperationException("image classification has no time series");
    }

    @Override
    public void evalTimeSeries(INDArray labels, INDArray predicted, INDArray labelsMaskArray) {
        throw new UnsupportedOperationException("image classification has no time series");
    }

    @Override
    public void merge(SplitMetricsEvaluation other) {
        accumulator.merge(other.accumulator);
    }

    @Override
    public void reset() {
        accumulator = new MetricsAccumulator(classes, k);
    }

    @Override
    public String stats() {
        SplitMetrics metrics = metrics();
        return "top-1 " + metrics.top1() + ", top-5 " + metrics.top5() + ", loss " + metrics.loss();
    }

    @Override
    public String toJson() {
        try {
            return Json.mapper().writeValueAsString(metrics());
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public String toYaml() {
        return toJson();
    }

    @Override
    public double getValue(IMetric metric) {
        throw new UnsupportedOperationException("read the metrics with metrics()");
    }

    @Override
    public SplitMetricsEvaluation newInstance() {
        return new SplitMetricsEvaluation(classes, k);
    }
}
