package io.github.dl4jclassics.data;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.github.dl4jclassics.data.transforms.BatchTransform;
import java.util.List;

/**
 * The {@code data} section of a manifest.
 *
 * @param dataset      data set id (see {@link DatasetRegistry})
 * @param location     where the files are when no data directory is given: a path or {@code classpath:folder}; optional
 * @param labels       for data sets with two label sets (CIFAR-100): "fine" (default) or "coarse"
 * @param split        how validation is carved out of the training files; optional (no validation set)
 * @param transforms   resize, augmentation, normalization, in any order: they run in their canonical order
 * @param testFraction for an image folder without train/test subfolders: the fraction held out as the test set
 * @param testSeed     seed of that held-out test split (default 0); the same seed gives the same split everywhere
 * @param limitTrain   use only the first N examples of the training files (before the validation split), for quick trials
 * @param limitTest    use only the first N test examples
 */
public record DataConfig(
        @JsonProperty(required = true) String dataset,
        String location,
        String labels,
        SplitConfig split,
        List<BatchTransform> transforms,
        Double testFraction,
        Long testSeed,
        Integer limitTrain,
        Integer limitTest) {

    @com.fasterxml.jackson.annotation.JsonCreator
    public DataConfig {
        transforms = transforms == null ? List.of() : List.copyOf(transforms);
        if (labels != null && !labels.equals("fine") && !labels.equals("coarse")) {
            throw new IllegalArgumentException("data.labels must be \"fine\" or \"coarse\", got \"" + labels + "\"");
        }
        if (limitTrain != null && limitTrain < 1 || limitTest != null && limitTest < 1) {
            throw new IllegalArgumentException("data.limitTrain and data.limitTest must be at least 1");
        }
        if (testFraction != null && !(testFraction > 0 && testFraction < 1)) {
            throw new IllegalArgumentException("data.testFraction must be in (0, 1), got " + testFraction);
        }
    }

    public DataConfig(String dataset, String location, String labels, SplitConfig split, List<BatchTransform> transforms) {
        this(dataset, location, labels, split, transforms, null, null, null, null);
    }

    /** The same data with the first-N limits of a quick trial (null keeps the current value). */
    public DataConfig withLimits(Integer newLimitTrain, Integer newLimitTest) {
        return new DataConfig(dataset, location, labels, split, transforms, testFraction, testSeed,
                newLimitTrain != null ? newLimitTrain : limitTrain, newLimitTest != null ? newLimitTest : limitTest);
    }

    /** True when CIFAR-100's 20 coarse superclasses were asked for rather than its 100 fine classes. */
    public boolean coarseLabels() {
        return "coarse".equals(labels);
    }
}
