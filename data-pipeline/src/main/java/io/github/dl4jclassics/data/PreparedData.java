package io.github.dl4jclassics.data;

import io.github.dl4jclassics.data.iterators.ImageSetIterator;
import io.github.dl4jclassics.data.transforms.BatchTransform;
import io.github.dl4jclassics.data.transforms.ChannelStatistics;
import io.github.dl4jclassics.data.transforms.DataStatistics;
import java.util.List;

/**
 * The splits of one experiment, validated and in memory (or memory-mapped), with the transforms bound to their
 * statistics.
 *
 * @param validation     null when the manifest has no split
 * @param dataStatistics what was computed from the training split (normalization, PCA eigen data): save it beside
 *                       the model as JSON and pass it back through {@link PrepareOptions#saved()} later
 * @param trainTransforms every transform, augmentations included (resize excluded: the images are already resized)
 * @param evalTransforms the deterministic transforms only (validation, test, inference)
 */
public record PreparedData(
        String datasetId,
        ImageSet train,
        ImageSet validation,
        ImageSet test,
        List<String> classNames,
        DataStatistics dataStatistics,
        List<BatchTransform> trainTransforms,
        List<BatchTransform> evalTransforms) {

    /** The normalization statistics of the training split (null without normalization). */
    public ChannelStatistics statistics() {
        return dataStatistics == null ? null : dataStatistics.normalization();
    }

    public ImageSetIterator trainIterator(int batchSize, long seed) {
        return new ImageSetIterator(train, batchSize, trainTransforms, true, seed);
    }

    public ImageSetIterator evalIterator(ImageSet images, int batchSize) {
        return new ImageSetIterator(images, batchSize, evalTransforms, false, 0);
    }
}
