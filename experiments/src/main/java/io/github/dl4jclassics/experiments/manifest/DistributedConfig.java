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
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record DistributedConfig(
        Integer batchSizePerWorker,
        Integer averagingFrequency,
        Integer workerPrefetch,
        DocumentedResult documented,
        String master,
        Integer workers) {

    public static final int DEFAULT_AVERAGING_FREQUENCY = 5;
    public static final int DEFAULT_WORKER_PREFETCH = 2;

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
    }

    /** Every setting filled in: the manifest's values, else the defaults for a training batch size. */
    public DistributedConfig resolved(int trainingBatchSize, String usedMaster, int usedWorkers) {
        return new DistributedConfig(
                batchSizePerWorker != null ? batchSizePerWorker : trainingBatchSize,
                averagingFrequency != null ? averagingFrequency : DEFAULT_AVERAGING_FREQUENCY,
                workerPrefetch != null ? workerPrefetch : DEFAULT_WORKER_PREFETCH,
                documented, usedMaster, usedWorkers);
    }
}
