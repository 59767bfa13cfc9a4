package io.github.dl4jclassics.spark;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.dl4jclassics.common.Json;
import io.github.dl4jclassics.data.PreparedData;
import io.github.dl4jclassics.experiments.manifest.DistributedConfig;
import io.github.dl4jclassics.experiments.manifest.ExperimentManifest;
import io.github.dl4jclassics.experiments.run.DistributedTraining;
import io.github.dl4jclassics.experiments.run.EnvironmentInfo;
import io.github.dl4jclassics.training.EpochFitter;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Spark context for the runs of one command: each epoch trains data-parallel with dl4j-spark's parameter
 * averaging ({@link SparkEpochFitter}); the run folder, validation, checkpoints and evaluation stay on the driver.
 */
public final class SparkTraining implements DistributedTraining, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(SparkTraining.class);

    private final JavaSparkContext spark;
    private final String master;
    private DistributedConfig lastSettings;

    private SparkTraining(JavaSparkContext spark) {
        this.spark = spark;
        this.master = spark.master();
    }

    /** Starts (or, under spark-submit, joins) the Spark application; {@code master} null keeps spark-submit's. */
    public static SparkTraining start(String master, String appName) {
        SparkConf conf = SparkContexts.configuration(master, appName);
        quietLargeTaskWarnings();
        SparkTraining training = new SparkTraining(new JavaSparkContext(conf));
        LOG.info("Spark {} on {}: {} workers", training.spark.version(), training.master, training.workers());
        return training;
    }

    /**
     * Spark warns at every job that a task is larger than 1 MB: here that is by design (each task carries its share
     * of the minibatches), so the warning would only bury the epoch summaries.
     */
    private static void quietLargeTaskWarnings() {
        if (LoggerFactory.getLogger("org.apache.spark.scheduler.TaskSetManager")
                instanceof ch.qos.logback.classic.Logger logger && logger.getLevel() == null) {
            logger.setLevel(ch.qos.logback.classic.Level.ERROR);
        }
    }

    /** Data-parallel workers: Spark's default parallelism (local[N]: N; a cluster: its executor cores). */
    public int workers() {
        return spark.defaultParallelism();
    }

    public JavaSparkContext context() {
        return spark;
    }

    @Override
    public ExperimentManifest prepare(ExperimentManifest manifest) {
        DistributedConfig declared = manifest.distributed() != null ? manifest.distributed()
                : new DistributedConfig(null, null, null, null, null, null);
        if (declared.workers() != null && declared.workers() != workers()) {
            LOG.warn("the run was started with {} workers and continues with {}: the averaging changes", declared.workers(),
                    workers());
        }
        DistributedConfig settings = declared.resolved(manifest.training().batchSize(), master, workers());
        lastSettings = settings;
        if (manifest.documented() != null && manifest.documented().value() != null && declared.documented() == null) {
            LOG.info("the documented {} {} applies to single-machine training: this distributed run has no reference",
                    manifest.documented().split(), manifest.documented().metric());
        }
        // A distributed run is judged against a documented distributed result only.
        return manifest.withDistributed(settings).withDocumented(declared.documented());
    }

    @Override
    public Object environment(EnvironmentInfo driver) {
        ObjectNode environment = Json.mapper().valueToTree(driver);
        ObjectNode cluster = environment.putObject("spark");
        cluster.put("master", master);
        cluster.put("sparkVersion", spark.version());
        cluster.put("applicationId", spark.sc().applicationId());
        cluster.put("workers", workers());
        cluster.put("executors", Math.max(1, spark.sc().getExecutorMemoryStatus().size() - (SparkContexts.isLocal(master) ? 0 : 1)));
        cluster.put("trainingMaster", "ParameterAveragingTrainingMaster");
        if (lastSettings != null) {
            cluster.put("batchSizePerWorker", lastSettings.batchSizePerWorker());
            cluster.put("averagingFrequency", lastSettings.averagingFrequency());
            cluster.put("workerPrefetch", lastSettings.workerPrefetch());
        }
        cluster.put("executorJavaOptions", spark.getConf().get("spark.executor.extraJavaOptions", ""));
        return environment;
    }

    @Override
    public EpochFitter fitter(ExperimentManifest manifest, PreparedData data) {
        DistributedConfig settings = manifest.distributed() != null && manifest.distributed().workers() != null
                ? manifest.distributed() : prepare(manifest).distributed();
        return new SparkEpochFitter(spark, settings, data, manifest.training().seed());
    }

    @Override
    public void close() {
        spark.stop();
    }
}
