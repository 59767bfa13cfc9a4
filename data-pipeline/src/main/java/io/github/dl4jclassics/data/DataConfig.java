package io.github.dl4jclassics.data;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.github.dl4jclassics.data.transforms.BatchTransform;
import java.util.List;

/**
 * The {@code data} section of a manifest.
 *
 * @param dataset    data set id (see {@link DatasetRegistry})
 * @param location   where the files are when no data directory is given: a path or {@code classpath:folder}; optional
 * @param labels     for data sets with two label sets (CIFAR-100): "fine" (default) or "coarse"
 * @param split      how validation is carved out of the training files; optional (no validation set)
 * @param transforms resize, augmentation, normalization, in any order: they run in their canonical order
 */
public record DataConfig(
        @JsonProperty(required = true) String dataset,
        String location,
        String labels,
        SplitConfig split,
        List<BatchTransform> transforms) {

    public DataConfig {
        transforms = transforms == null ? List.of() : List.copyOf(transforms);
    }
}
