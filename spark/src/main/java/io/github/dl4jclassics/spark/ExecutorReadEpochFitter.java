package io.github.dl4jclassics.spark;

import io.github.dl4jclassics.data.PreparedData;
import io.github.dl4jclassics.data.TrainValidationSplit;
import io.github.dl4jclassics.data.iterators.ImageSetIterator;
import io.github.dl4jclassics.evaluation.SplitMetrics;
import io.github.dl4jclassics.experiments.manifest.DistributedConfig;
import io.github.dl4jclassics.experiments.run.DistributedTraining;
import io.github.dl4jclassics.training.DivergenceException;
import io.github.dl4jclassics.training.EpochFitter;
import io.github.dl4jclassics.zoo.ClassifierNetwork;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.datavec.spark.util.BroadcastHadoopConfigHolder;
import org.deeplearning4j.spark.api.RDDTrainingApproach;
import org.deeplearning4j.spark.api.Repartition;
import org.deeplearning4j.spark.data.loader.RemoteFileSourceFactory;
import org.deeplearning4j.spark.impl.common.LoadDataSetFunction;
import org.deeplearning4j.spark.impl.graph.SparkComputationGraph;
import org.deeplearning4j.spark.impl.multilayer.SparkDl4jMultiLayer;
import org.deeplearning4j.spark.impl.paramavg.ParameterAveragingTrainingMaster;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Epochs and evaluations on Spark where the executors read the images themselves: the driver sends only the paths
 * of the packed zips ({@link PackedData}) and the network's parameters; each executor opens its zips through Hadoop's
 * file systems and prepares the minibatches with {@link PackedBatchLoader} (augmentation, normalization, mixup).
 * Training is dl4j-spark's {@code fitPaths} with parameter averaging; validation and test are measured on the
 * executors with {@link SplitMetricsEvaluation} through {@link LoadDataSetFunction} and {@code doEvaluation}, the
 * route that works for both a {@code MultiLayerNetwork} and a {@code ComputationGraph} in dl4j-spark 1.0.0-M2 (its
 * path-based {@code doEvaluation} builds a {@code ComputationGraph} whatever the network).
 *
 * <p>Epoch {@code e} visits the training zips in the permutation seeded by {@code seed + e}, one averaging round
 * (one {@code fitPaths} call) at a time, each worker getting its consecutive share of the round's zips: an epoch is
 * the same after a resume, whatever ran before it in this JVM.
 */
final class ExecutorReadEpochFitter implements EpochFitter, DistributedTraining.SplitEvaluator {

    private static final Logger LOG = LoggerFactory.getLogger(ExecutorReadEpochFitter.class);

    private final JavaSparkContext spark;
    private final DistributedConfig settings;
    private final PackedData packed;
    private final long seed;
    private final PackedBatchLoader trainLoader;
    private final PackedBatchLoader evalLoader;
    private final List<String> classNames;
    private final int topK;
    private final int evalBatchSize;

    ExecutorReadEpochFitter(JavaSparkContext spark, DistributedConfig settings, PreparedData data, PackedData packed,
                            long seed, int topK, int evalBatchSize) {
        this.spark = spark;
        this.settings = settings;
        this.packed = packed;
        this.seed = seed;
        this.classNames = data.classNames();
        this.topK = topK;
        this.evalBatchSize = evalBatchSize;
        this.trainLoader = new PackedBatchLoader(data.trainTransforms(), data.classNames(), data.train().shape(),
                data.normalizer(), seed, 0, true, packed.indexFolders());
        this.evalLoader = new PackedBatchLoader(data.evalTransforms(), data.classNames(), data.train().shape(),
                data.normalizer(), seed, 0, false, packed.indexFolders());
    }

    /** Zips each worker reads per averaging round: at least averagingFrequency minibatches of batchSizePerWorker. */
    int zipsPerWorkerRound() {
        int images = settings.averagingFrequency() * settings.batchSizePerWorker();
        return (images + packed.filesPerBatch() - 1) / packed.filesPerBatch();
    }

