package io.github.dl4jclassics.training;

import io.github.dl4jclassics.data.ImageSet;
import io.github.dl4jclassics.data.iterators.ImageSetIterator;
import io.github.dl4jclassics.zoo.ClassifierNetwork;

/** Public door to the package-private {@link Synthetic} fixtures for tests in sub-packages. */
public final class SyntheticFixtures {

    private SyntheticFixtures() {
    }

    public static ClassifierNetwork network(int classes, long seed, OptimizerConfig optimizer) {
        return Synthetic.network(classes, seed, optimizer);
    }

    public static ImageSet images(int count, int classes, long seed) {
        return Synthetic.images(count, classes, seed);
    }

    public static ImageSetIterator iterator(ImageSet images, int batchSize, long seed) {
        return Synthetic.iterator(images, batchSize, seed);
    }
}
