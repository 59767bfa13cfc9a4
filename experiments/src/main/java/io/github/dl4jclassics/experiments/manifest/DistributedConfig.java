package io.github.dl4jclassics.experiments.manifest;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.github.dl4jclassics.evaluation.DocumentedResult;

/**
 * The optional {@code distributed} section of a manifest: what changes the optimisation when the experiment trains
 * data-parallel on Spark with parameter averaging (the {@code spark} module). Ignored by a single-machine run. A Spark
 * run saves the section in its {@code manifest.json} with every value it used, including the master and the number
 * of workers, which a manifest normally leaves out.
 *
 * @param batchSizePerWorker each worker's minibatch size (default: training.batchSize)
 * @param averagingFrequency minibatches each worker fits between two parameter averagings (default 5)
 * @param workerPrefetch     minibatches each worker loads ahead (default 2; 0 for none)
 * @param documented         the documented result of the distributed run; a distributed run is judged against this
 *                           one only (the single-machine {@code documented} does not apply to it)
 * @param master             the Spark master the run trained on (recorded by the run)
 * @param workers            the number of data-parallel workers (recorded by the run)
 * @param data               where the images are read: {@code "driver"} (default: the driver prepares every
 *                           minibatch and sends it) or {@code "executors"} (packed once into FileBatch zips under
 *                           {@code dataUri}, which every executor reads itself)
 * @param dataUri            with {@code data: "executors"}: a folder URI every executor can read, through Hadoop's
 *                           file systems ({@code file:///shared/packed}, {@code hdfs://host:8020/packed},
 *                           {@code s3a://bucket/packed})
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record DistributedConfig(
        Integer batchSizePerWorker,
        Integer averagingFrequency,
        Integer workerPrefetch,
        DocumentedResult documented,
        String master,
        Integer workers,
        String data,
        String dataUri) {

    public static final String DATA_DRIVER = "driver";
    public static final String DATA_EXECUTORS = "executors";

    public static final int DEFAULT_AVERAGING_FREQUENCY = 5;
    public static final int DEFAULT_WORKER_PREFETCH = 2;

    @com.fasterxml.jackson.annotation.JsonCreator
    public DistributedConfig {
        if (batchSizePerWorker != null && batchSizePerWorker < 1) {
            throw new IllegalArgumentException("distributed.batchSizePerWorker must be at least 1, got " + batchSizePerWorker);
        }
        if (averagingFrequency != null && averagingFrequency < 1) {
            throw new IllegalArgumentException("distributed.averagingFrequency must be at least 1, got " + averagingFrequency);
        }
        if (workerPrefetch != null && workerPrefetch < 0) {
            throw new IllegalArgumentException("distributed.workerPrefetch must not be negative, got " + workerPrefetch);
        }
        if (workers != null && workers < 1) {
            throw new IllegalArgumentException("distributed.workers must be at least 1, got " + workers);
        }
        if (data != null && !DATA_DRIVER.equals(data) && !DATA_EXECUTORS.equals(data)) {
            throw new IllegalArgumentException("distributed.data must be \"driver\" or \"executors\", got \"" + data + "\"");
        }
        if (DATA_EXECUTORS.equals(data) && dataUri == null) {
            throw new IllegalArgumentException("distributed.data \"executors\" needs distributed.dataUri (or"
                    + " --spark-data-uri): a folder every executor can read, e.g. file:///shared/packed,"
                    + " hdfs://namenode:8020/packed or s3a://bucket/packed");
        }
        if (dataUri != null && !DATA_EXECUTORS.equals(data)) {
            throw new IllegalArgumentException("distributed.dataUri \"" + dataUri + "\" is read only with"
                    + " distributed.data \"executors\" (data is " + (data == null ? "not set: driver" : "\"" + data + "\"") + ")");
        }
        if (dataUri != null) {
            java.net.URI uri;
            try {
                uri = new java.net.URI(dataUri);
            } catch (java.net.URISyntaxException e) {
                throw new IllegalArgumentException("distributed.dataUri \"" + dataUri + "\" is not a URI: " + e.getMessage());
            }
            if (uri.getScheme() == null || uri.getPath() == null || uri.getPath().isEmpty()) {
                throw new IllegalArgumentException("distributed.dataUri \"" + dataUri + "\" needs a scheme and a path,"
                        + " e.g. file:///shared/packed, hdfs://namenode:8020/packed or s3a://bucket/packed");
            }
        }
    }

    public DistributedConfig(Integer batchSizePerWorker, Integer averagingFrequency, Integer workerPrefetch,
                             DocumentedResult documented, String master, Integer workers) {
        this(batchSizePerWorker, averagingFrequency, workerPrefetch, documented, master, workers, null, null);
    }

    /** True when the executors read the packed images themselves ({@code data: "executors"}). */
    @com.fasterxml.jackson.annotation.JsonIgnore
    public boolean executorsReadData() {
        return DATA_EXECUTORS.equals(data);
    }

    /** The same settings with another data mode and URI (the command line's --spark-data and --spark-data-uri). */
    public DistributedConfig withData(String newData, String newDataUri) {
        return new DistributedConfig(batchSizePerWorker, averagingFrequency, workerPrefetch, documented, master, workers,
                newData, newDataUri);
    }

    /** Every setting filled in: the manifest's values, else the defaults for a training batch size. */
    public DistributedConfig resolved(int trainingBatchSize, String usedMaster, int usedWorkers) {
        return new DistributedConfig(
                batchSizePerWorker != null ? batchSizePerWorker : trainingBatchSize,
                averagingFrequency != null ? averagingFrequency : DEFAULT_AVERAGING_FREQUENCY,
                workerPrefetch != null ? workerPrefetch : DEFAULT_WORKER_PREFETCH,
                documented, usedMaster, usedWorkers, data != null ? data : DATA_DRIVER, dataUri);
    }
}
