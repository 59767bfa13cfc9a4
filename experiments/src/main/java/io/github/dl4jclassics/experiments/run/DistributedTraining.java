package io.github.dl4jclassics.experiments.run;

import io.github.dl4jclassics.data.PreparedData;
import io.github.dl4jclassics.evaluation.SplitMetrics;
import io.github.dl4jclassics.zoo.ClassifierNetwork;
import io.github.dl4jclassics.experiments.manifest.ExperimentManifest;
import io.github.dl4jclassics.training.EpochFitter;

/**
 * Trains a run's epochs somewhere other than in this JVM (the spark module: data-parallel on a Spark cluster),
 * while {@link ExperimentRunner} keeps the run semantics: manifest, validation, early stopping, checkpoints,
 * resume, {@code epochs.csv}, evaluation and reports.
 */
public interface DistributedTraining {

    /**
     * The manifest as the distributed run saves and judges it: its {@code distributed} section filled with the
     * settings used (master, workers, averaging), its {@code documented} result the distributed one, if any.
     */
    ExperimentManifest prepare(ExperimentManifest manifest);

    /** What {@code environment.json} records: the local environment and the cluster's. */
    Object environment(EnvironmentInfo driver);

    /** Fits each epoch of a run of {@code manifest} (as returned by {@link #prepare}) on {@code data}. */
    EpochFitter fitter(ExperimentManifest manifest, PreparedData data);

    /**
     * Where the validation and test splits are evaluated: null (the default) on the driver, from {@code data};
     * otherwise an evaluator that measures them elsewhere (e.g. on the executors that read the packed images).
     */
    default SplitEvaluator evaluator(ExperimentManifest manifest, PreparedData data) {
        return null;
    }

    /** Measures a network on a split of the run's data. */
    @FunctionalInterface
    interface SplitEvaluator {

        /** @param validation true for the validation split, false for the test split */
        SplitMetrics evaluate(ClassifierNetwork network, boolean validation);
    }
}
