package io.github.dl4jclassics.spark;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.dl4jclassics.common.Json;
import io.github.dl4jclassics.data.DataFiles;
import io.github.dl4jclassics.data.DatasetRegistry;
import io.github.dl4jclassics.data.DatasetSource;
import io.github.dl4jclassics.data.PreparedData;
import java.io.IOException;
import java.io.UncheckedIOException;
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
 * averaging. With {@code distributed.data} "driver" (the default) the driver prepares and sends the minibatches
 * ({@link SparkEpochFitter}) and evaluates; with "executors" the splits are packed once under
 * {@code distributed.dataUri} and the executors read, prepare and evaluate them ({@link ExecutorReadEpochFitter}).
 * The run folder, the schedule and the checkpoints stay on the driver.
 */
public final class SparkTraining implements DistributedTraining, AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(SparkTraining.class);

    private final JavaSparkContext spark;
    private final String master;
    private DistributedConfig lastSettings;
    private String dataMode;
    private String dataUri;
    private PreparedData packedFor;
    private ExecutorReadEpochFitter executorFitter;

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

    /**
     * Where the runs of this context read their data, over the manifest's {@code distributed.data} and
     * {@code distributed.dataUri}: the command line's {@code --spark-data} and {@code --spark-data-uri} (null: the
     * manifest's).
     */
    public SparkTraining withData(String mode, String uri) {
        this.dataMode = mode;
        this.dataUri = uri;
        return this;
    }

    @Override
    public ExperimentManifest prepare(ExperimentManifest manifest) {
        DistributedConfig declared = manifest.distributed() != null ? manifest.distributed()
                : new DistributedConfig(null, null, null, null, null, null);
        if (dataMode != null || dataUri != null) {
            String mode = dataMode != null ? dataMode : dataUri != null ? DistributedConfig.DATA_EXECUTORS : declared.data();
            // --spark-data driver drops a manifest's dataUri; --spark-data-uri alone means executors.
            String uri = dataUri != null ? dataUri
                    : DistributedConfig.DATA_EXECUTORS.equals(mode) ? declared.dataUri() : null;
            declared = declared.withData(mode, uri);
        }
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
            // Where the images were read: by the driver (sent as minibatches) or by the executors from dataUri.
            cluster.put("data", lastSettings.data());
            if (lastSettings.dataUri() != null) {
                cluster.put("dataUri", lastSettings.dataUri());
            }
        }
        cluster.put("executorJavaOptions", spark.getConf().get("spark.executor.extraJavaOptions", ""));
        return environment;
    }

    @Override
    public EpochFitter fitter(ExperimentManifest manifest, PreparedData data) {
        DistributedConfig settings = settings(manifest);
        if (settings.executorsReadData()) {
            return executorFitter(manifest, settings, data);
        }
        return new SparkEpochFitter(spark, settings, data, manifest.training().seed());
    }

    @Override
    public SplitEvaluator evaluator(ExperimentManifest manifest, PreparedData data) {
        DistributedConfig settings = settings(manifest);
        return settings.executorsReadData() ? executorFitter(manifest, settings, data) : null;
    }

    private DistributedConfig settings(ExperimentManifest manifest) {
        return manifest.distributed() != null && manifest.distributed().workers() != null
                ? manifest.distributed() : prepare(manifest).distributed();
    }

    /** Packs (or finds packed) the run's splits under dataUri, once per run, for training and evaluation. */
    private ExecutorReadEpochFitter executorFitter(ExperimentManifest manifest, DistributedConfig settings,
                                                   PreparedData data) {
        if (packedFor != data) {
            DatasetSource source = DatasetRegistry.standard().get(manifest.data().dataset());
            DataFiles files = DataFiles.of(manifest.data().location());
            PackedData packed;
            try {
                packed = FileBatchPacker.pack(source, files, manifest.data(), data, settings.dataUri(),
                        FileBatchPacker.DEFAULT_FILES_PER_BATCH, spark.hadoopConfiguration());
            } catch (IOException e) {
                throw new UncheckedIOException("cannot pack the data set under " + settings.dataUri() + ": "
                        + e.getMessage(), e);
            }
            executorFitter = new ExecutorReadEpochFitter(spark, settings, data, packed, manifest.training().seed(),
                    manifest.evaluation().topK(), manifest.training().batchSize());
            packedFor = data;
        }
        return executorFitter;
    }

    @Override
    public void close() {
        spark.stop();
    }
}
