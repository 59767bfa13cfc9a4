package io.github.dl4jclassics.data;

import io.github.dl4jclassics.data.store.PixelStoreBuilder;
import io.github.dl4jclassics.data.transforms.DataStatistics;
import java.nio.file.Path;
import org.nd4j.linalg.dataset.api.preprocessor.DataNormalization;

/**
 * Options of {@link DataPipeline#prepare(DatasetSource, DataFiles, DataConfig, io.github.dl4jclassics.common.InputShape,
 * PrepareOptions)}.
 *
 * @param limitTrain   keep only the first N training-file examples (before the split); null for all
 * @param limitTest    keep only the first N test examples; null for all
 * @param saved        statistics saved beside a trained model, used instead of computing them; null to compute
 * @param cacheDir     cache of statistics and large resized images; null disables disk caching
 * @param memoryBudget bytes of decoded images kept on the heap before spilling to a memory-mapped cache file
 * @param savedNormalizer the normalizer a trained model carries (restored from its model.zip with
 *                        {@code ModelSerializer.restoreNormalizerFromFile}), used instead of fitting one; null to fit
 */
public record PrepareOptions(Integer limitTrain, Integer limitTest, DataStatistics saved, Path cacheDir,
                             long memoryBudget, DataNormalization savedNormalizer) {

    public PrepareOptions(Integer limitTrain, Integer limitTest, DataStatistics saved, Path cacheDir, long memoryBudget) {
        this(limitTrain, limitTest, saved, cacheDir, memoryBudget, null);
    }

    public static PrepareOptions defaults() {
        return new PrepareOptions(null, null, null, LoadOptions.defaultCacheDir(), PixelStoreBuilder.defaultMemoryBudget());
    }

    public PrepareOptions withSavedNormalizer(DataNormalization normalizer) {
        return new PrepareOptions(limitTrain, limitTest, saved, cacheDir, memoryBudget, normalizer);
    }

    public PrepareOptions withLimits(Integer train, Integer test) {
        return new PrepareOptions(train, test, saved, cacheDir, memoryBudget, savedNormalizer);
    }

    public PrepareOptions withSaved(DataStatistics statistics) {
        return new PrepareOptions(limitTrain, limitTest, statistics, cacheDir, memoryBudget, savedNormalizer);
    }

    public PrepareOptions withCacheDir(Path dir) {
        return new PrepareOptions(limitTrain, limitTest, saved, dir, memoryBudget, savedNormalizer);
    }

    public PrepareOptions withMemoryBudget(long bytes) {
        return new PrepareOptions(limitTrain, limitTest, saved, cacheDir, bytes, savedNormalizer);
    }
}
