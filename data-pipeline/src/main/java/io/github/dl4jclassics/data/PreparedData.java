package io.github.dl4jclassics.data;

import io.github.dl4jclassics.data.iterators.ImageSetIterator;
import io.github.dl4jclassics.data.transforms.BatchTransform;
import io.github.dl4jclassics.data.transforms.ChannelStatistics;
import java.util.List;

/**
 * The splits of one experiment, validated and in memory, with the transforms bound to their statistics.
 *
 * @param validation null when the manifest has no split
 * @param statistics the normalization statistics of the training split (null without normalization)
 * @param trainTransforms every transform, augmentations included
 * @param evalTransforms the deterministic transforms only (validation, test, inference)
 */
public record PreparedData(
        String datasetId,
        ImageSet train,
        ImageSet validation,
        ImageSet test,
        List<String> classNames,
        ChannelStatistics statistics,
        List<BatchTransform> trainTransforms,
        List<BatchTransform> evalTransforms) {

    public ImageSetIterator trainIterator(int batchSize, long seed) {
        return new ImageSetIterator(train, batchSize, trainTransforms, true, seed);
    }

    public ImageSetIterator evalIterator(ImageSet images, int batchSize) {
        return new ImageSetIterator(images, batchSize, evalTransforms, false, 0);
    }
}