    private ParameterAveragingTrainingMaster master() {
        // rddDataSetNumExamples = images per zip, so a worker reads all zipsPerWorkerRound() zips of its partition
        // (dl4j-spark reads at most ceil(averagingFrequency x batchSizePerWorker / rddDataSetNumExamples) and drops
        // the rest) and re-batches them into minibatches of batchSizePerWorker. Each round is handed over already
        // split into one partition per worker: no repartitioning (dl4j-spark's balanced partitioner divides by zero
        // when a split has fewer paths than workers) and no random split by the master's generator.
        return new ParameterAveragingTrainingMaster.Builder(settings.workers(), packed.filesPerBatch())
                .batchSizePerWorker(settings.batchSizePerWorker())
                .averagingFrequency(settings.averagingFrequency())
                .workerPrefetchNumBatches(settings.workerPrefetch())
                .saveUpdater(true)
                .rddTrainingApproach(RDDTrainingApproach.Direct)
                .repartionData(Repartition.Never)
                .rngSeed(seed)
                .build();
    }

    @Override
    public EpochResult fitEpoch(ClassifierNetwork network, ImageSetIterator ignored, int epoch, double rate) {
        List<String> zips = packed.uris(packed.train());
        int[] order = TrainValidationSplit.permutation(zips.size(), seed + epoch);
        List<String> epochOrder = new ArrayList<>(zips.size());
        for (int i : order) {
            epochOrder.add(zips.get(i));
        }
        Nd4j.getRandom().setSeed(seed * 1_000_003L + epoch);
        network.setEpochCount(epoch);
        PackedBatchLoader loader = trainLoader.forEpoch(epoch);
        SparkComputationGraph graph = network.isGraph()
                ? new SparkComputationGraph(spark, network.graph(), master()) : null;
        SparkDl4jMultiLayer multiLayer = network.isGraph()
                ? null : new SparkDl4jMultiLayer(spark, network.multiLayer(), master());
        int roundZips = settings.workers() * zipsPerWorkerRound();
        double scoreSum = 0;
        int fitted = 0;
        for (int from = 0; from < epochOrder.size(); from += roundZips) {
            List<String> round = epochOrder.subList(from, Math.min(epochOrder.size(), from + roundZips));
            JavaRDD<String> paths = spark.parallelize(round, Math.min(settings.workers(), round.size()));
            double score;
            if (graph != null) {
                graph.fitPaths(paths, loader);
                score = graph.getScore();
            } else {
                multiLayer.fitPaths(paths, loader);
                score = multiLayer.getScore();
            }
            fitted += round.size();
            if (!Double.isFinite(score)) {
                throw new DivergenceException(epoch + 1, fitted, rate, "the workers' mean score is " + score);
            }
            scoreSum += score * round.size();
        }
        if (!Double.isFinite(network.params().sumNumber().doubleValue())) {
            throw new DivergenceException(epoch + 1, fitted, rate, "an averaged parameter is NaN or infinite");
        }
        double score = fitted == 0 ? Double.NaN : scoreSum / fitted;
        LOG.debug("epoch {}: {} zips of {} images read by {} workers, score {}", epoch + 1, zips.size(),
                packed.filesPerBatch(), settings.workers(), score);
        // The workers' mean score (data loss plus any L1/L2 term) of each averaging round, averaged over the epoch.
        return new EpochResult(score, Double.NaN);
    }

    @Override
    public SplitMetrics evaluate(ClassifierNetwork network, boolean validation) {
        List<String> zips = packed.uris(validation ? packed.validation() : packed.test());
        JavaRDD<DataSet> batches = spark.parallelize(zips, Math.max(1, Math.min(settings.workers(), zips.size())))
                .map(new LoadDataSetFunction(evalLoader, new RemoteFileSourceFactory(BroadcastHadoopConfigHolder.get(spark))));
        SplitMetricsEvaluation empty = new SplitMetricsEvaluation(classNames, topK);
        SplitMetricsEvaluation[] result = network.isGraph()
                ? new SparkComputationGraph(spark, network.graph(), master()).doEvaluation(batches, evalBatchSize, empty)
                : new SparkDl4jMultiLayer(spark, network.multiLayer(), master()).doEvaluation(batches, evalBatchSize, empty);
        return result[0].metrics();
    }
}
