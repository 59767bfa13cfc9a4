package io.github.dl4jclassics.data;

import io.github.dl4jclassics.data.iterators.ImageSetIterator;
import io.github.dl4jclassics.data.transforms.BatchTransform;
import io.github.dl4jclassics.data.transforms.ChannelStatistics;
import io.github.dl4jclassics.data.transforms.DataStatistics;
import java.util.List;
import org.nd4j.linalg.dataset.api.preprocessor.DataNormalization;

/**
 * The splits of one experiment, validated and in memory (or memory-mapped), with the transforms bound to their
 * statistics.
 *
 * @param validation     null when the manifest has no split
 * @param dataStatistics what was computed from the training split (normalization, PCA eigen data): save it beside
 *                       the model as JSON and pass it back through {@link PrepareOptions#saved()} later
 * @param trainTransforms every transform, augmentations included (resize excluded: the images are already resized;
 *                        normalize excluded: it is {@code normalizer})
 * @param evalTransforms the deterministic transforms only (validation, test, inference)
 * @param normalizer     ND4J's stock normalizer of the recipe's normalize step, fitted on the training split (or
 *                       restored from a model.zip); applied to every batch last, and saved into model.zip with
 *                       {@code ModelSerializer.addNormalizerToModel}; null when the recipe does not normalize
 */
public record PreparedData(
        String datasetId,
        ImageSet train,
        ImageSet validation,
        ImageSet test,
        List<String> classNames,
        DataStatistics dataStatistics,
        List<BatchTransform> trainTransforms,
        List<BatchTransform> evalTransforms,
        DataNormalization normalizer) {

    /** The normalization statistics of the training split (null without normalization). */
    public ChannelStatistics statistics() {
        return dataStatistics == null ? null : dataStatistics.normalization();
    }

    public ImageSetIterator trainIterator(int batchSize, long seed) {
        return new ImageSetIterator(train, batchSize, trainTransforms, normalizer, true, seed);
    }

    public ImageSetIterator evalIterator(ImageSet images, int batchSize) {
        return new ImageSetIterator(images, batchSize, evalTransforms, normalizer, false, 0);
    }
}
