package io.github.dl4jclassics.spark;

import io.github.dl4jclassics.data.PreparedData;
import io.github.dl4jclassics.data.iterators.ImageSetIterator;
import io.github.dl4jclassics.experiments.manifest.DistributedConfig;
import io.github.dl4jclassics.training.DivergenceException;
import io.github.dl4jclassics.training.EpochFitter;
import io.github.dl4jclassics.zoo.ClassifierNetwork;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.deeplearning4j.spark.api.RDDTrainingApproach;
import org.deeplearning4j.spark.api.Repartition;
import org.deeplearning4j.spark.impl.graph.SparkComputationGraph;
import org.deeplearning4j.spark.impl.multilayer.SparkDl4jMultiLayer;
import org.deeplearning4j.spark.impl.paramavg.ParameterAveragingTrainingMaster;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One epoch on Spark with parameter averaging: the driver prepares the epoch's minibatches exactly as a
 * single-machine run would (same shuffle, augmentation and normalization for the seed and epoch), the workers fit
 * them in parallel and every {@code averagingFrequency} minibatches their parameters and updater state are averaged
 * into the driver's network. The learning rate set on the driver's network before the epoch travels to the workers
 * with the network's configuration at every averaging round.
 *
 * <p>The minibatches reach the executors through Spark ({@code parallelize}), so no executor needs the data set;
 * the driver holds at most {@link #SLICE_BYTES} of them at a time (one Spark job per slice of the epoch).
 */
final class SparkEpochFitter implements EpochFitter {

    private static final Logger LOG = LoggerFactory.getLogger(SparkEpochFitter.class);

    /** Minibatches the driver holds and sends to the workers at once (one Spark job): 256 MB. */
    static final long SLICE_BYTES = 256L << 20;

    private final JavaSparkContext spark;
    private final DistributedConfig settings;
    private final PreparedData data;
    private final long seed;
    private final ParameterAveragingTrainingMaster trainingMaster;
    private ClassifierNetwork wrapped;
    private SparkDl4jMultiLayer sparkMultiLayer;
    private SparkComputationGraph sparkGraph;

    /** @param settings resolved: every field set ({@link DistributedConfig#resolved}) */
    SparkEpochFitter(JavaSparkContext spark, DistributedConfig settings, PreparedData data, long seed) {
        this.spark = spark;
        this.settings = settings;
        this.data = data;
        this.seed = seed;
        this.trainingMaster = new ParameterAveragingTrainingMaster.Builder(settings.workers(), settings.batchSizePerWorker())
                .batchSizePerWorker(settings.batchSizePerWorker())
                .averagingFrequency(settings.averagingFrequency())
                .workerPrefetchNumBatches(settings.workerPrefetch())
                .saveUpdater(true)
                // The minibatches are parallelized from the driver: train on them directly, with nothing exported
                // to a folder the executors would all have to see.
                .rddTrainingApproach(RDDTrainingApproach.Direct)
                .repartionData(Repartition.Always)
                .rngSeed(seed)
                .build();
    }

    @Override
    public EpochResult fitEpoch(ClassifierNetwork network, ImageSetIterator ignored, int epoch, double rate) {
        ImageSetIterator batches = data.trainIterator(settings.batchSizePerWorker(), seed);
        batches.startEpoch(epoch);
        Nd4j.getRandom().setSeed(seed * 1_000_003L + epoch);
        network.setEpochCount(epoch);
        // The epoch goes to the workers in slices of at most SLICE_BYTES of minibatches, each a whole number of
        // averaging rounds, so the driver never holds more than one slice.
        int roundBatches = settings.workers() * settings.averagingFrequency();
        double scoreSum = 0;
        int scored = 0;
        int fitted = 0;
        List<DataSet> slice = new ArrayList<>();
        long sliceBytes = 0;
        while (batches.hasNext()) {
            DataSet batch = batches.next();
            slice.add(batch);
            sliceBytes += bytes(batch);
            if (!batches.hasNext() || (sliceBytes >= SLICE_BYTES && slice.size() % roundBatches == 0)) {
                double score = fitSlice(network, slice);
                fitted += slice.size();
                if (!Double.isFinite(score)) {
                    throw new DivergenceException(epoch + 1, fitted, rate, "the workers' mean score is " + score);
                }
                scoreSum += score * slice.size();
                scored += slice.size();
                slice = new ArrayList<>();
                sliceBytes = 0;
            }
        }
        if (!Double.isFinite(network.params().sumNumber().doubleValue())) {
            throw new DivergenceException(epoch + 1, fitted, rate, "an averaged parameter is NaN or infinite");
        }
        double score = scored == 0 ? Double.NaN : scoreSum / scored;
        LOG.debug("epoch {}: {} minibatches of {} on {} workers, score {}", epoch + 1, fitted,
                settings.batchSizePerWorker(), settings.workers(), score);
        // The workers' mean score (data loss plus any L1/L2 term) at the end of each slice, averaged over the
        // epoch; accuracy is not collected from the workers.
        return new EpochResult(score, Double.NaN);
    }

    /** Trains on one slice of the epoch; returns the workers' mean score of its last averaging round. */
    private double fitSlice(ClassifierNetwork network, List<DataSet> slice) {
        JavaRDD<DataSet> rdd = spark.parallelize(slice, settings.workers());
        if (network.isGraph()) {
            graphFor(network).fit(rdd);
            return sparkGraph.getScore();
        }
        multiLayerFor(network).fit(rdd);
        return sparkMultiLayer.getScore();
    }

    private static long bytes(DataSet batch) {
        long features = batch.getFeatures().length() * batch.getFeatures().dataType().width();
        return features + batch.getLabels().length() * batch.getLabels().dataType().width();
    }

    private SparkDl4jMultiLayer multiLayerFor(ClassifierNetwork network) {
        if (wrapped != network) {
            sparkMultiLayer = new SparkDl4jMultiLayer(spark, network.multiLayer(), trainingMaster);
            wrapped = network;
        }
        return sparkMultiLayer;
    }

    private SparkComputationGraph graphFor(ClassifierNetwork network) {
        if (wrapped != network) {
            sparkGraph = new SparkComputationGraph(spark, network.graph(), trainingMaster);
            wrapped = network;
        }
        return sparkGraph;
    }
}
